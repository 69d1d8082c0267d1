package registration

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

var folder = cases.Fold()

// NameKey folds an organization's name for matching: Unicode
// compatibility-normalized (NFKC, so full-width and composed forms meet),
// case-folded, and without any white space, so that "Access Now",
// "ACCESS  NOW" and " access now " are one organization.
func NameKey(name string) string {
	s := folder.String(norm.NFKC.String(name))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// NormalizeWebsite turns what a person typed as a website ("example.org",
// "HTTPS://www.Example.org/") into an absolute http(s) URL, and reports
// whether it is one.
func NormalizeWebsite(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") { // Parse lower-cases the scheme
		return "", false
	}
	host := u.Hostname()
	if host == "" || u.User != nil || strings.ContainsAny(host, " _") || !strings.Contains(host, ".") {
		return "", false
	}
	u.Host = strings.ToLower(u.Host)
	return u.String(), true
}

// WebsiteKey folds a website for matching: the host without "www." nor
// port, lower-cased, followed by the path without a trailing slash; scheme,
// query and fragment are ignored. "https://www.Example.org/" and
// "http://example.org" share the key "example.org"; the path is kept so
// that two organizations with pages on one platform stay apart.
func WebsiteKey(website string) string {
	w, ok := NormalizeWebsite(website)
	if !ok || w == "" {
		return ""
	}
	u, _ := url.Parse(w)
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	path := strings.TrimRight(strings.ToLower(u.EscapedPath()), "/")
	return host + path
}
