package handlers_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"rostrum/internal/testenv"
)

// Issue 15: the errors the staff's API answers are written in the
// reader's language (?lang=, Accept-Language), French and Spanish as
// English; their status, code and fields' names do not change. One or
// more errors of each capability.
func TestStaffErrorsAnswerInFrenchAndSpanish(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/close", item), nil, 200, nil)
	type answer struct{ fr, es string }
	for _, tc := range []struct {
		name         string
		by           *testenv.Client
		method, path string
		body         any
		status       int
		code         string
		field        string // "" for the error's own message
		want         answer
	}{
		{"auth", lm.admin, "PATCH", "/api/users/999", map[string]any{"disabled": true}, 404, "not_found", "",
			answer{"aucun compte du personnel 999", "no existe la cuenta de personal 999"}},
		{"auth's role", lm.mod, "POST", "/api/users", map[string]any{}, 403, "forbidden", "",
			answer{"cette action exige le rôle admin", "esta acción requiere la función admin"}},
		{"meetings", lm.admin, "POST", "/api/meetings/m/agenda/order", map[string]any{"ids": []uint{999999}}, 422, "invalid", "ids",
			answer{"doit nommer chacun des points de l'ordre du jour de la réunion exactement une fois", "debe nombrar cada uno de los temas del programa de la reunión exactamente una vez"}},
		{"summary", lm.admin, "GET", "/api/meetings/m/summary/abc", nil, 404, "not_found", "",
			answer{`aucune version "abc" du résumé`, `no existe la versión "abc" del resumen`}},
		{"documents", lm.admin, "POST", "/api/meetings/m/documents/999/publish", nil, 404, "not_found", "",
			answer{"aucun document 999 dans cette réunion", "no hay ningún documento 999 en esta reunión"}},
		{"lists", lm.admin, "GET", "/api/lists/999", nil, 404, "not_found", "",
			answer{"aucune liste de distribution 999", "no existe la lista de distribución 999"}},
		{"accreditation", lm.admin, "POST", "/api/meetings/m/non-objection", map[string]any{"organization_ids": []uint{1}, "deadline": "2001-01-01T00:00:00Z"}, 422, "invalid", "deadline",
			answer{"doit être dans le futur", "debe ser en el futuro"}},
		{"door", lm.admin, "GET", "/api/meetings/m/participants.odt", nil, 404, "not_found", "",
			answer{`aucun format de liste "odt" : utilisez pdf ou docx`, `no existe el formato de lista "odt": use pdf o docx`}},
		{"registration", lm.admin, "POST", "/api/registrations/999/decision", map[string]any{"decision": "maybe"}, 422, "invalid", "decision",
			answer{`doit être "approve", "reject" ou "waitlist"`, `debe ser "approve", "reject" o "waitlist"`}},
		{"live", lm.mod, "POST", lm.path("/agenda/%d/close", item), nil, 409, "already_closed", "",
			answer{"la liste est déjà close", "la lista ya está cerrada"}},
		{"delegations", lm.admin, "POST", "/api/missions", []any{}, 422, "invalid", "missions",
			answer{"indiquez au moins une mission", "indique al menos una misión"}},
		{"handlers", lm.admin, "POST", "/api/meetings/m/agenda/order", `{"ids": [1]} {}`, 400, "bad_request", "",
			answer{"corps JSON mal formé : données après l'objet", "cuerpo JSON mal formado: datos después del objeto"}},
	} {
		english := tc.by.Do(tc.method, tc.path, tc.body)
		if english.Status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, english.Status, tc.status, english.Body)
			continue
		}
		var en errorAnswer
		english.Decode(t, &en)
		sep := "?"
		if strings.Contains(tc.path, "?") {
			sep = "&"
		}
		for lang, res := range map[string]*testenv.Response{
			"fr": tc.by.Do(tc.method, tc.path+sep+"lang=fr", tc.body),
			"es": tc.by.DoHeaders(tc.method, tc.path, tc.body, map[string]string{"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}),
		} {
			got := decodeError(t, res, tc.status)
			text := got.Error
			if tc.field != "" {
				text = got.Fields[tc.field]
			}
			want := tc.want.fr
			if lang == "es" {
				want = tc.want.es
			}
			if text != want {
				t.Errorf("%s in %s: %q, want %q", tc.name, lang, text, want)
			}
			if got.Code != tc.code || got.Code != en.Code || fmt.Sprint(keys(got.Fields)) != fmt.Sprint(keys(en.Fields)) {
				t.Errorf("%s in %s: code %q, fields %v; in English %q, %v; want %q", tc.name, lang, got.Code, keys(got.Fields), en.Code, keys(en.Fields), tc.code)
			}
			if text == "" || (tc.field == "" && text == en.Error) || (tc.field != "" && text == en.Fields[tc.field]) {
				t.Errorf("%s in %s: still English: %q", tc.name, lang, text)
			}
		}
	}
}

// A staff error asked for in a language the staff's catalogues lack is
// English.
func TestAStaffErrorInArabicIsEnglish(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	got := decodeError(t, admin.DoHeaders("GET", "/api/lists/999", nil, map[string]string{"Accept-Language": "ar"}), 404)
	if got.Error != "no distribution list 999" || got.Code != "not_found" {
		t.Errorf("in Arabic: %q %q", got.Error, got.Code)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
