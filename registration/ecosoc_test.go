package registration

import (
	"testing"

	"rostrum/models"
)

func TestTrackFollowsTheImportedListNotTheClaim(t *testing.T) {
	for _, c := range []struct {
		org     models.Organization
		claimed string
		track   string
		flagged bool
	}{
		{models.Organization{Type: "ngo", ECOSOCVerified: "special"}, "special", TrackECOSOC, false},
		{models.Organization{Type: "ngo", ECOSOCVerified: "roster"}, "none", TrackECOSOC, false},
		{models.Organization{Type: "ngo"}, "general", TrackNonObjection, true},
		{models.Organization{Type: "academia"}, "none", TrackNonObjection, false},
		{models.Organization{Type: "academia"}, "", TrackNonObjection, false},
		{models.Organization{Type: models.KindMemberState}, "", TrackDelegation, false},
		{models.Organization{Type: models.KindObserverState, ECOSOCVerified: "general"}, "", TrackDelegation, false},
	} {
		r := &models.Registration{ClaimedOrgECOSOCStatus: c.claimed}
		if got := TrackOf(&c.org); got != c.track {
			t.Errorf("%+v: track %s, want %s", c.org, got, c.track)
		}
		if got := ClaimUnverified(r, &c.org); got != c.flagged {
			t.Errorf("%+v claiming %q: claim_unverified %v, want %v", c.org, c.claimed, got, c.flagged)
		}
	}
}

func TestLooseKeyMeetsNamesThatDifferByAccentsOrPunctuationOnly(t *testing.T) {
	if looseKey("Société Civile-Unie") != looseKey("societe civile unie") {
		t.Error("accents and punctuation should not tell the names apart")
	}
	if NameKey("Société Civile Unie") == NameKey("Societe Civile Unie") {
		t.Error("registration's folding keeps accents: the two are different records")
	}
	if looseKey("Access Now") == looseKey("Access Later") {
		t.Error("different names met")
	}
}

func TestParseECOSOCCSVReadsColumnsInAnyOrderAndRefusesABadYear(t *testing.T) {
	got, err := ParseECOSOCCSV([]byte("\ufeffYear,Status,Name\n1998,Special,\"Access Now\"\n,roster,Beta\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (ECOSOCListing{Name: "Access Now", Status: "special", Year: 1998}) || got[1].Year != 0 {
		t.Fatalf("%+v", got)
	}
	if _, err := ParseECOSOCCSV([]byte("name,status,year\nA,general,nineteen\n")); err == nil {
		t.Error("a year that is no number was taken")
	}
	if _, err := ParseECOSOCCSV([]byte("organization,status\nA,general\n")); err == nil {
		t.Error("a list without a name column was taken")
	}
}
