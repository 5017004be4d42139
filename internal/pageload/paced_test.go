package pageload_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// selectors are chromedp's selector types (its query.go). A call given a
// value of one is an element query, which looks for its element every 5 ms
// unless it is given Paced. A bare string selects too (as Search), but it
// cannot be told from Navigate's URL here: write chromedp.Search("…").
var selectors = map[string]bool{"Search": true, "CSS": true, "CSSAll": true, "ID": true, "JSPath": true, "NodeIDs": true}

// TestEveryElementQueryIsPaced reads the repository's Go files and fails on
// an element query written without pageload.Paced: chromedp has no default
// for its retry interval, so a query without it polls at 5 ms again.
func TestEveryElementQueryIsPaced(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root: %v", err)
	}
	fset := token.NewFileSet()
	queries := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "build" || name == "dist") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isChromedp(call.Fun, nil) {
				return true
			}
			query, paced := false, false
			for _, arg := range call.Args {
				if inner, ok := arg.(*ast.CallExpr); ok && isChromedp(inner.Fun, selectors) {
					query = true
				}
				if isPaced(arg, file.Name.Name) {
					paced = true
				}
			}
			if query {
				queries++
				if !paced {
					t.Errorf("%s: an element query without pageload.Paced", fset.Position(call.Pos()))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if queries == 0 {
		t.Fatal("found no element query: the walk missed the browser tests")
	}
	t.Logf("%d element queries", queries)
}

// isChromedp reports whether fun is chromedp.Name, with Name in names when
// names is set.
func isChromedp(fun ast.Expr, names map[string]bool) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "chromedp" && (names == nil || names[sel.Sel.Name])
}

// isPaced reports whether arg, in a file of package pkg, is pageload.Paced,
// or Paced when pkg is pageload itself.
func isPaced(arg ast.Expr, pkg string) bool {
	switch arg := arg.(type) {
	case *ast.SelectorExpr:
		x, ok := arg.X.(*ast.Ident)
		return ok && x.Name == "pageload" && arg.Sel.Name == "Paced"
	case *ast.Ident:
		return pkg == "pageload" && arg.Name == "Paced"
	}
	return false
}
