package contract

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/app"
)

func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func services(t *testing.T) []any {
	return app.New(app.Options{DataDir: t.TempDir()}).All()
}

func TestGeneratedContractIsCurrent(t *testing.T) {
	want := Generate(services(t), app.UIEvents, WireTypes...)
	got, err := os.ReadFile(filepath.Join(root(t), Path))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is stale: run `go run ./internal/contract/gen` and commit it", Path)
	}
}

// callPattern finds the frontend's calls: call('Service', 'Method', ...).
var callPattern = regexp.MustCompile(`call\('(\w+)', '(\w+)'`)

// entryPattern finds the call table's entries: `name: (...) => call(`.
var entryPattern = regexp.MustCompile(`(?m)^\s+(\w+): \([^)]*\)(?:: [^=]+)? =>\s*\n?\s*call\(`)

// groupPattern finds the groups of the call table: `  match: {`.
var groupPattern = regexp.MustCompile(`(?m)^    (\w+): \{$`)

// diff is what one list has that the other lacks.
func diff(bound, called []string) (unused, unknown []string) {
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range list {
			m[x] = true
		}
		return m
	}
	b, c := in(bound), in(called)
	for x := range b {
		if !c[x] {
			unused = append(unused, x)
		}
	}
	for x := range c {
		if !b[x] {
			unknown = append(unknown, x)
		}
	}
	sort.Strings(unused)
	sort.Strings(unknown)
	return unused, unknown
}

func TestDiffFindsBothDirections(t *testing.T) {
	unused, unknown := diff([]string{"A.X", "A.Y"}, []string{"A.Y", "B.Z"})
	if strings.Join(unused, ",") != "A.X" || strings.Join(unknown, ",") != "B.Z" {
		t.Fatalf("unused %v unknown %v", unused, unknown)
	}
}

// Every bound Go method is in the frontend's call table, and every entry
// of the table names a bound method.
func TestCallTableMatchesBoundMethods(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root(t), "frontend/src/api/index.ts"))
	if err != nil {
		t.Fatal(err)
	}
	var bound, called []string
	for _, m := range Methods(services(t)) {
		bound = append(bound, m.Service+"."+m.Name)
	}
	for _, m := range callPattern.FindAllStringSubmatch(string(src), -1) {
		called = append(called, m[1]+"."+m[2])
	}
	unused, unknown := diff(bound, called)
	if len(unused) > 0 {
		t.Errorf("bound Go methods the frontend never calls (give them a screen or remove them): %v", unused)
	}
	if len(unknown) > 0 {
		t.Errorf("the frontend calls methods Go does not bind: %v", unknown)
	}
}

// Every entry of the call table is used somewhere outside the table: a
// bound method with no screen is dead weight or a missing screen.
func TestEveryCallHasAScreen(t *testing.T) {
	dir := filepath.Join(root(t), "frontend/src")
	src, err := os.ReadFile(filepath.Join(dir, "api/index.ts"))
	if err != nil {
		t.Fatal(err)
	}
	var uses strings.Builder
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == filepath.Join(dir, "api/index.ts") {
			return err
		}
		if strings.HasSuffix(path, ".vue") || strings.HasSuffix(path, ".ts") {
			b, err := os.ReadFile(path)
			uses.Write(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	// Helpers after the table (deliverFile) count as uses too.
	if i := strings.Index(text, "export type Api"); i > 0 {
		uses.WriteString(text[i:])
	}
	groups := groupPattern.FindAllStringSubmatchIndex(text, -1)
	if len(groups) < 8 {
		t.Fatalf("found %d groups in the call table; the pattern no longer fits index.ts", len(groups))
	}
	checked := 0
	for i, g := range groups {
		end := len(text)
		if i+1 < len(groups) {
			end = groups[i+1][0]
		}
		group := text[g[2]:g[3]]
		for _, e := range entryPattern.FindAllStringSubmatch(text[g[1]:end], -1) {
			checked++
			if !regexp.MustCompile(`\.` + group + `\.` + e[1] + `\b`).MatchString(uses.String()) {
				t.Errorf("api().%s.%s has no screen: nothing in frontend/src calls it", group, e[1])
			}
		}
	}
	if checked < 60 {
		t.Fatalf("checked only %d call table entries; the pattern no longer fits index.ts", checked)
	}
}

// nilsWhereTSSaysArray finds slices and maps that would travel as JSON null
// although the generated type promises an array or object (no omitempty):
// the frontend reads `.length` of them and breaks.
func nilsWhereTSSaysArray(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return nilsWhereTSSaysArray(v.Elem(), path)
	case reflect.Slice:
		var out []string
		for i := 0; i < v.Len(); i++ {
			out = append(out, nilsWhereTSSaysArray(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case reflect.Map:
		var out []string
		for _, k := range v.MapKeys() {
			out = append(out, nilsWhereTSSaysArray(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k))...)
		}
		return out
	case reflect.Struct:
		var out []string
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			fv := v.Field(i)
			optional := strings.Contains(tag, "omitempty") || strings.Contains(tag, "omitzero")
			if (fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map) && fv.IsNil() && !optional && fv.Type().Elem().Kind() != reflect.Uint8 {
				out = append(out, path+"."+f.Name)
				continue
			}
			out = append(out, nilsWhereTSSaysArray(fv, path+"."+f.Name)...)
		}
		return out
	}
	return nil
}

func TestNilsCheckerFindsANilSlice(t *testing.T) {
	type inner struct {
		List []string `json:"list"`
		Opt  []string `json:"opt,omitempty"`
	}
	got := nilsWhereTSSaysArray(reflect.ValueOf(&struct{ In []inner }{In: []inner{{}}}), "x")
	if strings.Join(got, ",") != "x.In[0].List" {
		t.Fatalf("got %v", got)
	}
}

// Every read that takes no argument answers, on a fresh empty event and on
// the demo event, with arrays where the generated types promise arrays.
func TestReadsNeverSendNullForAnArray(t *testing.T) {
	for _, demo := range []bool{false, true} {
		a := app.New(app.Options{DataDir: t.TempDir()})
		t.Cleanup(func() { a.Workspace.CloseEvent() })
		var err error
		if demo {
			_, err = a.Event.OpenDemo()
		} else {
			_, err = a.Event.Create(app.EventInput{Name: "空白活动", StartDate: "2026-05-20"})
		}
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, svc := range a.All() {
			v := reflect.ValueOf(svc)
			for i := 0; i < v.NumMethod(); i++ {
				m, name := v.Method(i), v.Type().Elem().Name()+"."+v.Type().Method(i).Name
				if m.Type().NumIn() != 0 || m.Type().NumOut() == 0 || mutates[name] {
					continue
				}
				out := m.Call(nil)
				if last := out[len(out)-1]; last.Type() == errorType && !last.IsNil() {
					continue // e.g. no platform configured: an error, not a value
				}
				checked++
				if bad := nilsWhereTSSaysArray(out[0], name); len(bad) > 0 {
					t.Errorf("demo=%v: %v would reach the frontend as null", demo, bad)
				}
			}
		}
		if checked < 15 {
			t.Fatalf("only %d reads checked", checked)
		}
	}
}

// mutates lists the argument-free methods that change something.
var mutates = map[string]bool{
	"EventService.Close": true, "EventService.OpenDemo": true, "EventService.Backup": true, "EventService.Compact": true, "BackupService.BackupNow": true,
	"MatchService.Publish": true, "NetworkService.StopHub": true, "NetworkService.SyncNow": true,
	"PlatformService.Upload": true, "PlatformService.PullCatalog": true, "PlatformService.ExportPackage": true,
}
