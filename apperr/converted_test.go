package apperr

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// convertedErrors are the Go files whose errors are all said by message
// id (Say, SayN, Fields.Say, WithField), so that every reader gets them
// in their language: the staff's in the staff's catalogues, the others'
// in all six. English-only errors must not come back into them.
var convertedErrors = []string{
	"../accreditation/accreditation.go", "../accreditation/notices.go",
	"../auth/accounts.go", "../auth/auth.go", "../auth/password.go", "../auth/passwords.go",
	"../delegations/delegations.go", "../documents/documents.go",
	"../door/participants.go", "../door/service.go",
	"../handlers/abuse.go", "../handlers/auth.go", "../handlers/delegations.go", "../handlers/documents.go", "../handlers/door.go", "../handlers/handler.go",
	"../handlers/i18n.go", "../handlers/live.go", "../handlers/live_ws.go", "../handlers/meetings.go",
	"../handlers/organizations.go", "../handlers/passwords.go", "../handlers/regform.go",
	"../handlers/pages.go", "../handlers/processes.go", "../handlers/registration.go", "../handlers/summary.go",
	"../lists/lists.go", "../live/agenda.go", "../live/floor.go", "../live/service.go",
	"../meetings/agenda.go", "../meetings/edit.go", "../meetings/meetings.go", "../meetings/processes.go",
	"../meetings/zone.go",
	"../outbox/outbox.go",
	"../registration/checkin.go", "../registration/delegates.go", "../registration/ecosoc.go",
	"../registration/erase.go", "../registration/input.go", "../registration/link.go", "../registration/nonobjection.go",
	"../registration/organizations.go", "../registration/prefill.go", "../registration/query.go", "../registration/service.go",
	"../registration/states.go",
	"../summary/circulation.go", "../summary/documents.go", "../summary/letter.go",
	"../summary/lifecycle.go", "../summary/schedule.go", "../summary/send.go", "../summary/service.go",
}

// englishOnly are apperr's constructors that take English text.
var englishOnly = map[string]bool{
	"Invalid": true, "NotFound": true, "Conflict": true, "Forbidden": true, "Unauthorized": true,
	"BadRequest": true, "Gone": true, "TooLarge": true, "RateLimited": true,
}

// englishErrors lists, in Go source src, what makes an error English
// only: a call of an English constructor, Fields.Add on a value declared
// as apperr.Fields, or an apperr.Error or FieldMessage built with a
// literal text.
func englishErrors(t *testing.T, name string, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	isApperr := func(e ast.Expr, names ...string) bool {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok || x.Name != "apperr" {
			return false
		}
		for _, n := range names {
			if sel.Sel.Name == n {
				return true
			}
		}
		return len(names) == 0
	}
	// The names declared as apperr.Fields: parameters, and variables
	// given apperr.Fields{}.
	fields := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if isApperr(n.Type, "Fields") {
				for _, id := range n.Names {
					fields[id.Name] = true
				}
			}
		case *ast.AssignStmt:
			for i, r := range n.Rhs {
				if cl, ok := r.(*ast.CompositeLit); ok && isApperr(cl.Type, "Fields") && i < len(n.Lhs) {
					if id, ok := n.Lhs[i].(*ast.Ident); ok {
						fields[id.Name] = true
					}
				}
			}
		}
		return true
	})
	var found []string
	ast.Inspect(f, func(n ast.Node) bool {
		at := func() string { return fset.Position(n.Pos()).String() }
		switch n := n.(type) {
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "apperr" && englishOnly[sel.Sel.Name] {
				found = append(found, at()+": apperr."+sel.Sel.Name)
			}
			if x, ok := sel.X.(*ast.Ident); ok && fields[x.Name] && sel.Sel.Name == "Add" {
				found = append(found, at()+": "+x.Name+".Add")
			}
		case *ast.CompositeLit:
			if !isApperr(n.Type, "Error", "FieldMessage") {
				return true
			}
			for _, el := range n.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						found = append(found, at()+": a literal text")
					}
				}
			}
		}
		return true
	})
	return found
}

func TestConvertedFilesSayEveryErrorByItsMessageID(t *testing.T) {
	for _, p := range convertedErrors {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range englishErrors(t, p, src) {
			t.Errorf("%s: an English-only error: say it by its id in the catalogues (apperr.Say, Fields.Say, WithField)", e)
		}
	}
}

func TestTheEnglishErrorRuleCatchesEnglish(t *testing.T) {
	src := `package x
func a(f apperr.Fields) error {
	f.Add("name", "is required")
	g := apperr.Fields{}
	g.Add("x", "y")
	_ = &apperr.Error{Kind: apperr.KindInvalid, Message: "bad"}
	return apperr.Conflict("the list is closed")
}
func b(f apperr.Fields, wg sync.WaitGroup) error {
	wg.Add(1)
	f.Say("name", "err.field.required")
	return apperr.Say(apperr.KindConflict, "err.live.list_closed")
}`
	got := englishErrors(t, "x.go", []byte(src))
	if len(got) != 4 || !strings.Contains(strings.Join(got, " "), "apperr.Conflict") {
		t.Errorf("caught %v, want f.Add, g.Add, a literal text and apperr.Conflict", got)
	}
}

// A field message named by its id, or taken from another error, is
// written in the reader's language; its English stays in Fields.
func TestFieldMessagesByIDAreWrittenInTheLanguageAsked(t *testing.T) {
	cause := Say(KindNotFound, "err.no_notice", "ID", 3)
	e := Say(KindInvalid, "err.fields_invalid").WithField("name", "err.field.required").WithFieldOf("notice", cause)
	if e.Fields["name"] != "is required" || e.Fields["notice"] != "no notice 3 for this meeting" {
		t.Errorf("English fields %v", e.Fields)
	}
	fr := e.FieldsIn("fr")
	if fr["name"] != "ce champ est obligatoire" || fr["notice"] != cause.MessageIn("fr") || fr["notice"] == cause.Message {
		t.Errorf("French fields %v", fr)
	}
	plain := Say(KindInvalid, "err.fields_invalid").WithFieldOf("x", errors.New("disk full"))
	if plain.FieldsIn("fr")["x"] != "disk full" {
		t.Errorf("a cause that is no domain error: %v", plain.FieldsIn("fr"))
	}
}
