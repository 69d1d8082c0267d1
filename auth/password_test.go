package auth

import (
	"strings"
	"testing"
)

func TestPasswordRule(t *testing.T) {
	const email = "Secretariat@Example.org"
	cases := []struct {
		password string
		ok       bool
		why      string // part of the message when refused
	}{
		{"        ", false, "at least 12"},
		{strings.Repeat(" ", 12), false, "one character repeated"},
		{strings.Repeat("a", 40), false, "one character repeated"},
		{"eleven char", false, "at least 12"},
		{"ééééééééééé", false, "at least 12"}, // 11 characters, 22 bytes
		{"qwerty123456", false, "most common"},
		{"QWERTY123456", false, "most common"},
		{"1qaz2wsx3edc", false, "most common"},
		{"my secretariat@example.org!", false, "email address"},
		{"SECRETARIAT-2026", false, "email name"},
		{strings.Repeat("ab", 37), false, "at most 72 bytes"},
		{"correct horse battery", true, ""},
		{"load-test-password", true, ""},
		{"зимняя ночь тиха", true, ""}, // 16 characters of Cyrillic
		{"長い夜が明けるまで待つ会議", true, ""},    // 13 characters of CJK
		{strings.Repeat("ab", 36), true, ""},
	}
	for _, c := range cases {
		msg := PasswordProblem(c.password, email)
		if c.ok && msg != "" {
			t.Errorf("%q refused: %s", c.password, msg)
		}
		if !c.ok && !strings.Contains(msg, c.why) {
			t.Errorf("%q: got %q, want a refusal saying %q", c.password, msg, c.why)
		}
	}
}

func TestCommonPasswordListHasTenThousand(t *testing.T) {
	if n := len(commonPasswords()); n != 10000 {
		t.Fatalf("%d common passwords, want 10000", n)
	}
	for _, p := range []string{"123456", "password", "trustno1"} {
		if !IsCommonPassword(p) {
			t.Errorf("%q is not in the list", p)
		}
	}
}
