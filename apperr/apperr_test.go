package apperr

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rostrum/locale"
)

func TestEveryKindHasItsOwnCode(t *testing.T) {
	seen := map[string]Kind{}
	for k := KindInvalid; k <= KindGone; k++ {
		c := Code(k)
		if c == "" || c == CodeInternal {
			t.Errorf("kind %d has no code", k)
		}
		if other, dup := seen[c]; dup {
			t.Errorf("kinds %d and %d share the code %q", other, k, c)
		}
		seen[c] = k
	}
	if len(Kinds()) != len(seen) {
		t.Errorf("Kinds() lists %d kinds, want %d", len(Kinds()), len(seen))
	}
}

func TestAnErrorsOwnCodeComesBeforeItsKinds(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{NotFound("no such meeting"), "not_found"},
		{Conflict("the list is closed").WithCode("list_closed"), "list_closed"},
		{errors.New("disk full"), CodeInternal},
	} {
		if got := CodeOf(c.err); got != c.want {
			t.Errorf("CodeOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// Every message id the code says (apperr.Say, Fields.Say, textcheck's
// faults: the strings "err.…") is in the catalogues; a misspelt id would
// be answered as the id itself.
func TestEveryErrorMessageTheCodeSaysIsInTheCatalogues(t *testing.T) {
	id := regexp.MustCompile(`"(err\.[a-z_.]+)"`)
	seen := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range id.FindAllSubmatch(b, -1) {
			seen++
			if !locale.Has(locale.Default, string(m[1])) {
				t.Errorf("%s says %s, which the catalogues lack", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 20 {
		t.Fatalf("found only %d message ids in the code", seen)
	}
}

func TestAnErrorIsWrittenInTheLanguageAskedAndEnglishInItsMessage(t *testing.T) {
	e := Say(KindNotFound, "err.no_member")
	if e.Message != "no such member" || e.Error() != "no such member" {
		t.Errorf("English message %q", e.Message)
	}
	if got := e.MessageIn("fr"); got != "ce membre n'existe pas" {
		t.Errorf("French: %q", got)
	}
	f := Fields{}
	f.Say("name", "err.field.required")
	f.Add("reason", "staff's own words")
	f.SayN("title", "err.field.too_long", 21, "Max", "21")
	var ae *Error
	if !errors.As(f.Err(), &ae) {
		t.Fatal("no *Error")
	}
	if ae.Fields["name"] != "is required" || ae.Fields["reason"] != "staff's own words" {
		t.Errorf("English fields %v", ae.Fields)
	}
	ru := ae.FieldsIn("ru")
	if ru["name"] != "обязательное поле" || ru["reason"] != "staff's own words" || ru["title"] != "допускается не более 21 символа" {
		t.Errorf("Russian fields %v", ru)
	}
	if plain := NotFound("no registration 3"); plain.MessageIn("ar") != "no registration 3" {
		t.Errorf("an English-only message changed: %q", plain.MessageIn("ar"))
	}
}
