package buildinfo

import (
	"strings"
	"testing"
)

func TestReadNamesTheStampedBuild(t *testing.T) {
	oldV, oldC := Version, Commit
	t.Cleanup(func() { Version, Commit = oldV, oldC })
	Version, Commit = "1.4.2", "0123456789ab-dirty"
	i := Read()
	if i.Version != "1.4.2" || i.Commit != "0123456789ab-dirty" || i.Modified {
		t.Fatalf("stamped build read as %+v", i)
	}
	if s := i.String(); !strings.HasPrefix(s, "1.4.2 (commit 0123456789ab-dirty, go") || !strings.Contains(s, "/") {
		t.Fatalf("version line %q", s)
	}
}

func TestUnstampedBuildSaysSo(t *testing.T) {
	i := Build{Version: "dev", Go: "go1.26.8", Platform: "linux/amd64"}
	if s := i.String(); s != "dev (commit unknown, go1.26.8, linux/amd64)" {
		t.Fatalf("unstamped line %q", s)
	}
	i.Commit, i.Modified = "abc", true
	if s := i.String(); !strings.Contains(s, "commit abc+modified") {
		t.Fatalf("modified tree not said: %q", s)
	}
}
