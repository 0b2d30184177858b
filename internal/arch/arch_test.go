package arch

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// list runs go list -deps for one pattern from the module root.
func list(t *testing.T, pattern string) []Package {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", pattern)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pattern, err, stderr.String())
	}
	var pkgs []Package
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 {
			pkgs = append(pkgs, Package{ImportPath: f[0], Deps: f[1:]})
		}
	}
	if len(pkgs) == 0 {
		t.Fatalf("go list %s matched nothing: a rule that checks nothing is no rule", pattern)
	}
	return pkgs
}

func TestDependenciesPointOneWay(t *testing.T) {
	for _, r := range Rules {
		for _, v := range Violations(r, list(t, r.From)) {
			t.Error(v)
		}
	}
}

// The checker itself must see a violation when there is one: a planted
// graph where sync/hub reaches app through a helper, and cmd/fuzhi links pgx.
func TestAPlantedViolationIsFound(t *testing.T) {
	planted := []Package{
		{ImportPath: Module + "/sync/hub", Deps: []string{Module + "/store", Module + "/sync/helper", Module + "/app"}},
		{ImportPath: Module + "/sync/wire", Deps: []string{Module + "/store", Module + "/model"}},
	}
	got := Violations(Rules[0], planted)
	if len(got) != 1 || !strings.Contains(got[0], "sync/hub imports "+Module+"/app") {
		t.Fatalf("planted sync -> app not reported: %v", got)
	}
	cmd := []Package{{ImportPath: Module + "/cmd/fuzhi", Deps: []string{"github.com/jackc/pgx/v5/pgxpool"}}}
	if got := Violations(Rule{From: "./cmd/fuzhi", Not: []string{"github.com/jackc/pgx"}}, cmd); len(got) != 1 {
		t.Fatalf("planted pgx in cmd/fuzhi not reported: %v", got)
	}
	// app/ticket may be named by a rule on app/ without matching app/ticketing.
	if got := Violations(Rule{Not: []string{Module + "/app"}}, []Package{{ImportPath: "x", Deps: []string{Module + "/application"}}}); len(got) != 0 {
		t.Fatalf("a prefix matched a longer name: %v", got)
	}
}
