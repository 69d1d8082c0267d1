package registration

import "testing"

func TestOrganizationNamesMatchIgnoringCaseAndSpaces(t *testing.T) {
	same := [][2]string{
		{"Access Now", "ACCESS  NOW"},
		{"Access Now", " access now "},
		{"Access Now", "AccessNow"},
		{"Université de Genève", "UNIVERSITÉ DE GENÈVE"},
		{"Université de Genève", "Universite\u0301 de Gene\u0300ve"}, // decomposed accents
		{"Straße e.V.", "STRASSE E.V."},
		{"ＩＣＡＮＮ", "icann"}, // full-width
		{"Internet\u00a0Society", "internet society"},
		{"中国互联网协会", " 中国互联网协会"},
	}
	for _, p := range same {
		if NameKey(p[0]) != NameKey(p[1]) {
			t.Errorf("%q and %q differ: %q vs %q", p[0], p[1], NameKey(p[0]), NameKey(p[1]))
		}
	}
	if NameKey("Access Now") == NameKey("Access Later") {
		t.Error("different names matched")
	}
}

func TestWebsitesMatchByHostWithoutSchemeWWWOrTrailingSlash(t *testing.T) {
	cases := []struct{ in, key string }{
		{"https://www.Example.org/", "example.org"},
		{"http://example.org", "example.org"},
		{"example.org", "example.org"},
		{"WWW.EXAMPLE.ORG/", "example.org"},
		{"https://example.org:8443/about/", "example.org/about"},
		{"https://platform.example/ngo-a", "platform.example/ngo-a"},
		{"", ""},
		{"not a website", ""},
		{"ftp://example.org", ""},
		{"localhost", ""},
	}
	for _, c := range cases {
		if got := WebsiteKey(c.in); got != c.key {
			t.Errorf("WebsiteKey(%q) = %q, want %q", c.in, got, c.key)
		}
	}
	if WebsiteKey("https://platform.example/ngo-a") == WebsiteKey("https://platform.example/ngo-b") {
		t.Error("two pages of one platform matched")
	}
	if w, ok := NormalizeWebsite("Example.org/x"); !ok || w != "https://example.org/x" {
		t.Errorf("NormalizeWebsite: %q %v", w, ok)
	}
}
