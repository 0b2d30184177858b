package app

import (
	"testing"

	"github.com/mozillazg/go-pinyin"
)

// The table's fast tone stripping must read every character of the
// dictionary exactly as go-pinyin's own Normal style does, or search keys
// and the list order would drift from what people type.
func TestSyllablesReadAsGoPinyin(t *testing.T) {
	args := pinyin.NewArgs()
	args.Style = pinyin.Normal
	table := syllables()
	checked := 0
	for r := range pinyin.PinyinDict {
		want := ""
		if syl := pinyin.SinglePinyin(rune(r), args); len(syl) > 0 {
			want = syl[0]
		}
		if got := table[rune(r)]; got != want {
			t.Errorf("%c (U+%04X): table reads %q, go-pinyin %q", rune(r), r, got, want)
			if t.Failed() && checked > 20 {
				t.FailNow()
			}
		}
		checked++
	}
	for _, c := range []struct {
		r    rune
		want string
	}{{'张', "zhang"}, {'绿', "lv"}, {'詹', "zhan"}, {'嗯', "n"}} {
		if got := syllableOf(c.r); got != c.want {
			t.Errorf("syllableOf(%c) = %q, want %q", c.r, got, c.want)
		}
	}
	t.Logf("%d characters read alike", checked)
}
