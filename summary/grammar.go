package summary

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"rostrum/registration"
)

// The summary's sentences are built from the small grammar below rather
// than by pasting strings: lists are joined the English way, counts agree
// with their nouns, a title or a key point set inside a sentence loses its
// capital (but an acronym or a proper name keeps it), and a rapporteur's
// key point becomes a clause of reported speech.

// JoinAnd joins parts as English does: "A", "A and B", "A, B and C" (UN
// style: no serial comma).
func JoinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// Plural is a count with its noun: "1 organization", "2 organizations".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Article is the indefinite article for word: "a", or "an" before a vowel
// sound as far as spelling tells ("an NGO" is left to whoever writes it).
func Article(word string) string {
	r, _ := utf8.DecodeRuneInString(strings.ToLower(word))
	if strings.ContainsRune("aeiou", r) {
		return "an"
	}
	return "a"
}

// About says a length of time the way a person does: "less than a
// minute", "about 55 minutes", "about 1 hour and 20 minutes". Exact
// minutes are said without "about".
func About(d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	switch {
	case sec < 30:
		return "less than a minute"
	case sec < 3600:
		m := (sec + 30) / 60
		if sec%60 == 0 {
			return Plural(m, "minute", "minutes")
		}
		return "about " + Plural(m, "minute", "minutes")
	}
	// Past an hour, to the nearest five minutes.
	m := (sec + 150) / 300 * 5
	h, m := m/60, m%60
	s := Plural(h, "hour", "hours")
	if m > 0 {
		s += " and " + Plural(m, "minute", "minutes")
	}
	if sec%300 == 0 {
		return s
	}
	return "about " + s
}

// keepCapital are words that keep their capital inside a sentence in UN
// usage: "States should publish …", "the Internet".
var keepCapital = map[string]bool{
	"State": true, "States": true, "Member": true, "United": true, "Nations": true, "Internet": true,
	"Charter": true, "Chair": true, "Secretary-General": true, "General": true, "Assembly": true,
	"Council": true, "Government": true, "Governments": true, "Working": true, "Group": true, "I": true,
}

// MidSentence prepares text that starts with a capital only because it
// was written on its own (a title, a key point) to stand inside a
// sentence: a leading "The" goes to lower case, and so does the first
// word when it is a common word. Acronyms (OEWG, ICTs), words with
// capitals inside (eSports, iPhone), proper names that the caller knows
// (isProper) and UN words such as "States" keep their capital.
func MidSentence(text string, isProper func(word string) bool) string {
	first, rest, _ := strings.Cut(text, " ")
	if first == "" {
		return text
	}
	if first == "The" || first == "A" || first == "An" {
		next, _, _ := strings.Cut(rest, " ")
		if next == "" {
			return strings.ToLower(first) + " " + rest
		}
		return strings.ToLower(first) + " " + MidSentence(rest, isProper)
	}
	bare := strings.TrimSuffix(strings.TrimSuffix(strings.TrimRight(first, ",;:."), "'s"), "’s")
	if !commonWord(first) || keepCapital[bare] || (isProper != nil && isProper(bare)) {
		return text
	}
	r, n := utf8.DecodeRuneInString(text)
	return string(unicode.ToLower(r)) + text[n:]
}

// commonWord reports whether w looks like a common word capitalised only
// because it starts a text: one capital, then lower-case letters.
func commonWord(w string) bool {
	for i, r := range w {
		if i == 0 {
			if !unicode.IsUpper(r) {
				return false
			}
			continue
		}
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// Capitalize starts a sentence with a capital.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// gerunds are the imperative verbs rapporteurs start key points with,
// and their gerunds: "Address the proliferation …" is reported as "called
// for addressing the proliferation …". A table, not a rule, so that
// "Stop" gives "stopping" and "Use" gives "using".
var gerunds = map[string]string{
	"address": "addressing", "adopt": "adopting", "advance": "advancing", "align": "aligning",
	"apply": "applying", "avoid": "avoiding", "build": "building", "clarify": "clarifying",
	"combat": "combating", "consider": "considering", "consult": "consulting", "continue": "continuing",
	"coordinate": "coordinating", "counter": "countering", "create": "creating", "define": "defining",
	"develop": "developing", "encourage": "encouraging", "engage": "engaging", "enhance": "enhancing",
	"ensure": "ensuring", "establish": "establishing", "expand": "expanding", "facilitate": "facilitating",
	"focus": "focusing", "foster": "fostering", "give": "giving", "guarantee": "guaranteeing",
	"harmonize": "harmonizing", "help": "helping", "identify": "identifying", "implement": "implementing",
	"improve": "improving", "include": "including", "increase": "increasing", "integrate": "integrating",
	"invest": "investing", "involve": "involving", "keep": "keeping", "limit": "limiting",
	"mainstream": "mainstreaming", "maintain": "maintaining", "make": "making", "monitor": "monitoring",
	"prevent": "preventing", "prioritize": "prioritizing", "promote": "promoting", "protect": "protecting",
	"provide": "providing", "publish": "publishing", "put": "putting", "raise": "raising",
	"recognize": "recognizing", "recognise": "recognising", "reduce": "reducing", "refrain": "refraining",
	"reinforce": "reinforcing", "report": "reporting", "respect": "respecting", "review": "reviewing",
	"set": "setting", "share": "sharing", "stop": "stopping", "strengthen": "strengthening",
	"support": "supporting", "take": "taking", "train": "training", "treat": "treating",
	"uphold": "upholding", "use": "using", "work": "working",
}

// finite are words that make a key point a statement ("States should
// publish …", "The Charter applies …") rather than a call or a topic.
var finite = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "has": true, "have": true, "had": true,
	"should": true, "must": true, "can": true, "could": true, "would": true, "will": true, "may": true,
	"might": true, "shall": true, "need": true, "needs": true, "remain": true, "remains": true,
	"apply": true, "applies": true, "require": true, "requires": true, "exist": true, "exists": true,
	"depend": true, "depends": true, "lack": true, "lacks": true, "pose": true, "poses": true,
	"affect": true, "affects": true, "deserve": true, "deserves": true, "help": true, "helps": true,
	"mean": true, "means": true, "cannot": true, "do": true, "does": true, "did": true,
}

// Reported turns a rapporteur's key point into a verb and its object in
// reported speech: an imperative becomes a call ("called for", gerund),
// a statement is reported ("noted that", lower-cased), and a topic (a
// noun phrase) is called for as it is.
func Reported(point string, isProper func(string) bool) (verb, object string) {
	point = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(point), ".;:!"))
	first, rest, _ := strings.Cut(point, " ")
	if g, ok := gerunds[strings.ToLower(first)]; ok && commonWordOrLower(first) {
		if rest == "" {
			return "called for", g
		}
		return "called for", g + " " + rest
	}
	if strings.HasSuffix(point, "?") {
		return "asked", fmt.Sprintf("“%s”", point)
	}
	words := strings.Fields(point)
	for i, w := range words {
		if i > 0 && finite[strings.ToLower(strings.Trim(w, ",;:"))] {
			return "noted that", MidSentence(point, isProper)
		}
	}
	return "called for", MidSentence(point, isProper)
}

