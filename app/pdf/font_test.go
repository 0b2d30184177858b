package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Names with a character from each Han block: GB2312 (the first font),
// the rest of the Unified Ideographs, Extension A, the compatibility block,
// and Extensions B to F (outside the BMP).
var namesFromEachBlock = map[string]string{
	"GB2312":      "王小明",
	"Unified":     "王喆堃赟珺燊昇玥瑄旻彧翀",
	"Extension A": "刘䶮㐀䶵",
	"Compat":      "李﨑",
	"Extension B": "𠮷田𡈼𪚥",
	"Extension C": "张𪜀",
	"Extension D": "赵𫝀",
	"Extension E": "钱𫠠",
	"Extension F": "孙𬺰",
}

func TestPrintableKeepsEveryHanCharacter(t *testing.T) {
	// Every character of the blocks as of Unicode 10 (the fonts' version):
	// URO to U+9FEA, Extension A to U+4DB5, Extension B to U+2A6D6.
	blocks := []struct {
		name   string
		lo, hi rune
	}{
		{"Unified Ideographs", 0x4E00, 0x9FEA},
		{"Extension A", 0x3400, 0x4DB5},
		{"Extension B", 0x20000, 0x2A6D6},
		{"Extension C", 0x2A700, 0x2B734},
		{"Extension D", 0x2B740, 0x2B81D},
		{"Extension E", 0x2B820, 0x2CEA1},
		{"Extension F", 0x2CEB0, 0x2EBE0},
	}
	for _, b := range blocks {
		var missing []rune
		for r := b.lo; r <= b.hi; r++ {
			if f, _ := faceFor(r); f == nil {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: %d characters cannot print, first %U", b.name, len(missing), missing[0])
		}
	}
	for block, name := range namesFromEachBlock {
		if got := Printable(name); got != name {
			t.Errorf("%s: Printable(%q) = %q", block, name, got)
		}
	}
}

// TestEveryBlockReadsBackFromThePaper prints a badge, an agenda and the
// summary with a name from each block and reads the PDF's text back with
// pdftotext, as a search or a copy would.
func TestEveryBlockReadsBackFromThePaper(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		t.Skip("pdftotext not installed")
	}
	var badges []Badge
	var agendas []Agenda
	var rows [][]string
	for _, name := range namesFromEachBlock {
		badges = append(badges, Badge{Name: name, Org: "𠮷野科技有限公司", RoleLabel: "企业", Code: "FZ1.E.P.1.ABCDEFGHIJKLMNOP"})
		agendas = append(agendas, Agenda{Name: name, Org: "喆赟研究院", Items: []AgendaItem{{Time: "14:00–14:20", Table: "1 号桌", Counterpart: name, Org: "䶮堃大学"}}})
		rows = append(rows, []string{name, "已签约"})
	}
	docs := map[string]func(*bytes.Buffer) error{}
	for _, l := range Layouts {
		docs["badge "+l.ID] = func(b *bytes.Buffer) error { return Badges(b, l.ID, "𠮷喆深度行", badges) }
	}
	docs["agenda"] = func(b *bytes.Buffer) error { return Agendas(b, "𠮷喆深度行", "下午场", agendas) }
	docs["summary"] = func(b *bytes.Buffer) error {
		return Summary(b, Report{Title: "𠮷喆深度行", Tables: []Table{{Title: "签约", Header: []string{"姓名", "结果"}, Rows: rows, Widths: []float64{120, 40}}}})
	}
	for what, render := range docs {
		t.Run(what, func(t *testing.T) {
			var buf bytes.Buffer
			if err := render(&buf); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "p.pdf")
			if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", path, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			text := strings.Join(strings.Fields(string(out)), "")
			for block, name := range namesFromEachBlock {
				if !strings.Contains(text, name) {
					t.Errorf("%s: %q not read back from the %s", block, name, what)
				}
			}
			if !strings.Contains(text, "𠮷喆深度行") && what != "agenda" && !strings.HasPrefix(what, "badge label") {
				t.Errorf("event name not read back from the %s", what)
			}
		})
	}
}

// FuzzBadgeText: whatever a registration file puts in a name or an
// organisation, a badge is printed and the library does not panic.
func FuzzBadgeText(f *testing.F) {
	for _, s := range []string{"王小明", "𠮷野\u0000家", "🫠\uFFFD\U0010FFFF", "刘䶮堃喆赟珺燊", string([]byte{0xff, 0xfe}), "a\u200db\u202ec"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		b := []Badge{{Name: s, Org: s, Title: s, RoleLabel: s, Code: "FZ1.E.P.1.ABCDEFGHIJKLMNOP"}}
		if err := Badges(&buf, "a6", s, b); err != nil {
			t.Fatal(err)
		}
	})
}
