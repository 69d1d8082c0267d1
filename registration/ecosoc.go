package registration

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
)

// The accreditation tracks. An organization on the UN's list of
// organizations in consultative status with ECOSOC is accredited by the
// secretariat once that status is verified: its registrations are on the
// ECOSOC track. Any other organization is accredited on a non-objection
// basis (package accreditation circulates it to the Member States). A
// State's delegation is neither: its mission accredits it.
const (
	TrackECOSOC       = "ecosoc"
	TrackNonObjection = "non_objection"
	TrackDelegation   = "delegation"
)

// Tracks lists the tracks, in the order the secretariat's console shows them.
var Tracks = []string{TrackECOSOC, TrackNonObjection, TrackDelegation}

// TrackOf is the accreditation track of a registration for org.
func TrackOf(org *models.Organization) string {
	switch {
	case IsState(org.Type):
		return TrackDelegation
	case org.ECOSOCVerified != "":
		return TrackECOSOC
	}
	return TrackNonObjection
}

// IsState reports whether an organization of type t stands for a State.
func IsState(t string) bool { return t == models.KindMemberState || t == models.KindObserverState }

// ClaimUnverified reports whether r's registrant claimed a consultative
// status that the imported list does not confirm: the secretariat should
// look before it relies on the claim.
func ClaimUnverified(r *models.Registration, org *models.Organization) bool {
	claimed := r.ClaimedOrgECOSOCStatus
	return TrackOf(org) == TrackNonObjection && claimed != "" && claimed != "none"
}

// ECOSOCListing is one line of the UN's list of organizations in
// consultative status: the organization's name, its status (general,
// special or roster) and the year it was granted (0 when not given).
type ECOSOCListing struct {
	Name   string
	Status string
	Year   int
}

// MaxECOSOCImport bounds one import (the list holds about 6,500
// organizations).
const MaxECOSOCImport = 20000

