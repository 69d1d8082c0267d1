package registration

import (
	"strings"
	"testing"
	"unicode/utf8"

	"rostrum/apperr"
)

// FuzzInputValidate checks that any registration input either fails with
// field errors or yields an applicant that satisfies every rule.
func FuzzInputValidate(f *testing.F) {
	f.Add("Access Now", "ngo", "KE", "www.accessnow.example/", "Ana", "ana@example.org", "=1+1", true)
	f.Add("<script>", "other", "xk", "javascript:x", "\x00", "a@b", "", false)
	f.Add(" ", "academia", "ZZ", "http://[::1]/", "Zoë", "\"q\"@example.org", "\t", true)
	f.Fuzz(func(t *testing.T, org, typ, country, website, name, email, job string, consent bool) {
		in := Input{Organization: OrganizationInput{Name: org, Type: typ, Country: country, Website: website}, Name: name, Email: email, JobTitle: job, Consent: consent}
		a, err := in.Validate()
		if err != nil {
			var ae *apperr.Error
			if !errorsAs(err, &ae) || ae.Kind != apperr.KindInvalid || len(ae.Fields) == 0 {
				t.Fatalf("error without fields: %v", err)
			}
			return
		}
		if !consent || a.Organization.NameKey == "" || a.Name == "" || !utf8.ValidString(a.Name+a.Organization.Name+a.JobTitle) {
			t.Fatalf("accepted %+v", a)
		}
		if _, ok := Country(a.Organization.Country); !ok {
			t.Fatalf("accepted country %q", a.Organization.Country)
		}
		if e, ok := ValidEmail(a.Email); !ok || e != a.Email || strings.ContainsAny(a.Email, " \r\n<>") {
			t.Fatalf("accepted email %q", a.Email)
		}
		if a.Organization.Website != "" && a.Organization.WebsiteKey == "" {
			t.Fatalf("website %q without key", a.Organization.Website)
		}
	})
}
