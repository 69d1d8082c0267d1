// Package lists is the secretariat's distribution lists: named lists of
// addresses (the Permanent Missions, the observers) that a circulation
// goes to besides a meeting's participants. Lists are the secretariat's
// own and shared by every meeting. It owns distribution_lists and
// distribution_addresses.
package lists

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
	"rostrum/textcheck"
)

// MaxAddresses bounds one list.
const MaxAddresses = 2000

// Address is one recipient of a list.
type Address struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Input is a list as the secretariat sends it.
type Input struct {
	Name      string    `json:"name"`
	Addresses []Address `json:"addresses"`
}

// View is a stored list.
type View struct {
	ID        uint      `json:"id"`
	Name      string    `json:"name"`
	Count     int       `json:"count"`
	Addresses []Address `json:"addresses,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Service stores distribution lists.
type Service struct {
	DB *gorm.DB
	// Missions, when set, gives the Permanent Missions' addresses (package
	// delegations owns them), for BuildMissions.
	Missions func(ctx context.Context) ([]Address, error)
}

// Normalize returns the bare address of s with its domain in lower
// case, or "" when s is not one address.
func Normalize(s string) string {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || strings.ContainsAny(a.Address, "\r\n") || len(a.Address) > 254 {
		return ""
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 1 {
		return ""
	}
	return a.Address[:at] + "@" + strings.ToLower(a.Address[at+1:])
}

// check validates in and returns its addresses normalized, each once
// (the first name given wins).
func check(in *Input) ([]Address, error) {
	f := apperr.Fields{}
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		f.Say("name", "err.field.required")
	case !utf8.ValidString(in.Name):
		f.Say("name", "err.summary.utf8")
	case utf8.RuneCountInString(in.Name) > 200:
		f.Say("name", "err.summary.at_most_chars", "Max", 200)
	default:
		checkFault(f, "name", in.Name)
	}
	if len(in.Addresses) == 0 {
		f.Say("addresses", "err.lists.one_address")
	} else if len(in.Addresses) > MaxAddresses {
		f.Say("addresses", "err.lists.at_most_addresses", "Max", MaxAddresses)
	}
	seen := map[string]bool{}
	var out []Address
	for i, a := range in.Addresses {
		if len(in.Addresses) > MaxAddresses {
			break
		}
		field := fmt.Sprintf("addresses[%d]", i)
		e := Normalize(a.Email)
		if e == "" {
			f.Say(field+".email", "err.summary.not_an_address")
			continue
		}
		name := strings.TrimSpace(a.Name)
		if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 {
			f.Say(field+".name", "err.lists.name_text", "Max", 200)
			continue
		}
		if checkFault(f, field+".name", name) {
			continue
		}
		if seen[strings.ToLower(e)] {
			continue
		}
		seen[strings.ToLower(e)] = true
		out = append(out, Address{Name: name, Email: e})
	}
	return out, f.Err()
}

// ParseCSV reads a list's addresses from CSV with a header row naming
// the columns "name" and "email" (in any order; other columns are
// ignored).
func ParseCSV(data []byte) ([]Address, error) {
	if !utf8.Valid(data) {
		return nil, apperr.Say(apperr.KindInvalid, "err.api.csv_utf8").WithField("csv", "err.lists.save_utf8")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, apperr.Say(apperr.KindInvalid, "err.lists.no_header").WithField("csv", "err.lists.header_columns")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	ei, ok := col["email"]
	if !ok {
		return nil, apperr.Say(apperr.KindInvalid, "err.lists.no_email_column").WithField("csv", "err.lists.header_columns")
	}
	ni, hasName := col["name"]
	var out []Address
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, apperr.Say(apperr.KindInvalid, "err.lists.csv_unreadable").WithField("csv", "err.lists.csv_line", "Line", line, "Why", err.Error())
		}
		if len(out) > MaxAddresses {
			break // check says so
		}
		a := Address{}
		if ei < len(rec) {
			a.Email = rec[ei]
		}
		if hasName && ni < len(rec) {
			a.Name = rec[ni]
		}
		out = append(out, a)
	}
	return out, nil
}

// Save creates the list named in.Name, or replaces the addresses of the
// list of that name, in one transaction. (A list belongs to no meeting,
// and the audit log is per meeting: saving a list is not audited.)
func (s *Service) Save(ctx context.Context, in Input) (*View, error) {
	addrs, err := check(&in)
	if err != nil {
		return nil, err
	}
	var id uint
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var l models.DistributionList
		if err := tx.Where("name = ?", in.Name).Limit(1).Find(&l).Error; err != nil {
			return err
		}
		if l.ID == 0 {
			l = models.DistributionList{Name: in.Name}
			if err := tx.Create(&l).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					return apperr.Say(apperr.KindConflict, "err.lists.saved_meanwhile", "Name", strconv.Quote(in.Name))
				}
				return err
			}
		} else {
			if err := tx.Where("list_id = ?", l.ID).Delete(&models.DistributionAddress{}).Error; err != nil {
				return err
			}
			if err := tx.Model(&l).Update("updated_at", time.Now().UTC()).Error; err != nil {
				return err
			}
		}
		rows := make([]models.DistributionAddress, len(addrs))
		for i, a := range addrs {
			rows[i] = models.DistributionAddress{ListID: l.ID, Position: i, Name: a.Name, Email: a.Email}
		}
		if err := tx.Omit("List").CreateInBatches(rows, 200).Error; err != nil {
			return err
		}
		id = l.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// BuildMissions saves the list name from the Permanent Missions'
// addresses as package delegations holds them now.
func (s *Service) BuildMissions(ctx context.Context, name string) (*View, error) {
	if s.Missions == nil {
		return nil, fmt.Errorf("lists: no source of missions")
	}
	as, err := s.Missions(ctx)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, apperr.Say(apperr.KindInvalid, "err.lists.no_missions").WithField("from", "err.lists.import_missions")
	}
	return s.Save(ctx, Input{Name: name, Addresses: as})
}

// All lists every list without its addresses, by name.
func (s *Service) All(ctx context.Context) ([]View, error) {
	var ls []models.DistributionList
	db := s.DB.WithContext(ctx)
	if err := db.Order("name").Find(&ls).Error; err != nil {
		return nil, err
	}
	var counts []struct {
		ListID uint
		N      int
	}
	if err := db.Model(&models.DistributionAddress{}).Select("list_id, count(*) AS n").Group("list_id").Scan(&counts).Error; err != nil {
		return nil, err
	}
	n := map[uint]int{}
	for _, c := range counts {
		n[c.ListID] = c.N
	}
	out := make([]View, len(ls))
	for i, l := range ls {
		out[i] = View{ID: l.ID, Name: l.Name, Count: n[l.ID], UpdatedAt: l.UpdatedAt}
	}
	return out, nil
}

// Get returns list id with its addresses in order.
func (s *Service) Get(ctx context.Context, id uint) (*View, error) {
	db := s.DB.WithContext(ctx)
	var l models.DistributionList
	if err := db.Where("id = ?", id).Limit(1).Find(&l).Error; err != nil {
		return nil, err
	}
	if l.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.lists.no_list", "ID", id)
	}
	var rows []models.DistributionAddress
	if err := db.Where("list_id = ?", l.ID).Order("position").Find(&rows).Error; err != nil {
		return nil, err
	}
	v := &View{ID: l.ID, Name: l.Name, Count: len(rows), UpdatedAt: l.UpdatedAt, Addresses: make([]Address, len(rows))}
	for i, r := range rows {
		v.Addresses[i] = Address{Name: r.Name, Email: r.Email}
	}
	return v, nil
}

// Addresses returns the addresses of the lists ids, for a circulation:
// a NotFound names the first list that does not exist.
func (s *Service) Addresses(ctx context.Context, ids ...uint) ([]Address, error) {
	var out []Address
	for _, id := range ids {
		v, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, v.Addresses...)
	}
	return out, nil
}

// checkFault says, for field, why v holds a character it may not, and
// reports whether it does.
func checkFault(f apperr.Fields, field, v string) bool {
	id, r := textcheck.Fault(v, false)
	if id != "" {
		f.Say(field, id, "Char", fmt.Sprintf("U+%04X", r))
	}
	return id != ""
}
