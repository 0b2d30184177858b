package app

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// PanelInput sets a roadshow's scoring panel: criteria with weights, and
// the judges (participants).
type PanelInput struct {
	Session  string            `json:"session"`
	Criteria []model.Criterion `json:"criteria"`
	Judges   []string          `json:"judges"`
}

// ScoreInput is one judge's sheet for one talk, a mark per criterion.
type ScoreInput struct {
	Talk   string    `json:"talk"`
	Judge  string    `json:"judge"`
	Points []float64 `json:"points"`
}

// RankRow is one talk in a roadshow's ranking.
type RankRow struct {
	Rank      int       `json:"rank"`
	Talk      string    `json:"talk"`
	Title     string    `json:"title"`
	Owner     string    `json:"owner"`
	Presenter string    `json:"presenter"`
	Score     float64   `json:"score"`  // weighted, out of 100, averaged over the judges who scored
	Judges    int       `json:"judges"` // how many scored it
	Criteria  []float64 `json:"criteria"`
}

// Ranking is a roadshow's talks by their panel score, and each judge's sheets.
type Ranking struct {
	Criteria []model.Criterion `json:"criteria"`
	Judges   []PersonRef       `json:"judges"`
	Rows     []RankRow         `json:"rows"`
	Sheets   []model.Score     `json:"sheets"`
}

// SetPanel sets (or clears, with no criteria) a roadshow's scoring panel.
// Sheets already scored against other criteria no longer count.
func (s *ProgrammeService) SetPanel(in PanelInput) (*SessionView, error) {
	return s.change(in.Session, func(_ *store.Store, roster *rosterCache, sess *model.ProgrammeSession) error {
		judges, err := known(roster, in.Judges)
		if err != nil {
			return err
		}
		sess.Judges, sess.Criteria = judges, []model.Criterion{}
		for _, c := range in.Criteria {
			sess.Criteria = append(sess.Criteria, model.Criterion{Name: model.CleanText(c.Name), Weight: c.Weight})
		}
		return nil
	})
}

// Score records a judge's sheet for a talk: a mark of 0 to 10 for each
// criterion. A judge scoring again corrects their sheet.
func (s *ProgrammeService) Score(in ScoreInput) (*model.Score, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if isStation(st) {
		return nil, sayProgrammeOnHub.Err()
	}
	_, sess, err := s.findTalk(st, in.Talk)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(sess.Judges, in.Judge) {
		return nil, sayNotAJudge.Err()
	}
	if len(in.Points) != len(sess.Criteria) || len(in.Points) == 0 {
		return nil, sayScoreSheet.Err("n", len(sess.Criteria))
	}
	for _, p := range in.Points {
		if math.IsNaN(p) || p < 0 || p > model.MaxPoints {
			return nil, sayScoreRange.Err("max", model.MaxPoints)
		}
	}
	sc := model.Score{Talk: in.Talk, Judge: in.Judge, Points: in.Points, At: s.ws.now().Format(time.RFC3339)}
	if _, err := st.Apply(s.ws.ctx, store.Scores.Put(model.ScoreID(in.Talk, in.Judge), sc)); err != nil {
		return nil, sayProgrammeSaveFailed.Wrap(err)
	}
	return &sc, nil
}

