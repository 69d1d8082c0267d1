package registration

import (
	"strings"
	"testing"

	"rostrum/apperr"
)

func validInput() Input {
	return Input{
		Organization: OrganizationInput{Name: "  Access Now ", Acronym: "AN", Type: "ngo", Country: "us", Website: "www.accessnow.org/", ECOSOCStatus: "special"},
		Name:         "Ana Souza", Email: "  Ana.Souza@Example.ORG ", JobTitle: "Policy analyst", Consent: true,
	}
}

func TestValidInputIsNormalized(t *testing.T) {
	a, err := validInput().Validate()
	if err != nil {
		t.Fatal(err)
	}
	o := a.Organization
	if o.Name != "Access Now" || o.Country != "US" || o.Website != "https://www.accessnow.org/" || o.WebsiteKey != "accessnow.org" ||
		o.NameKey != "accessnow" || a.Email != "ana.souza@example.org" || o.ECOSOCStatus != "special" {
		t.Fatalf("%+v", a)
	}
	in := validInput()
	in.Organization.ECOSOCStatus = ""
	if a, err := in.Validate(); err != nil || a.Organization.ECOSOCStatus != "none" {
		t.Fatalf("empty ECOSOC status: %+v %v", a, err)
	}
}

func TestInvalidInputNamesTheBadFields(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Input)
		field  string
	}{
		{"consent missing", func(in *Input) { in.Consent = false }, "consent"},
		{"unknown type", func(in *Input) { in.Organization.Type = "government" }, "organization.type"},
		{"type missing", func(in *Input) { in.Organization.Type = "" }, "organization.type"},
		{"bad country", func(in *Input) { in.Organization.Country = "XX" }, "organization.country"},
		{"country name instead of code", func(in *Input) { in.Organization.Country = "Kenya" }, "organization.country"},
		{"country missing", func(in *Input) { in.Organization.Country = "" }, "organization.country"},
		{"bad email", func(in *Input) { in.Email = "ana at example.org" }, "email"},
		{"email with display name", func(in *Input) { in.Email = "Ana <ana@example.org>" }, "email"},
		{"email without dotted domain", func(in *Input) { in.Email = "ana@localhost" }, "email"},
		{"email missing", func(in *Input) { in.Email = " " }, "email"},
		{"email too long", func(in *Input) { in.Email = strings.Repeat("a", 250) + "@example.org" }, "email"},
		{"name missing", func(in *Input) { in.Name = "" }, "name"},
		{"name too long", func(in *Input) { in.Name = strings.Repeat("é", MaxName+1) }, "name"},
		{"name with a line break", func(in *Input) { in.Name = "Ana\nSouza" }, "name"},
		{"name not UTF-8", func(in *Input) { in.Name = "Ana \xff" }, "name"},
		{"organization missing", func(in *Input) { in.Organization.Name = "  " }, "organization.name"},
		{"organization too long", func(in *Input) { in.Organization.Name = strings.Repeat("x", MaxOrgName+1) }, "organization.name"},
		{"acronym too long", func(in *Input) { in.Organization.Acronym = strings.Repeat("x", MaxAcronym+1) }, "organization.acronym"},
		{"bad website", func(in *Input) { in.Organization.Website = "javascript:alert(1)" }, "organization.website"},
		{"bad ECOSOC status", func(in *Input) { in.Organization.ECOSOCStatus = "observer" }, "organization.ecosoc_status"},
		{"job title too long", func(in *Input) { in.JobTitle = strings.Repeat("x", MaxJobTitle+1) }, "job_title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validInput()
			c.change(&in)
			_, err := in.Validate()
			var ae *apperr.Error
			if !errorsAs(err, &ae) || ae.Kind != apperr.KindInvalid {
				t.Fatalf("got %v, want an Invalid error", err)
			}
			if ae.Fields[c.field] == "" || len(ae.Fields) != 1 {
				t.Fatalf("fields %v, want only %q", ae.Fields, c.field)
			}
		})
	}
}

func TestHTMLInFieldsIsKeptAsText(t *testing.T) {
	in := validInput()
	in.Name = `<script>alert("x")</script>`
	in.Organization.Name = `<b>Bold</b> & Co`
	a, err := in.Validate()
	if err != nil || a.Name != in.Name || a.Organization.Name != in.Organization.Name {
		t.Fatalf("%+v %v", a, err)
	}
}

func TestDetailsAndReasonValidation(t *testing.T) {
	if _, err := (DetailsInput{Name: ""}).Validate(); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatal("empty name accepted")
	}
	if d, err := (DetailsInput{Name: " Ana ", JobTitle: " Lead "}).Validate(); err != nil || d.Name != "Ana" || d.JobTitle != "Lead" {
		t.Fatalf("%+v %v", d, err)
	}
	if r, err := ValidReason("Line one\nline two"); err != nil || r != "Line one\nline two" {
		t.Fatalf("multi-line reason: %q %v", r, err)
	}
	if _, err := ValidReason(strings.Repeat("x", MaxReason+1)); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatal("long reason accepted")
	}
	if _, err := ValidReason("bell\a"); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatal("control character accepted")
	}
}

// TestBidiControlsAreRefusedInEveryShownField: names, organization names
// and job titles are shown on the room's screen and in the summary; a
// right-to-left override there would make them read as something else.
func TestBidiControlsAreRefusedInEveryShownField(t *testing.T) {
	fields := []struct {
		field string
		set   func(*Input, string)
	}{
		{FieldName, func(in *Input, v string) { in.Name = v }},
		{FieldOrgName, func(in *Input, v string) { in.Organization.Name = v }},
		{FieldOrgAcronym, func(in *Input, v string) { in.Organization.Acronym = v }},
		{FieldJobTitle, func(in *Input, v string) { in.JobTitle = v }},
	}
	for _, f := range fields {
		for _, r := range []rune{'\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'} {
			in := validInput()
			f.set(&in, "Ana "+string(r)+"MEETING SUSPENDED")
			_, err := in.Validate()
			var ae *apperr.Error
			if !errorsAs(err, &ae) || ae.Fields[f.field] == "" || len(ae.Fields) != 1 {
				t.Errorf("%s with U+%04X: %v", f.field, r, err)
			}
		}
	}
	if _, err := (DetailsInput{Name: "Ana \u202Eevael"}).Validate(); !apperr.Is(err, apperr.KindInvalid) {
		t.Error("a participant's new name with an override was accepted")
	}
	if _, err := (DetailsInput{Name: "Ana", JobTitle: "\u2067Chair"}).Validate(); !apperr.Is(err, apperr.KindInvalid) {
		t.Error("a participant's new job title with an isolate was accepted")
	}
	in := validInput()
	in.Name, in.Organization.Name = "محمد", "جمعية الإنترنت"
	if _, err := in.Validate(); err != nil {
		t.Errorf("Arabic name refused: %v", err)
	}
}
