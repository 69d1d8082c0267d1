package registration

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"rostrum/models"
)

// FuzzWriteCSV checks that whatever a registration holds, the export is
// well-formed CSV with one row per registration, every cell reads back as
// the text entered (after the neutralising apostrophe), and no cell starts
// a spreadsheet formula.
func FuzzWriteCSV(f *testing.F) {
	f.Add("=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-2", "@SUM(A1)", "a\"b,c\nd")
	f.Add("\tcmd", "\r=1", "</w:t><w:t>", "<script>", "Zoë 日本")
	f.Fuzz(func(t *testing.T, name, job, org, acronym, reason string) {
		r := models.Registration{Name: name, JobTitle: job, Reason: reason, Status: "pending", CreatedAt: time.Unix(0, 0)}
		r.ID = 1
		r.Organization.Name, r.Organization.Acronym = org, acronym
		var buf bytes.Buffer
		if err := WriteCSV(&buf, []models.Registration{r, r}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatalf("export is not CSV: %v", err)
		}
		if len(rows) != 3 {
			t.Fatalf("%d rows, want header and 2", len(rows))
		}
		for _, row := range rows[1:] {
			for i, c := range row {
				if c != "" && (c[0] == '=' || c[0] == '+' || c[0] == '-' || c[0] == '@' || c[0] == '\t' || c[0] == '\r') {
					t.Fatalf("column %s starts a formula: %q", CSVHeader[i], c)
				}
			}
			// encoding/csv drops carriage returns inside quoted fields.
			for col, want := range map[int]string{2: name, 4: job, 5: org, 6: acronym, 14: reason} {
				if got := crlf(row[col]); got != crlf(SafeCell(want)) && got != crlf(want) {
					t.Fatalf("column %s: %q, entered %q", CSVHeader[col], got, want)
				}
			}
		}
	})
}

func crlf(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte("\r"), nil)) }
