package registration

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"rostrum/models"
)

// CSVHeader names the columns of the registrations export.
var CSVHeader = []string{
	"id", "status", "name", "email", "job_title", "organization", "acronym", "type",
	"country", "country_name", "website", "ecosoc_status", "registered_at", "decided_at", "reason",
}

// SafeCell neutralises a cell that a spreadsheet would read as a formula
// (one starting with =, +, -, @, a tab or a carriage return) by prefixing
// an apostrophe, which spreadsheets show as text and do not evaluate.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// WriteCSV writes registrations as CSV for spreadsheets: UTF-8 with a byte
// order mark (so that Excel reads accented and non-Latin names right), a
// header row, and every cell neutralised against formula injection.
func WriteCSV(w io.Writer, regs []models.Registration) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180, and what Excel writes
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	row := make([]string, len(CSVHeader))
	for i := range regs {
		r := &regs[i]
		o := &r.Organization
		created := r.CreatedAt
		cells := []string{
			strconv.FormatUint(uint64(r.ID), 10), r.Status, r.Name, r.Email, r.JobTitle, o.Name, o.Acronym, o.Type,
			o.Country, CountryName(o.Country), o.Website, o.ECOSOCStatus, csvTime(&created), csvTime(r.DecidedAt), r.Reason,
		}
		for j, c := range cells {
			row[j] = SafeCell(c)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportCSV writes the meeting's registrations matching f (every page of
// them) as CSV to w.
func (s *Service) ExportCSV(ctx context.Context, w io.Writer, meetingID uint, f Filter) error {
	f.Limit, f.Offset = 0, 0
	if err := f.Validate(); err != nil {
		return err
	}
	var regs []models.Registration
	if err := s.filtered(ctx, meetingID, f).Preload("Organization").
		Order("registrations.created_at, registrations.id").Find(&regs).Error; err != nil {
		return err
	}
	return WriteCSV(w, regs)
}
