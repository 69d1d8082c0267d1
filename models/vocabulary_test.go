package models

import "testing"

func TestEveryStakeholderTypeHasEveryName(t *testing.T) {
	seen := map[string]bool{}
	for _, st := range StakeholderTypes {
		if st.Key == "" || st.Label == "" || st.Group == "" || st.One == "" || st.Several == "" || st.CountOne == "" || st.CountMany == "" {
			t.Errorf("stakeholder type %+v lacks a name", st)
		}
		if seen[st.Key] {
			t.Errorf("stakeholder type %q twice", st.Key)
		}
		seen[st.Key] = true
	}
	if len(OrganizationTypes) != len(StakeholderTypes) || StakeholderTypeOf("no such type").Key != "other" {
		t.Errorf("OrganizationTypes %v do not follow StakeholderTypes", OrganizationTypes)
	}
}

func TestEveryTermHasALabel(t *testing.T) {
	for name, terms := range map[string][]Term{"ECOSOC status": ECOSOCStatusTerms, "registration state": RegistrationStatusTerms} {
		seen := map[string]bool{}
		for _, tm := range terms {
			if tm.Key == "" || tm.Label == "" || seen[tm.Key] {
				t.Errorf("%s %+v: empty or repeated", name, tm)
			}
			seen[tm.Key] = true
		}
	}
}
