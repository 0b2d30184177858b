package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// SaidInModelMsg are the packages whose refusals reach people's screens:
// every sentence there is a model/msg Kind, so a page in English can say it.
var SaidInModelMsg = []string{"app", "app/importer", "model"}

// chineseErrors lists fmt.Errorf and errors.New calls of a directory's
// non-test files whose text is a Chinese literal.
func chineseErrors(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || !(pkg.Name == "fmt" && sel.Sel.Name == "Errorf" || pkg.Name == "errors" && sel.Sel.Name == "New") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true
			}
			text, _ := strconv.Unquote(lit.Value)
			for _, r := range text {
				if unicode.Is(unicode.Han, r) {
					out = append(out, fset.Position(call.Pos()).String()+": "+text)
					break
				}
			}
			return true
		})
	}
	return out
}

func TestEverySentenceOnAScreenHasACode(t *testing.T) {
	for _, dir := range SaidInModelMsg {
		for _, bad := range chineseErrors(t, filepath.Join("..", "..", dir)) {
			t.Errorf("a Chinese error without a model/msg code (English pages would show it in Chinese): %s", bad)
		}
	}
}

func TestTheSentenceCheckFindsAPlainChineseError(t *testing.T) {
	dir := t.TempDir()
	src := "package x\n\nimport \"fmt\"\n\nfunc f() error { return fmt.Errorf(\"保存失败：%w\", nil) }\n"
	if err := writeFile(filepath.Join(dir, "x.go"), src); err != nil {
		t.Fatal(err)
	}
	if got := chineseErrors(t, dir); len(got) != 1 {
		t.Fatalf("found %v, want the one call", got)
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o644) }
