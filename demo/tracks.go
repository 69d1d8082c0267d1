package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"rostrum/delegations"
	"rostrum/models"
	"rostrum/registration"
)

// The accreditation tracks of the demo meeting: 30 Member States and the
// two observer States (the UN has no more) take part through their
// missions, beside five intergovernmental organizations; the
// UN's list of organizations in consultative status with ECOSOC is
// imported; and one non-objection notice is in progress.

// demoMemberStates are the Member States whose missions the demo imports
// and invites; each registers a delegation of two.
var demoMemberStates = []string{
	"SG", "KE", "BR", "IN", "DE", "FR", "JP", "MX", "NG", "ZA", "EG", "CA", "AU", "CN", "RU",
	"GB", "US", "AR", "CL", "CO", "ID", "MY", "NL", "NO", "PK", "SE", "CH", "TR", "UY", "EE",
}

// demoObserverStates are the two non-member observer States (the Holy See
// and the State of Palestine).
var demoObserverStates = []string{"VA", "PS"}

// demoDelegates name the members of each delegation: the head, then an
// adviser; the first name is drawn by the mission's position.
var demoDelegateNames = []string{
	"Ana Ferreira", "Kenji Watanabe", "Amina Yusuf", "Lars Nilsson", "Priya Menon", "Carlos Ortega", "Mei Lin",
	"Olga Ivanova", "Samuel Okoye", "Isabelle Martin", "Tomás Silva", "Hana Novak", "Rashid Karimi", "Emily Clarke",
	"Juan Pablo Rojas", "Aiko Tanaka", "Noura Saleh", "Erik Johansson", "Fatima Zahra", "David Cohen",
}

// demoDescription is what a demo organization's registrants say it does.
func demoDescription(o demoOrganization) string {
	return fmt.Sprintf("%s based in %s, working on the security of and in the use of information and communications technologies.",
		models.StakeholderTypeOf(o.Type).Label, registration.CountryName(o.Country))
}

// demoNotListed are demo organizations that claim a status the imported
// list does not confirm (so the console flags their claim).
var demoNotListed = map[string]bool{"Observatoire francophone de la cybersécurité": true, "Youth Voices for Cyber Peace": true}

type demoTracksReport struct {
	Missions, Delegates, Listed int
	Notice                      uint
	Deadline                    time.Time
}

// demoTracks imports and invites the missions, registers their
// delegations, imports the ECOSOC list and circulates one notice, each
// only when it is missing.
func (a *loader) demoTracks(ctx context.Context, m *models.Meeting) (demoTracksReport, error) {
	var rep demoTracksReport
	var in []delegations.MissionInput
	for _, c := range demoMemberStates {
		in = append(in, delegations.MissionInput{Country: c, Kind: models.KindMemberState,
			Name: "Permanent Mission of " + registration.CountryName(c) + " to the United Nations", Email: "mission." + strings.ToLower(c) + "@un-missions.example"})
	}
	for _, c := range demoObserverStates {
		in = append(in, delegations.MissionInput{Country: c, Kind: models.KindObserverState,
			Name: "Permanent Observer Mission of " + registration.CountryName(c) + " to the United Nations", Email: "mission." + strings.ToLower(c) + "@un-missions.example"})
	}
	if _, err := a.Delegations.Import(ctx, in); err != nil {
		return rep, fmt.Errorf("demo missions: %w", err)
	}
	invited, err := a.Delegations.Invited(ctx, m.ID)
	if err != nil {
		return rep, err
	}
	if len(invited) == 0 {
		if _, err := a.Delegations.Invite(ctx, m.Slug, nil); err != nil {
			return rep, fmt.Errorf("demo invitations: %w", err)
		}
	}
	rep.Missions = len(in)
	for i, mi := range in {
		st := registration.State{Country: mi.Country, Kind: mi.Kind}
		for j := 0; j < 2; j++ {
			name := demoDelegateNames[(i+j*7)%len(demoDelegateNames)]
			email := fmt.Sprintf("%s.%s@un-missions.example", strings.ToLower(mi.Country), demoLocal(name))
			if done, err := a.Registrations.HasRegistered(ctx, m.ID, email); err != nil {
				return rep, err
			} else if done {
				continue
			}
			title := []string{"Permanent Representative", "Counsellor"}[j]
			if _, err := a.Registrations.RegisterDelegate(ctx, m.ID, st, registration.DelegateInput{Name: name, Email: email, JobTitle: title, Head: j == 0}); err != nil {
				return rep, fmt.Errorf("demo delegate %s: %w", email, err)
			}
			rep.Delegates++
		}
	}

	// The ECOSOC list: the demo organizations that claim a status, but two.
	var list []registration.ECOSOCListing
	for i, o := range demoOrganizations {
		if o.ECOSOC != "none" && !demoNotListed[o.Name] {
			list = append(list, registration.ECOSOCListing{Name: o.Name, Status: o.ECOSOC, Year: 1996 + i%25})
		}
	}
	r, err := a.Registrations.ImportECOSOC(ctx, list)
	if err != nil {
		return rep, fmt.Errorf("demo ECOSOC list: %w", err)
	}
	rep.Listed = r.Matched + r.New

	// One notice in progress: the pending registrations of six
	// non-governmental, academic, private sector or technical community
	// organizations not on the list, with a deadline a week away.
	notices, err := a.Accreditation.Notices(ctx, m.ID)
	if err != nil {
		return rep, err
	}
	if len(notices) > 0 {
		rep.Notice, rep.Deadline = notices[len(notices)-1].ID, notices[len(notices)-1].Deadline
		return rep, nil
	}
	regs, _, err := a.Registrations.List(ctx, m.ID, registration.Filter{Track: registration.TrackNonObjection, Status: models.StatusPending})
	if err != nil {
		return rep, err
	}
	var ids []uint
	seen := map[uint]bool{}
	for _, r := range regs {
		if seen[r.OrganizationID] || r.Organization.Type == "intergovernmental" || len(ids) == 6 {
			continue
		}
		seen[r.OrganizationID] = true
		ids = append(ids, r.OrganizationID)
	}
	if len(ids) == 0 {
		return rep, nil
	}
	n, err := a.Accreditation.Create(ctx, m.Slug, ids, time.Now().Add(7*24*time.Hour).UTC().Format(time.RFC3339))
	if err != nil {
		return rep, fmt.Errorf("demo notice: %w", err)
	}
	rep.Notice, rep.Deadline = n.ID, n.Deadline
	return rep, nil
}

// demoLocal is an address's local part for a Latin-script name.
func demoLocal(name string) string {
	return strings.ReplaceAll(strings.ToLower(demoEmail(name, "", 0)[:strings.IndexByte(demoEmail(name, "", 0), '@')]), " ", ".")
}

func (a *loader) demoTracksPrint(w io.Writer, tr demoTracksReport) {
	fmt.Fprintf(w, "\nAccreditation tracks: %d missions invited (%d delegation members registered now); %d organizations on the ECOSOC list",
		tr.Missions, tr.Delegates, tr.Listed)
	if tr.Notice != 0 {
		fmt.Fprintf(w, "; non-objection notice %d open until %s", tr.Notice, tr.Deadline.Format(time.RFC3339))
	}
	fmt.Fprintln(w)
}
