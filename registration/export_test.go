package registration

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"rostrum/models"
)

func TestCSVNeutralisesFormulasAndKeepsHTMLAsText(t *testing.T) {
	regs := []models.Registration{{
		ID: 7, Status: "approved", Name: "=HYPERLINK(\"http://evil\",\"x\")", Email: "@sum@example.org", JobTitle: "+1 analyst",
		Reason: "-2+3", Organization: models.Organization{Name: "<script>alert(1)</script>", Type: "ngo", Country: "CI", Acronym: "\tTAB"},
	}, {
		ID: 8, Status: "pending", Name: "Zoë Ångström 王小明", Email: "z@example.org", JobTitle: "\rCR",
		Organization: models.Organization{Name: "Université de Genève", Type: "academia", Country: "CH"},
	}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, regs); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("rows %q", rows)
	}
	col := func(row []string, name string) string {
		for i, h := range CSVHeader {
			if h == name {
				return row[i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	r := rows[1]
	for name, want := range map[string]string{
		"name": "'=HYPERLINK(\"http://evil\",\"x\")", "email": "'@sum@example.org", "job_title": "'+1 analyst",
		"reason": "'-2+3", "acronym": "'\tTAB", "organization": "<script>alert(1)</script>", "country_name": "Côte d’Ivoire",
	} {
		if got := col(r, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := col(rows[2], "name"); got != "Zoë Ångström 王小明" {
		t.Errorf("name = %q", got)
	}
	// In CRLF mode encoding/csv drops a lone CR inside a cell; the cell
	// is neutralised before that.
	if got := col(rows[2], "job_title"); got != "'CR" {
		t.Errorf("job_title = %q", got)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
}
