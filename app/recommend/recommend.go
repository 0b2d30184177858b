// Package recommend ranks achievements (成果) for a demand (需求) and the
// reverse, offline: TF-IDF over Chinese character bigrams and the
// achievements' own keywords, plus the industry chain and the technology's
// maturity. Every match says why, so an organizer can trust or discard it.
package recommend

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Doc is one side of a match: an achievement or a demand.
type Doc struct {
	ID       string
	Text     string   // title, description, summary
	Keywords []string // given by the owner; weigh more than free text
	Chain    string
	TRL      int // 1–9, 0 if unknown (demands)
}

// Reason explains one match.
type Reason struct {
	Keywords  []string `json:"keywords"`  // the other side's keywords found in this text
	Terms     []string `json:"terms"`     // the strongest shared text terms
	SameChain bool     `json:"sameChain"` // same industry chain
	TRL       int      `json:"trl,omitempty"`
}

// Match is one ranked candidate.
type Match struct {
	ID     string  `json:"id"`
	Score  float64 `json:"score"`
	Reason Reason  `json:"reason"`
}

// Index holds one side (say, all achievements), ready to be queried.
type Index struct {
	docs     []Doc
	idf      map[string]float64
	postings map[string][]posting
	norms    []float64
}

type posting struct {
	doc int
	w   float64
}

// terms splits text into lower-case ASCII words and bigrams of CJK runs,
// the usual cheap stand-in for Chinese word segmentation.
func terms(text string) map[string]float64 {
	tf := map[string]float64{}
	var run []rune
	var word strings.Builder
	flush := func() {
		if len(run) == 1 {
			tf[string(run)] += 0.5
		}
		for i := 0; i+1 < len(run); i++ {
			tf[string(run[i:i+2])]++
		}
		run = run[:0]
		if word.Len() > 1 {
			tf[strings.ToLower(word.String())]++
		}
		word.Reset()
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			if word.Len() > 0 {
				w := word.String()
				word.Reset()
				if len(w) > 1 {
					tf[strings.ToLower(w)]++
				}
			}
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if len(run) > 0 {
				saved := word.String()
				word.Reset()
				flush()
				word.WriteString(saved)
			}
			word.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return tf
}

func docTerms(d Doc) map[string]float64 {
	tf := terms(d.Text)
	for _, k := range d.Keywords {
		for t, n := range terms(k) {
			tf[t] += 2 * n // the owner's own words count double
		}
	}
	return tf
}

// NewIndex builds the index of one side.
func NewIndex(docs []Doc) *Index {
	ix := &Index{docs: docs, idf: map[string]float64{}, postings: map[string][]posting{}, norms: make([]float64, len(docs))}
	tfs := make([]map[string]float64, len(docs))
	df := map[string]int{}
	for i, d := range docs {
		tfs[i] = docTerms(d)
		for t := range tfs[i] {
			df[t]++
		}
	}
	n := float64(len(docs))
	for t, c := range df {
		ix.idf[t] = math.Log(1 + n/float64(c))
	}
	for i, tf := range tfs {
		var norm float64
		for t, c := range tf {
			w := (1 + math.Log(c)) * ix.idf[t]
			ix.postings[t] = append(ix.postings[t], posting{i, w})
			norm += w * w
		}
		ix.norms[i] = math.Sqrt(norm)
	}
	return ix
}

// Query ranks the indexed documents for q: cosine similarity of the texts,
// plus 0.25 for the same industry chain, plus up to 0.1 for a mature
// technology (TRL 7–9). Documents sharing no term and no chain are left out.
func (ix *Index) Query(q Doc, limit int) []Match {
	tf := docTerms(q)
	qw := map[string]float64{}
	var qnorm float64
	for t, c := range tf {
		idf, ok := ix.idf[t]
		if !ok {
			continue
		}
		w := (1 + math.Log(c)) * idf
		qw[t] = w
		qnorm += w * w
	}
	qnorm = math.Sqrt(qnorm)
	scores := make([]float64, len(ix.docs))
	touched := make([]bool, len(ix.docs))
	for t, w := range qw {
		for _, p := range ix.postings[t] {
			scores[p.doc] += w * p.w
			touched[p.doc] = true
		}
	}
	var out []Match
	qtext := strings.ToLower(q.Text + " " + strings.Join(q.Keywords, " "))
	for i, d := range ix.docs {
		same := q.Chain != "" && q.Chain == d.Chain
		if !touched[i] && !same {
			continue
		}
		s := 0.0
		if touched[i] && qnorm > 0 && ix.norms[i] > 0 {
			s = scores[i] / (qnorm * ix.norms[i])
		}
		if same {
			s += 0.25
		}
		if d.TRL >= 7 {
			s += 0.1 * float64(d.TRL-6) / 3
		}
		out = append(out, Match{ID: d.ID, Score: s, Reason: Reason{SameChain: same, TRL: d.TRL}})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	// Reasons only for what is shown.
	byID := map[string]int{}
	for i, d := range ix.docs {
		byID[d.ID] = i
	}
	for k := range out {
		d := ix.docs[byID[out[k].ID]]
		for _, kw := range d.Keywords {
			if kw != "" && strings.Contains(qtext, strings.ToLower(kw)) {
				out[k].Reason.Keywords = append(out[k].Reason.Keywords, kw)
			}
		}
		dt := docTerms(d)
		type tw struct {
			t string
			w float64
		}
		var shared []tw
		for t, w := range qw {
			if dt[t] > 0 {
				shared = append(shared, tw{t, w})
			}
		}
		sort.Slice(shared, func(i, j int) bool {
			return shared[i].w > shared[j].w || (shared[i].w == shared[j].w && shared[i].t < shared[j].t)
		})
		for i := 0; i < len(shared) && i < 4; i++ {
			out[k].Reason.Terms = append(out[k].Reason.Terms, shared[i].t)
		}
	}
	return out
}
