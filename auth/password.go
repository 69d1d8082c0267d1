package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"rostrum/apperr"
	"rostrum/locale"
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
	if m := passwordProblem(password, email); m.ID != "" {
		return m.In(locale.Default)
	}
	return ""
}

// passwordProblem is PasswordProblem's message in the staff's
// catalogues, or the zero Msg when password may be used.
func passwordProblem(password, email string) apperr.Msg {
	n := utf8.RuneCountInString(password)
	lower := strings.ToLower(password)
	email = strings.ToLower(strings.TrimSpace(email))
	local, _, _ := strings.Cut(email, "@")
	switch {
	case !utf8.ValidString(password):
		return apperr.Msg{ID: "err.field.utf8"}
	case n < MinPasswordRunes:
		return apperr.Msg{ID: "err.auth.password_short", Args: []any{"Min", MinPasswordRunes, "Has", n}}
	case len(password) > MaxPasswordBytes:
		return apperr.Msg{ID: "err.auth.password_long", Args: []any{"Max", MaxPasswordBytes, "Has", len(password)}}
	case strings.Count(password, string([]rune(password)[:1])) == n:
		return apperr.Msg{ID: "err.auth.password_repeated"}
	case IsCommonPassword(password):
		return apperr.Msg{ID: "err.auth.password_common"}
	case email != "" && strings.Contains(lower, email):
		return apperr.Msg{ID: "err.auth.password_email"}
	case utf8.RuneCountInString(local) >= 4 && strings.Contains(lower, local):
		return apperr.Msg{ID: "err.auth.password_email_name", Args: []any{"Name", local}}
	}
	return apperr.Msg{}
}
