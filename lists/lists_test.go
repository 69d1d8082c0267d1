package lists

import (
	"testing"

	"rostrum/apperr"
)

func TestParseCSVReadsNameAndEmailByTheirHeaders(t *testing.T) {
	as, err := ParseCSV([]byte("\uFEFFOrganisation,Email,Name\nX,a@example.org,\"Mission, A\"\nY,b@example.org\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0] != (Address{Name: "Mission, A", Email: "a@example.org"}) || as[1] != (Address{Email: "b@example.org"}) {
		t.Errorf("addresses %+v", as)
	}
	for _, bad := range []string{"", "name\nA\n", "name,email\n\"unterminated\n", "\xff,email\n"} {
		if _, err := ParseCSV([]byte(bad)); !apperr.Is(err, apperr.KindInvalid) {
			t.Errorf("ParseCSV(%q): %v, want invalid", bad, err)
		}
	}
}

func TestAListKeepsEachAddressOnceAndRefusesBadOnes(t *testing.T) {
	in := Input{Name: " Observers ", Addresses: []Address{{Name: "A", Email: "x@Example.ORG"}, {Name: "B", Email: "X@example.org"}, {Email: "y@example.org"}}}
	got, err := check(&in)
	if err != nil {
		t.Fatal(err)
	}
	// Once whatever its case, as circulations count recipients; the
	// first spelling and name are kept.
	if in.Name != "Observers" || len(got) != 2 || got[0] != (Address{Name: "A", Email: "x@example.org"}) {
		t.Errorf("%q %+v", in.Name, got)
	}
	in = Input{Name: "L", Addresses: []Address{{Email: "a@example.org"}, {Email: "A@EXAMPLE.org"}}}
	if got, _ := check(&in); len(got) != 1 {
		t.Errorf("the same address in two cases is kept twice: %+v", got)
	}
	in = Input{Name: "L", Addresses: []Address{{Email: "nope"}, {Name: "\u202Eevil", Email: "e@example.org"}}}
	var e *apperr.Error
	if _, err := check(&in); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("bad addresses: %v", err)
	} else if ae, ok := err.(*apperr.Error); ok {
		e = ae
	}
	if e == nil || e.Fields["addresses[0].email"] == "" || e.Fields["addresses[1].name"] == "" {
		t.Errorf("fields %+v", e)
	}
}
