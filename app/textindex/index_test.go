package textindex

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// brute is what the index must answer: the items with a field that
// contains q, compared lower-cased.
func brute(held map[int32][]string, q string) []int32 {
	q = strings.ToLower(q)
	var out []int32
	for item, fields := range held {
		for _, f := range fields {
			if q != "" && strings.Contains(strings.ToLower(f), q) {
				out = append(out, item)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

func matched(x *Index, q string) []int32 {
	set := NewSet(x.Items())
	x.Match(q, set)
	var out []int32
	for item := int32(0); int(item) < x.Items(); item++ {
		if set.Has(item) {
			out = append(out, item)
		}
	}
	return out
}

// TestMatchEqualsAScanThroughChurn sets, replaces and removes items at
// random — names, organizations shared by many, mobiles, mixed case — and
// after every step asks queries of one to five characters, taken from the
// values and made up, comparing the index with reading every field. The
// churn makes enough dead values for the index to lay itself out again,
// and the test checks that it did.
func TestMatchEqualsAScanThroughChurn(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 13))
	alphabet := []rune("张王李赵精工科技有限公司济南青岛AaBb0123456789@.")
	word := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	orgs := []string{"济南精工科技有限公司", "青岛精工", "山东大学", "ABC Tech"}
	x := New()
	held := map[int32][]string{}
	for step := 0; step < 6000; step++ {
		item := int32(rng.IntN(300))
		if rng.IntN(5) == 0 {
			x.Remove(item)
			delete(held, item)
		} else {
			fields := []string{word(1 + rng.IntN(4)), orgs[rng.IntN(len(orgs))], word(11), "", strings.ToUpper(word(3))}
			x.Set(item, fields...)
			held[item] = fields
		}
		if step%20 != 0 {
			continue
		}
		queries := []string{word(1), word(2), word(3), "精工", "精工科技", "abc", "ABC T", "有限公司", "@"}
		for _, fields := range held {
			f := []rune(fields[rng.IntN(len(fields))])
			if len(f) == 0 {
				continue
			}
			i := rng.IntN(len(f))
			j := i + 1 + rng.IntN(min(5, len(f)-i))
			queries = append(queries, string(f[i:j]))
			break
		}
		for _, q := range queries {
			if got, want := matched(x, q), brute(held, q); !slices.Equal(got, want) {
				t.Fatalf("step %d, %q: index %v, scan %v", step, q, got, want)
			}
		}
	}
	if len(x.values) > 2*x.live+compactAfter {
		t.Fatalf("%d values for %d live: never laid out again", len(x.values), x.live)
	}
}

// TestTheIndexLaysItselfOutAgain: after many values have lost their last
// item the index holds about what is live, and still answers.
func TestTheIndexLaysItselfOutAgain(t *testing.T) {
	x := New()
	for i := 0; i < 5000; i++ {
		x.Set(0, "名字"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune(0x4e00+i)))
	}
	x.Set(1, "山东大学")
	if len(x.values) > 2*x.live+compactAfter {
		t.Fatalf("%d values kept for %d live ones", len(x.values), x.live)
	}
	if got := matched(x, "东大"); !slices.Equal(got, []int32{1}) {
		t.Fatalf("东大 after laying out: %v", got)
	}
	if got := matched(x, "名字"); !slices.Equal(got, []int32{0}) {
		t.Fatalf("名字 after laying out: %v", got)
	}
}

// TestAValueSharedByManyKeepsAShortList: 50,000 people with one title,
// each edited away and back, leave the title's list near 50,000 entries,
// not growing with every edit, and each of them is visited.
func TestAValueSharedByManyKeepsAShortList(t *testing.T) {
	x := New()
	const n = 50_000
	for i := int32(0); i < n; i++ {
		x.Set(i, "经理")
	}
	for round := 0; round < 3; round++ {
		for i := int32(0); i < n; i += 2 {
			x.Set(i, "主任")
			x.Set(i, "经理")
		}
	}
	id := x.byText["经理"]
	if l := x.values[id].listed(); l > 2*n+8 {
		t.Fatalf("the list of a value held by %d items is %d long", n, l)
	}
	if got := len(matched(x, "经理")); got != n {
		t.Fatalf("经理 matched %d of %d", got, n)
	}
	for i := int32(0); i < n; i++ {
		x.Remove(i)
	}
	if got := matched(x, "经"); len(got) != 0 {
		t.Fatalf("经 after everyone left: %v", got[:min(5, len(got))])
	}
}

func BenchmarkMatchEveryMobile(b *testing.B) {
	x := New()
	for i := int32(0); i < 200_000; i++ {
		x.Set(i, "名字"+string(rune(0x4e00+i%5000)), "山东第"+string(rune('0'+i%10))+"精工", "13"+strings.Repeat(string(rune('0'+i%10)), 9)+string(rune('a'+i%26))+string(rune(0x4e00+i)), "经理", "u"+string(rune(0x4e00+i))+"@x.cn")
	}
	hit := NewSet(x.Items())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.Match("13", hit)
	}
}
