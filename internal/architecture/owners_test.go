// Package architecture holds tests of the house's structure: which
// package may touch which table.
package architecture

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
	"gorm.io/gorm/schema"

	"rostrum/models"
)

const module = "rostrum"

// exempt packages may touch every table: store migrates and copies the
// whole database; internal/ and cmd/ are test and measuring tools that
// drive the server from outside.
func exempt(pkg string) bool {
	return pkg == module+"/store" || strings.HasPrefix(pkg, module+"/internal/") || strings.HasPrefix(pkg, module+"/cmd/")
}

// use is one place where a package queries a model's table.
type use struct {
	pos   string
	pkg   string
	model string
	how   string
}

// TestEveryTableIsTouchedOnlyByItsOwner parses every package and fails
// where one that does not own a table queries it: a call on a *gorm.DB
// that takes a value of the model's type, or SQL text naming its table.
func TestEveryTableIsTouchedOnlyByItsOwner(t *testing.T) {
	uses := tableUses(t)
	var bad []string
	for _, u := range uses {
		owner := module + "/" + models.Owners[u.model]
		if u.pkg == owner || exempt(u.pkg) {
			continue
		}
		bad = append(bad, fmt.Sprintf("%s: %s %s %s, owned by %s: ask %s instead",
			u.pos, strings.TrimPrefix(u.pkg, module+"/"), u.how, u.model, models.Owners[u.model], models.Owners[u.model]))
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}

// Every model has an owner, and every owner is a package of the module.
func TestEveryModelHasAnOwner(t *testing.T) {
	for _, name := range modelNames(t) {
		if models.Owners[name] == "" {
			t.Errorf("models.%s has no owner in models.Owners", name)
		}
	}
}

func modelNames(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, m := range models.All() {
		names = append(names, fmt.Sprintf("%T", m)[len("*models."):])
	}
	return names
}

func tableUses(t *testing.T) []use {
	t.Helper()
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo, Dir: "../.."}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	// Table names as GORM derives them, for SQL text.
	ns := schema.NamingStrategy{}
	tables := map[string]string{} // table → model
	for _, name := range modelNames(t) {
		tables[ns.TableName(name)] = name
	}
	var names []string
	for tb := range tables {
		names = append(names, regexp.QuoteMeta(tb))
	}
	slices.Sort(names)
	tableRE := regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\b`)

	var uses []use
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("%s: %v", p.PkgPath, p.Errors)
		}
		for _, f := range p.Syntax {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !onGorm(p.TypesInfo, sel) {
					return true
				}
				pos := p.Fset.Position(call.Pos()).String()
				if i := strings.Index(pos, "/work/"); i >= 0 {
					pos = pos[i:]
				}
				// Preload and Joins name an association: a field named as the
				// model (Organization, Meeting, User, OutboxMessage) reads
				// that model's table.
				if name := sel.Sel.Name; (name == "Preload" || name == "Joins" || name == "InnerJoins") && len(call.Args) > 0 {
					if tv, ok := p.TypesInfo.Types[call.Args[0]]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
						for _, part := range strings.Split(constant.StringVal(tv.Value), ".") {
							if _, ok := models.Owners[part]; ok {
								uses = append(uses, use{pos, p.PkgPath, part, "loads (" + name + ")"})
							}
						}
					}
				}
				for _, arg := range call.Args {
					if m := modelOf(p.TypesInfo.TypeOf(arg)); m != "" {
						uses = append(uses, use{pos, p.PkgPath, m, "queries (" + sel.Sel.Name + ")"})
					}
					if tv, ok := p.TypesInfo.Types[arg]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
						for _, tb := range tableRE.FindAllString(constant.StringVal(tv.Value), -1) {
							uses = append(uses, use{pos, p.PkgPath, tables[tb], "names in SQL (" + sel.Sel.Name + ")"})
						}
					}
				}
				return true
			})
		}
	}
	return uses
}

// onGorm reports whether sel is a method call on GORM's DB (or another
// GORM type, such as an association).
func onGorm(info *types.Info, sel *ast.SelectorExpr) bool {
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return false
	}
	fn, ok := s.Obj().(*types.Func)
	return ok && fn.Pkg() != nil && strings.HasPrefix(fn.Pkg().Path(), "gorm.io/gorm")
}

// modelOf returns the name of the model a value of type typ carries
// (through pointers, slices and arrays), or "".
func modelOf(typ types.Type) string {
	for typ != nil {
		switch u := typ.(type) {
		case *types.Pointer:
			typ = u.Elem()
			continue
		case *types.Slice:
			typ = u.Elem()
			continue
		case *types.Array:
			typ = u.Elem()
			continue
		case *types.Named:
			obj := u.Obj()
			if obj.Pkg() != nil && obj.Pkg().Path() == module+"/models" {
				if _, ok := models.Owners[obj.Name()]; ok {
					return obj.Name()
				}
			}
		}
		return ""
	}
	return ""
}

// The README's table of rooms shows exactly models.Owners: for each
// owning package, the tables it owns.
func TestTheREADMEShowsEveryOwner(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string][]string{}
	row := regexp.MustCompile("(?m)^\\| `([a-z]+)` \\| ([a-z_, ]+) \\|")
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		for _, tb := range strings.Split(m[2], ",") {
			shown[m[1]] = append(shown[m[1]], strings.TrimSpace(tb))
		}
	}
	want := map[string][]string{}
	ns := schema.NamingStrategy{}
	for model, owner := range models.Owners {
		want[owner] = append(want[owner], ns.TableName(model))
	}
	for owner, tables := range want {
		slices.Sort(tables)
		got := slices.Clone(shown[owner])
		slices.Sort(got)
		if !slices.Equal(got, tables) {
			t.Errorf("README shows %s owning %v; models.Owners says %v", owner, got, tables)
		}
	}
	for owner := range shown {
		if want[owner] == nil {
			t.Errorf("README shows %s owning tables; models.Owners gives it none", owner)
		}
	}
}
