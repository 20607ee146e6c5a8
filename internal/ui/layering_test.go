package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestUINeverQueries keeps every query in the domain packages: the HTTP face (and the templates)
// import no database driver, reach no store's connection and run no SQL of their own.
func TestUINeverQueries(t *testing.T) {
	forbiddenImports := []string{"github.com/jackc/pgx"}
	for _, dir := range []string{".", "../../web/components", "../../web/pages", "../../web/layout"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range f.Imports {
				path, _ := strconv.Unquote(im.Path.Value)
				for _, bad := range forbiddenImports {
					if strings.HasPrefix(path, bad) && !(name == "server.go" && path == "github.com/jackc/pgx/v5/pgxpool") {
						t.Errorf("%s imports %s: queries belong in a domain package's store", name, path)
					}
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					// r.URL.Query() takes nothing; a database's Query takes its SQL.
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Query" && len(call.Args) > 0 {
						t.Errorf("%s: a query at %s: queries belong in a domain package's store", name, fset.Position(sel.Pos()))
					}
					return true
				}
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				// From package db the ui takes only its sentinel errors, and Unavailable, which tells
				// an unreachable database (a 503) from a failing query.
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "db" && sel.Sel.Name != "ErrNotFound" && sel.Sel.Name != "Unavailable" {
					t.Errorf("%s: db.%s at %s: the ui holds stores, not a connection", name, sel.Sel.Name, fset.Position(sel.Pos()))
				}
				switch sel.Sel.Name {
				case "DB", "Pool", "QueryRow", "Exec", "Begin", "InTx":
					// Deps.Pool is read once, in New, to build the stores.
					if name == "server.go" && sel.Sel.Name == "Pool" {
						return true
					}
					t.Errorf("%s: .%s at %s: the ui holds stores, not a connection", name, sel.Sel.Name, fset.Position(sel.Pos()))
				}
				return true
			})
		}
	}
}
