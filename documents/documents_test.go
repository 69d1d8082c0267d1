package documents

import "testing"

func TestSafeFilenameKeepsOnlyWhatNeedsNoQuoting(t *testing.T) {
	for _, tc := range []struct{ name, fallback, ct, want string }{
		{"Chair's working paper (final).pdf", "", PDF, "Chair-s-working-paper-final.pdf"},
		{`..\..\evil"; x=y.docx`, "", PDF, "evil-x-y.pdf"},
		{"../../etc/passwd", "", DOCX, "passwd.docx"},
		{"программа.pdf", "Programme of work", PDF, "Programme-of-work.pdf"},
		{"", "", PDF, "document.pdf"},
		{"-- ..", "", PDF, "document.pdf"},
	} {
		if got := SafeFilename(tc.name, tc.fallback, tc.ct); got != tc.want {
			t.Errorf("SafeFilename(%q, %q) = %q, want %q", tc.name, tc.fallback, got, tc.want)
		}
	}
}

func TestSniffGoesByContent(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{[]byte("%PDF-1.7\n"), PDF},
		{[]byte(" %PDF-1.7\n"), ""},
		{[]byte("PK\x03\x04 not really a zip"), ""},
		{[]byte("<html>"), ""},
	} {
		if got := Sniff(tc.data); got != tc.want {
			t.Errorf("Sniff(%q) = %q, want %q", tc.data, got, tc.want)
		}
	}
}
