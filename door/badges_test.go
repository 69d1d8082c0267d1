package door

import (
	"os"
	"testing"

	"rostrum/summary"
)

// TestBadgesRenderEveryCategory draws a badge of each category (and, with
// ROSTRUM_BADGES_OUT set, keeps the PDF to look at).
func TestBadgesRenderEveryCategory(t *testing.T) {
	fonts, err := summary.SystemFonts()
	if err != nil {
		t.Skip(err)
	}
	var bs []Badge
	names := []string{"Ambassador Marie-Claire Dubois-Lefèvre", "ليلى حداد", "王小明", "Grace Mutung'u", "김민지", "Аркадий Петров", "נועה פרץ", "Ana Souza"}
	orgs := []string{"Singapore", "State of Palestine", "International Telecommunication Union", "Kenya ICT Action Network", "Samsung Electronics", "北京大学网络法研究中心", "Internet Society", "منظمة الإنترنت العربية"}
	for i, c := range []string{"member_state", "observer_state", "intergovernmental", "ngo", "private_sector", "academia", "technical_community", "other"} {
		bs = append(bs, Badge{Name: names[i], Organization: orgs[i], Category: c, Code: "ABCDEFGHIJKLMNOPQRST"})
	}
	for _, f := range []string{FormatSheet, FormatA6} {
		b, err := BadgesPDF(bs, "Informal intersessional consultative meeting of the Open-ended Working Group", f, fonts)
		if err != nil {
			t.Fatal(err)
		}
		if out := os.Getenv("ROSTRUM_BADGES_OUT"); out != "" {
			_ = os.WriteFile(out+"-"+f+".pdf", b, 0o644)
		}
	}
}