func commonWordOrLower(w string) bool { return commonWord(w) || w == strings.ToLower(w) }

// countryName is the English name of a country code, from the owner of
// the country vocabulary (registration, on CLDR's data).
func countryName(code string) string {
	if strings.TrimSpace(code) == "" {
		return ""
	}
	return registration.CountryName(strings.ToUpper(code))
}

// properName reports whether word starts the English name of a country
// ("Singapore stressed …" keeps its capital mid-sentence).
func properName(word string) bool { return countryWords()[word] }

var countryWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, c := range registration.Countries() {
		first, _, _ := strings.Cut(c.Name, " ")
		m[first] = true
	}
	return m
})

// BodyName names the body a meeting serves as a UN document does: its
// first mention gives the full name and defines the short name after it
// ("Open-ended Working Group on … (OEWG)"), every later one uses the
// short name ("the OEWG"). The short name is an acronym, or a short form
// with its article ("the Committee"); without one the full name is used
// throughout.
type BodyName struct {
	Full    string // "Open-ended Working Group on …", with or without "the"
	Acronym string // "OEWG", "the Committee", or ""
}

// full is the body's full name without a leading article.
func (b BodyName) full() string {
	f := strings.TrimSpace(cleanText(b.Full))
	if first, rest, ok := strings.Cut(f, " "); ok && strings.EqualFold(first, "the") {
		return rest
	}
	return f
}

func (b BodyName) acronym() string { return strings.TrimSpace(cleanText(b.Acronym)) }

// IsZero reports whether no body is named.
func (b BodyName) IsZero() bool { return b.full() == "" }

// Defined is the first mention, without an article: "Open-ended Working
// Group on … (OEWG)", "Ad Hoc Committee on … (the Committee)".
func (b BodyName) Defined() string {
	if a := b.acronym(); a != "" {
		return b.full() + " (" + a + ")"
	}
	return b.full()
}

// Short is every later mention, with its article: "the OEWG", "the
// Committee", or "the" and the full name when there is no short name.
func (b BodyName) Short() string {
	a := b.acronym()
	if a == "" {
		return "the " + b.full()
	}
	if first, _, ok := strings.Cut(a, " "); ok && strings.EqualFold(first, "the") {
		return a
	}
	return "the " + a
}

// InTitle mentions the body for the first time inside title (a meeting's
// title as it stands in a sentence), when the title already names it: by
// its full name, which gains the acronym after it, or by its short name,
// which gives way to the full name and the acronym. before and after
// surround the mention; ok is false when the title names neither.
func (b BodyName) InTitle(title string) (before, mention, after string, ok bool) {
	full, acr := b.full(), b.acronym()
	if full == "" {
		return "", "", "", false
	}
	if i := strings.Index(strings.ToLower(title), strings.ToLower(full)); i >= 0 {
		j := i + len(full)
		if acr != "" {
			if rest := strings.TrimLeft(title[j:], " "); strings.HasPrefix(rest, "("+acr+")") {
				return title[:i], title[i:j] + " (" + acr + ")", rest[len(acr)+2:], true
			}
			return title[:i], title[i:j] + " (" + acr + ")", title[j:], true
		}
		return title[:i], title[i:j], title[j:], true
	}
	if acr == "" {
		return "", "", "", false
	}
	short := acr
	if first, rest, ok := strings.Cut(acr, " "); ok && strings.EqualFold(first, "the") {
		short = rest // "the Committee": the title says "… of the Committee"
	}
	for i := 0; i+len(short) <= len(title); {
		k := strings.Index(title[i:], short)
		if k < 0 {
			break
		}
		k += i
		end := k + len(short)
		if wordEdge(title, k-1) && wordEdge(title, end) {
			return title[:k], full + " (" + acr + ")", title[end:], true
		}
		i = k + 1
	}
	return "", "", "", false
}

// wordEdge reports whether the byte at i of s is outside a word (or
// outside s).
func wordEdge(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-')
}
