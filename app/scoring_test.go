package app

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/model"
)

func TestAPanelScoresTheRoadshowAndTheRankingFollows(t *testing.T) {
	svc, ws, _ := practiceAt(t, time.Date(2026, 5, 20, 10, 0, 0, 0, model.VenueZone))
	rs := roadshowOf(t, svc, "2026-05-20T10:00", "2026-05-20T11:00", 3, 10)
	judges, _ := svc.Roster.List(ParticipantQuery{Role: "investor", Limit: 3})
	j1, j2, outsider := judges.Items[0].ID, judges.Items[1].ID, judges.Items[2].ID
	v, err := svc.Programme.SetPanel(PanelInput{Session: rs.ID, Judges: []string{j1, j2},
		Criteria: []model.Criterion{{Name: "技术先进性", Weight: 40}, {Name: "市场前景", Weight: 40}, {Name: "团队", Weight: 20}}})
	if err != nil || v.ID != rs.ID {
		t.Fatalf("panel: %+v %v", v, err)
	}
	score := func(talk int, judge string, points ...float64) error {
		_, err := svc.Programme.Score(ScoreInput{Talk: rs.Talks[talk].ID, Judge: judge, Points: points})
		return err
	}
	for _, err := range []error{score(0, j1, 8, 7, 9), score(0, j2, 6, 6, 6), score(1, j1, 9, 9, 9), score(1, j1, 9, 9, 8)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	before := opsOf(t, ws)
	for name, err := range map[string]error{
		"not a judge":     score(0, outsider, 5, 5, 5),
		"a mark missing":  score(0, j1, 5, 5),
		"a mark over 10":  score(0, j1, 11, 5, 5),
		"a negative mark": score(0, j1, -1, 5, 5),
		"not a number":    score(0, j1, math.NaN(), 5, 5),
		"no such talk": func() error {
			_, err := svc.Programme.Score(ScoreInput{Talk: "TNOPE", Judge: j1, Points: []float64{1, 1, 1}})
			return err
		}(),
		"a weightless item": func() error {
			_, err := svc.Programme.SetPanel(PanelInput{Session: rs.ID, Criteria: []model.Criterion{{Name: "创新", Weight: 0}}})
			return err
		}(),
		"an unnamed item": func() error {
			_, err := svc.Programme.SetPanel(PanelInput{Session: rs.ID, Criteria: []model.Criterion{{Name: " ", Weight: 5}}})
			return err
		}(),
	} {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if opsOf(t, ws) != before {
		t.Fatal("a refused score wrote")
	}

	r, err := svc.Programme.Ranking(rs.ID)
	if err != nil {
		t.Fatal(err)
	}
	// 成果 2: one judge, (9·40 + 9·40 + 8·20) / 100 → 88; 成果 1: (78 + 60) / 2 = 69.
	if len(r.Rows) != 3 || r.Rows[0].Talk != rs.Talks[1].ID || r.Rows[0].Score != 88 || r.Rows[0].Rank != 1 ||
		r.Rows[1].Talk != rs.Talks[0].ID || r.Rows[1].Score != 69 || r.Rows[1].Rank != 2 || r.Rows[1].Judges != 2 ||
		r.Rows[2].Judges != 0 || r.Rows[2].Rank != 0 {
		t.Fatalf("ranking: %+v", r.Rows)
	}
	if c := r.Rows[1].Criteria; c[0] != 7 || c[1] != 6.5 || c[2] != 7.5 {
		t.Fatalf("criteria means: %v", c)
	}
	data, err := svc.Programme.RankingXLSX(rs.ID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("路演评分排名")
	if len(rows) < 4 || rows[1][0] != "1" || rows[1][1] != rs.Talks[1].Title || rows[1][4] != "88" || rows[0][6] != "技术先进性（权重 40）" {
		t.Fatalf("ranking sheet: %v", rows)
	}

	// The summary carries the score of the talks presented.
	for range 2 {
		if _, err := svc.Programme.Advance(rs.ID); err != nil {
			t.Fatal(err)
		}
	}
	sum, _ := svc.Summary.Summary()
	scores := map[string]float64{}
	for _, x := range sum.Roadshows {
		scores[x.Title] = x.Score
	}
	if len(sum.Roadshows) != 2 || scores[rs.Talks[0].Title] != 69 || scores[rs.Talks[1].Title] != 88 {
		t.Fatalf("summary roadshows: %+v", sum.Roadshows)
	}
	// A panel is a roadshow's only.
	forum, _ := svc.Programme.Save(ProgrammeInput{Title: "论坛", Kind: model.SessionForum, Start: "2026-05-20T09:00", End: "2026-05-20T09:30"})
	if _, err := svc.Programme.SetPanel(PanelInput{Session: forum.ID, Judges: []string{j1}}); err == nil {
		t.Fatal("a forum got a panel")
	}
}