// ParseECOSOCCSV reads the list from CSV with a header row naming the
// columns name, status and year (in any order; year may be absent). Rows
// are checked by ImportECOSOC.
func ParseECOSOCCSV(body []byte) ([]ECOSOCListing, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, apperr.Say(apperr.KindBadRequest, "err.registration.ecosoc_header")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, want := range []string{"name", "status"} {
		if _, ok := col[want]; !ok {
			return nil, apperr.Say(apperr.KindBadRequest, "err.registration.ecosoc_column", "Column", strconv.Quote(want))
		}
	}
	var out []ECOSOCListing
	f := apperr.Fields{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, apperr.Say(apperr.KindBadRequest, "err.registration.csv_unreadable", "Why", err.Error())
		}
		if len(out) >= MaxECOSOCImport {
			return nil, apperr.Say(apperr.KindTooLarge, "err.registration.ecosoc_max", "Max", MaxECOSOCImport)
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		l := ECOSOCListing{Name: get("name"), Status: strings.ToLower(get("status"))}
		if y := get("year"); y != "" {
			n, err := strconv.Atoi(y)
			if err != nil {
				f.Say(fmt.Sprintf("line %d.year", line), "err.registration.year")
			}
			l.Year = n
		}
		out = append(out, l)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// validListing checks one listing; field names carry its line.
func validListing(f apperr.Fields, p string, l ECOSOCListing) ECOSOCListing {
	name, _ := checkOrgName(f, p+"name", l.Name)
	st := strings.ToLower(strings.TrimSpace(l.Status))
	if st != "general" && st != "special" && st != "roster" {
		f.Say(p+"status", "err.registration.ecosoc_status")
	}
	if l.Year != 0 && (l.Year < 1946 || l.Year > 2200) {
		f.Say(p+"year", "err.registration.year_from")
	}
	return ECOSOCListing{Name: name, Status: st, Year: l.Year}
}

// AmbiguousListing is a name of the list that was neither matched nor
// created: the secretariat decides (edits a record's name to the list's,
// or leaves it).
type AmbiguousListing struct {
	Name       string         `json:"name"`
	Why        string         `json:"why"`
	Candidates []OrgCandidate `json:"candidates"`
}

// OrgCandidate is an organization record a listing might mean.
type OrgCandidate struct {
	ID   uint   `json:"id"`
	Name string `json:"name"`
}

// ECOSOCReport is what an import did.
type ECOSOCReport struct {
	Matched   int                `json:"matched"`
	New       int                `json:"new"`
	Ambiguous []AmbiguousListing `json:"ambiguous"`
	// Removed counts the organizations the previous list had and this one
	// has not: they are no longer on the ECOSOC track.
	Removed int `json:"removed"`
}

// looseKey folds a name as NameKey does, then drops accents and
// punctuation: two names that differ only there are not matched (the
// registration's folding decides), but are reported as ambiguous rather
// than create a second record.
func looseKey(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(NameKey(name)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ImportECOSOC stores the UN's list of organizations in consultative
// status: it replaces the list imported before. Each listing is matched
// to the organization record of the same name, folded as registration
// folds it (NameKey: case, spacing and Unicode forms ignored); a name
// that matches none is created as a record (with only its name, which the
// first registration for it completes: type, country, acronym, website),
// so that whoever registers for it later is on the ECOSOC track. A name
// that matches no record exactly but one that differs only by accents or
// punctuation, or that the list gives twice with different statuses, is
// left out and reported as ambiguous. Nothing is stored unless every line
// is valid.
func (s *Service) ImportECOSOC(ctx context.Context, in []ECOSOCListing) (*ECOSOCReport, error) {
	f := apperr.Fields{}
	if len(in) == 0 {
		f.Say("file", "err.registration.empty_list")
	}
	listings := make([]ECOSOCListing, len(in))
	for i, l := range in {
		listings[i] = validListing(f, fmt.Sprintf("line %d.", i+2), l)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	rep := &ECOSOCReport{Ambiguous: []AmbiguousListing{}}
	// One listing per folded name; a name given twice with two statuses
	// is ambiguous.
	byKey := map[string]*ECOSOCListing{}
	var keys []string
	conflicting := map[string]bool{}
	for i := range listings {
		l := &listings[i]
		k := NameKey(l.Name)
		if prev, ok := byKey[k]; ok {
			if prev.Status != l.Status {
				conflicting[k] = true
			}
			continue
		}
		byKey[k] = l
		keys = append(keys, k)
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var orgs []models.Organization
		if err := tx.Select("id", "name", "name_key", "type", "ecosoc_verified").Find(&orgs).Error; err != nil {
			return err
		}
		exact := map[string]*models.Organization{}
		loose := map[string][]*models.Organization{}
		for i := range orgs {
			o := &orgs[i]
			if IsState(o.Type) {
				continue
			}
			exact[o.NameKey] = o
			loose[looseKey(o.Name)] = append(loose[looseKey(o.Name)], o)
		}
		listed := map[uint]bool{}
		for _, k := range keys {
			l := byKey[k]
			if conflicting[k] {
				rep.Ambiguous = append(rep.Ambiguous, AmbiguousListing{Name: l.Name, Why: "the list gives it twice, with different statuses", Candidates: []OrgCandidate{}})
				continue
			}
			if o := exact[k]; o != nil {
				listed[o.ID] = true
				rep.Matched++
				if err := tx.Model(&models.Organization{}).Where("id = ?", o.ID).Updates(map[string]any{
					"ecosoc_verified": l.Status, "ecosoc_year": l.Year, "ecosoc_status": l.Status}).Error; err != nil {
					return err
				}
				continue
			}
			if near := loose[looseKey(l.Name)]; len(near) > 0 {
				a := AmbiguousListing{Name: l.Name, Why: "no record has this name, but some differ from it only by accents or punctuation"}
				for _, o := range near {
					a.Candidates = append(a.Candidates, OrgCandidate{ID: o.ID, Name: o.Name})
				}
				rep.Ambiguous = append(rep.Ambiguous, a)
				continue
			}
			o := models.Organization{Name: l.Name, NameKey: k, Type: "ngo", ECOSOCStatus: l.Status, ECOSOCVerified: l.Status, ECOSOCYear: l.Year}
			if err := tx.Create(&o).Error; err != nil {
				return err
			}
			listed[o.ID] = true
			rep.New++
		}
		for _, o := range orgs {
			if o.ECOSOCVerified != "" && !listed[o.ID] {
				if err := tx.Model(&models.Organization{}).Where("id = ?", o.ID).
					Updates(map[string]any{"ecosoc_verified": "", "ecosoc_year": 0}).Error; err != nil {
					return err
				}
				rep.Removed++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(rep.Ambiguous, func(i, j int) bool { return rep.Ambiguous[i].Name < rep.Ambiguous[j].Name })
	return rep, nil
}
