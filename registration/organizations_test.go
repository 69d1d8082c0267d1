package registration

import (
	"reflect"
	"testing"

	"rostrum/apperr"
	"rostrum/models"
)

func ptr(s string) *string { return &s }

func TestOrganizationEditChangesOnlyTheFieldsPresent(t *testing.T) {
	org := models.Organization{ID: 7, Name: "Access Now", NameKey: "accessnow", Acronym: "AN", Type: "ngo", Country: "US",
		Website: "https://www.accessnow.org/", WebsiteKey: "accessnow.org", ECOSOCStatus: "special"}
	cols, err := OrganizationEdit{Website: ptr("accessnow.org/en"), ECOSOCStatus: ptr("")}.Apply(&org)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"website": "https://accessnow.org/en", "website_key": "accessnow.org/en", "ecosoc_status": "none"}
	if !reflect.DeepEqual(cols, want) {
		t.Fatalf("columns %v, want %v", cols, want)
	}
	if org.Name != "Access Now" || org.Acronym != "AN" || org.Website != "https://accessnow.org/en" {
		t.Fatalf("%+v", org)
	}
	cols, err = OrganizationEdit{Name: ptr("  ACCESS NOW  International ")}.Apply(&org)
	if err != nil || cols["name"] != "ACCESS NOW  International" || cols["name_key"] != "accessnowinternational" {
		t.Fatalf("%v %v", cols, err)
	}
}

func TestOrganizationEditNamesEveryBadField(t *testing.T) {
	cases := []struct {
		edit  OrganizationEdit
		field string
	}{
		{OrganizationEdit{Name: ptr(" ")}, "name"},
		{OrganizationEdit{Name: ptr("Access\u202ENow")}, "name"},
		{OrganizationEdit{Acronym: ptr("AN\x00")}, "acronym"},
		{OrganizationEdit{Type: ptr("government")}, "type"},
		{OrganizationEdit{Type: ptr("")}, "type"},
		{OrganizationEdit{Country: ptr("XX")}, "country"},
		{OrganizationEdit{Website: ptr("javascript:alert(1)")}, "website"},
		{OrganizationEdit{ECOSOCStatus: ptr("observer")}, "ecosoc_status"},
	}
	for _, c := range cases {
		org := models.Organization{Name: "Org", NameKey: "org", Type: "ngo", Country: "KE", ECOSOCStatus: "none"}
		_, err := c.edit.Apply(&org)
		var ae *apperr.Error
		if !errorsAs(err, &ae) || ae.Kind != apperr.KindInvalid || ae.Fields[c.field] == "" || len(ae.Fields) != 1 {
			t.Errorf("%+v: %v, want only %q", c.edit, err, c.field)
		}
	}
}

func TestMergeIsRefusedWhenAMeetingsLimitWouldBeExceeded(t *testing.T) {
	cases := []struct {
		name   string
		counts []MergeCount
		ok     bool
	}{
		{"no meetings", nil, true},
		{"no limit", []MergeCount{{Meeting: "A", Limit: 0, Source: 9, Target: 9}}, true},
		{"exactly the limit", []MergeCount{{Meeting: "A", Limit: 3, Source: 1, Target: 2}}, true},
		{"one over", []MergeCount{{Meeting: "A", Limit: 3, Source: 2, Target: 2}}, false},
		{"over in the second meeting", []MergeCount{{Meeting: "A", Limit: 3, Source: 1, Target: 1}, {Meeting: "B", Limit: 1, Source: 1, Target: 1}}, false},
		// The source adds nobody where it has nobody: a target already over
		// a lowered limit is not the merge's doing.
		{"target over alone", []MergeCount{{Meeting: "A", Limit: 1, Source: 0, Target: 3}}, true},
		{"source over alone", []MergeCount{{Meeting: "A", Limit: 1, Source: 2, Target: 0}}, false},
	}
	for _, c := range cases {
		err := CheckMerge(c.counts)
		if c.ok != (err == nil) {
			t.Errorf("%s: %v", c.name, err)
		}
		var ae *apperr.Error
		if !c.ok && (!errorsAs(err, &ae) || ae.Kind != apperr.KindConflict || ae.Code != "merge_exceeds_organization_limit") {
			t.Errorf("%s: %v, want a conflict merge_exceeds_organization_limit", c.name, err)
		}
	}
}

func TestClaimDiffersNamesTheFieldsThatDisagreeWithTheRecord(t *testing.T) {
	org := models.Organization{Name: "Access Now", NameKey: "accessnow", Acronym: "AN", Type: "ngo", Country: "US",
		Website: "https://www.accessnow.org/", WebsiteKey: "accessnow.org", ECOSOCStatus: "special"}
	same := models.Registration{ClaimedOrgName: "ACCESS  now", ClaimedOrgType: "ngo", ClaimedOrgCountry: "US",
		ClaimedOrgWebsite: "http://accessnow.org", ClaimedOrgECOSOCStatus: "none"}
	if d := ClaimDiffers(&same, &org); len(d) != 0 {
		t.Fatalf("a matching claim differs in %v", d)
	}
	phish := models.Registration{ClaimedOrgName: "Access Now", ClaimedOrgAcronym: "ACN", ClaimedOrgType: "academia", ClaimedOrgCountry: "KE",
		ClaimedOrgWebsite: "https://accessnow.org.example.net/login", ClaimedOrgECOSOCStatus: "general"}
	if d := ClaimDiffers(&phish, &org); !reflect.DeepEqual(d, []string{"acronym", "type", "country", "website", "ecosoc_status"}) {
		t.Fatalf("differs in %v", d)
	}
	byWebsite := models.Registration{ClaimedOrgName: "AN Global", ClaimedOrgType: "ngo", ClaimedOrgCountry: "US", ClaimedOrgECOSOCStatus: "none"}
	if d := ClaimDiffers(&byWebsite, &org); !reflect.DeepEqual(d, []string{"name"}) {
		t.Fatalf("differs in %v", d)
	}
	if d := ClaimDiffers(&models.Registration{}, &org); len(d) != 0 {
		t.Fatalf("a registration without a claim differs in %v", d)
	}
}
