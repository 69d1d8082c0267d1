package auth

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Limits of a staff password. bcrypt reads at most 72 bytes, so a longer
// password would be silently cut.
const (
	MinPasswordRunes = 12
	MaxPasswordBytes = 72
)

// commonPasswordsText is the 10,000 most common passwords, one a line,
// most common first: the first 10,000 entries of passwords.json in the npm
// package @zxcvbn-ts/language-common 4.1.3 (MIT, see
// common-passwords.LICENSE), which zxcvbn drew from leaked password
// lists. Regenerate with
//
//	npm pack @zxcvbn-ts/language-common@4.1.3 && tar xzf zxcvbn-ts-language-common-4.1.3.tgz &&
//	python3 -c 'import json; print("\n".join(json.load(open("package/src/passwords.json"))[:10000]))' > common-passwords.txt
//
//go:embed common-passwords.txt
var commonPasswordsText string

// commonPasswords is the list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10000)
	for _, p := range strings.Split(commonPasswordsText, "\n") {
		if p != "" {
			set[p] = struct{}{}
		}
	}
	return set
})

// IsCommonPassword reports whether p, ignoring case, is among the 10,000
// most common passwords.
func IsCommonPassword(p string) bool {
	_, ok := commonPasswords()[strings.ToLower(p)]
	return ok
}

// PasswordProblem says why password may not be the password of the staff
// account email, or returns "" when it may. The rule holds wherever a
// password is set: a new account (POST /api/users), the admin of the
// configuration (admin_password), and any later change. It follows NIST
// SP 800-63B: length, and no password an attacker tries first (a common
// one, one character repeated, the account's own address), rather than
// rules about kinds of characters.
func PasswordProblem(password, email string) string {
	n := utf8.RuneCountInString(password)
	lower := strings.ToLower(password)
	email = strings.ToLower(strings.TrimSpace(email))
	local, _, _ := strings.Cut(email, "@")
	switch {
	case !utf8.ValidString(password):
		return "must be valid UTF-8 text"
	case n < MinPasswordRunes:
		return fmt.Sprintf("must be at least %d characters (this one has %d)", MinPasswordRunes, n)
	case len(password) > MaxPasswordBytes:
		return fmt.Sprintf("must be at most %d bytes (this one has %d)", MaxPasswordBytes, len(password))
	case strings.Count(password, string([]rune(password)[:1])) == n:
		return "must not be one character repeated"
	case IsCommonPassword(password):
		return "is one of the 10,000 most common passwords, which are tried first; choose another"
	case email != "" && strings.Contains(lower, email):
		return "must not contain the account's email address"
	case utf8.RuneCountInString(local) >= 4 && strings.Contains(lower, local):
		return "must not contain the account's email name (" + local + ")"
	}
	return ""
}
