package registration

import "testing"

func TestCountryCodesAreISO3166Alpha2(t *testing.T) {
	good := map[string]string{"KE": "KE", "br": "BR", " sg ": "SG", "CH": "CH", "XK": "XK", "PS": "PS", "SS": "SS", "GB": "GB"}
	for in, want := range good {
		if got, ok := Country(in); !ok || got != want {
			t.Errorf("Country(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	// Not countries, deprecated aliases, withdrawn, reserved, or not codes.
	for _, in := range []string{"", "ZZ", "XX", "AA", "EU", "UN", "UK", "YU", "AN", "SU", "DD", "ZR", "BU", "AC", "TA", "EA", "001", "U", "USA", "1A", "É1"} {
		if got, ok := Country(in); ok {
			t.Errorf("Country(%q) accepted as %q", in, got)
		}
	}
}

func TestCountryListHasTheAssignedCodesAndKosovo(t *testing.T) {
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if _, ok := Country(string([]rune{a, b})); ok {
				n++
			}
		}
	}
	// ISO 3166-1 assigns 249 alpha-2 codes; XK (Kosovo) is accepted too.
	if n != 250 {
		t.Fatalf("%d codes accepted, want 250 (249 assigned + XK)", n)
	}
	if CountryName("CI") != "Côte d’Ivoire" || CountryName("QQ") != "QQ" {
		t.Fatalf("names: %q %q", CountryName("CI"), CountryName("QQ"))
	}
}

func TestCountriesAreEveryAcceptedCodeByName(t *testing.T) {
	list := Countries()
	if len(list) != 250 {
		t.Fatalf("%d countries, want 250", len(list))
	}
	names := map[string]string{}
	for _, c := range list {
		if _, ok := Country(c.Code); !ok || c.Name == "" || c.Name == c.Code {
			t.Errorf("%+v: not a named country", c)
		}
		names[c.Code] = c.Name
	}
	for code, want := range map[string]string{"CH": "Switzerland", "SZ": "Eswatini", "MK": "North Macedonia", "TR": "Türkiye", "XK": "Kosovo"} {
		if names[code] != want {
			t.Errorf("%s is %q, want %q", code, names[code], want)
		}
	}
	if list[0].Name != "Afghanistan" || list[1].Name != "Åland Islands" || list[len(list)-1].Name != "Zimbabwe" {
		t.Errorf("not in reading order: %v … %v", list[:3], list[len(list)-1])
	}
}