// Ranking ranks a roadshow's talks by the panel's weighted mean score;
// talks nobody scored come last, unranked.
func (s *ProgrammeService) Ranking(sessionID string) (*Ranking, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	sess, err := s.session(st, sessionID)
	if err != nil {
		return nil, err
	}
	// The talks with their titles and presenters; the marks are not needed
	// (counting them reads every request, and this runs after each score).
	v := s.view(st, roster, &sess, nil)
	out := &Ranking{Criteria: sess.Criteria, Judges: []PersonRef{}, Rows: []RankRow{}, Sheets: []model.Score{}}
	if out.Criteria == nil {
		out.Criteria = []model.Criterion{}
	}
	for _, j := range sess.Judges {
		p, _ := roster.get(j)
		out.Judges = append(out.Judges, PersonRef{ID: j, Name: p.Name, Org: p.Org})
	}
	for _, t := range v.Talks {
		row := RankRow{Talk: t.ID, Title: t.Title, Owner: t.Owner, Presenter: t.PresenterRef.Name, Criteria: make([]float64, len(sess.Criteria))}
		sum := 0.0
		for _, j := range sess.Judges {
			sc, ok, err := store.Scores.Get(st, model.ScoreID(t.ID, j))
			if err != nil {
				return nil, err
			}
			w, fits := sess.Weighted(sc.Points)
			if !ok || !fits {
				continue
			}
			out.Sheets = append(out.Sheets, sc)
			row.Judges++
			sum += w
			for i, p := range sc.Points {
				row.Criteria[i] += p
			}
		}
		if row.Judges > 0 {
			row.Score = round1(sum / float64(row.Judges))
			for i := range row.Criteria {
				row.Criteria[i] = round1(row.Criteria[i] / float64(row.Judges))
			}
		}
		out.Rows = append(out.Rows, row)
	}
	sort.SliceStable(out.Rows, func(i, j int) bool {
		a, b := out.Rows[i], out.Rows[j]
		if (a.Judges > 0) != (b.Judges > 0) {
			return a.Judges > 0
		}
		return a.Score > b.Score
	})
	for i := range out.Rows {
		if out.Rows[i].Judges > 0 {
			out.Rows[i].Rank = i + 1
			if i > 0 && out.Rows[i].Score == out.Rows[i-1].Score {
				out.Rows[i].Rank = out.Rows[i-1].Rank // a tie shares its place
			}
		}
	}
	return out, nil
}

// RankingXLSX is the ranking sheet: the talks by score, each criterion's
// mean, then every judge's marks.
func (s *ProgrammeService) RankingXLSX(sessionID string) ([]byte, error) {
	r, err := s.Ranking(sessionID)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "路演评分排名"
	f.SetSheetName("Sheet1", sheet)
	header := []any{"名次", "成果", "单位", "路演人", "得分（百分制）", "评委人数"}
	for _, c := range r.Criteria {
		header = append(header, fmt.Sprintf("%s（权重 %d）", c.Name, c.Weight))
	}
	rows := [][]any{header}
	for _, x := range r.Rows {
		rank := any("")
		if x.Rank > 0 {
			rank = x.Rank
		}
		row := []any{rank, x.Title, x.Owner, x.Presenter, x.Score, x.Judges}
		for _, c := range x.Criteria {
			row = append(row, c)
		}
		rows = append(rows, row)
	}
	names := map[string]string{}
	for _, j := range r.Judges {
		names[j.ID] = j.Name
	}
	titles := map[string]string{}
	for _, x := range r.Rows {
		titles[x.Talk] = x.Title
	}
	rows = append(rows, []any{}, []any{"评委评分明细"}, append([]any{"评委", "成果"}, criterionNames(r.Criteria)...))
	for _, sc := range r.Sheets {
		row := []any{names[sc.Judge], titles[sc.Talk]}
		for _, p := range sc.Points {
			row = append(row, p)
		}
		rows = append(rows, row)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return nil, fmt.Errorf("write ranking row %d: %w", i+1, err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write ranking workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func criterionNames(list []model.Criterion) []any {
	out := make([]any, len(list))
	for i, c := range list {
		out[i] = c.Name
	}
	return out
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// What scoring says.
var (
	sayNotAJudge  = msg.Define("scoring.notJudge", "只有这场路演的评委可以评分：请先在评分设置中添加评委")
	sayScoreSheet = msg.Define("scoring.sheet", "请为全部 {n} 个评分项打分")
	sayScoreRange = msg.Define("scoring.range", "每项分数应在 0 到 {max} 分之间")
)
