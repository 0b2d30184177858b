package app

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/model"
)

// registrationXLSX makes a workbook as organizers send it: n people, every
// column of a real registration export, distinct names and mobiles.
func registrationXLSX(tb testing.TB, n int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	sw.SetRow("A1", []any{"序号", "姓名", "单位名称", "统一社会信用代码", "职务", "手机号", "邮箱", "参会类型", "产业链", "备注"})
	roles := []string{"中小企业", "高校", "科研院所", "大企业", "投资机构"}
	for i := 1; i <= n; i++ {
		first17 := fmt.Sprintf("91370100MA%07d", i)
		check, _ := model.CreditCodeCheckChar(first17)
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		sw.SetRow(cell, []any{i, fmt.Sprintf("参会人%05d", i), fmt.Sprintf("山东第%d精工科技有限公司", i%4000), first17 + string(check),
			"技术总监", fmt.Sprintf("139%08d", i), fmt.Sprintf("u%d@example.cn", i), roles[i%len(roles)], "高端装备", ""})
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportXLSX50k is the whole import: read the workbook, check every
// row, write 50,000 participants and their organizations as ops with fsync.
func BenchmarkImportXLSX50k(b *testing.B) {
	data := registrationXLSX(b, 50_000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		wsApp := New(Options{Context: context.Background(), DataDir: b.TempDir()})
		ws := wsApp.Workspace
		svc := &wsApp.Services
		if _, err := svc.Event.Create(EventInput{Name: "基准", StartDate: "2026-05-20"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := svc.Roster.Import(ImportRequest{FileName: "50k.xlsx", Data: data})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Imported != 50_000 {
			b.Fatalf("imported %d, rejected %d", sum.Imported, len(sum.Rejected))
		}
		b.StopTimer()
		ws.CloseEvent()
		b.StartTimer()
	}
}

// BenchmarkListSearch50k is one keystroke in the participant search box
// over 50,000 people: filter and return the first page.
func BenchmarkListSearch50k(b *testing.B) {
	wsApp := New(Options{Context: context.Background(), DataDir: b.TempDir()})
	ws := wsApp.Workspace
	svc := &wsApp.Services
	svc.Event.Create(EventInput{Name: "基准", StartDate: "2026-05-20"})
	defer ws.CloseEvent()
	if _, err := svc.Roster.Import(ImportRequest{FileName: "50k.xlsx", Data: registrationXLSX(b, 50_000)}); err != nil {
		b.Fatal(err)
	}
	queries := []string{"参会人4", "精工", "5678", "u123@", ""}
	ws.roster.textIndex() // built in the background when an event opens
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := svc.Roster.List(ParticipantQuery{Text: queries[i%len(queries)], Limit: 100}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRosterResortOneChange50k is the first list page after one person
// is edited among 50,000: the edited person is merged into the
// pinyin-ordered roster. Its reference, in the same run, sorts the same
// people by code point with nothing to work out (what the list did before
// it sorted by pinyin, less the search text).
func BenchmarkRosterResortOneChange50k(b *testing.B) {
	c := newRosterCache()
	var ppl []model.Participant
	for i := 0; i < 50_000; i++ {
		ppl = append(ppl, model.Participant{ID: fmt.Sprintf("P%06d", i), Name: fmt.Sprintf("参会人%d", i), Org: fmt.Sprintf("济南精工%d科技有限公司", i%3000)})
	}
	c.apply(ppl, nil, nil, nil)
	c.all()
	ref := func() {
		ps := make([]*model.Participant, 0, len(c.byID))
		for _, p := range c.byID {
			ps = append(ps, p)
		}
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].Org != ps[j].Org {
				return ps[i].Org < ps[j].Org
			}
			return ps[i].Name < ps[j].Name
		})
	}
	start := time.Now()
	const refRuns = 3
	for i := 0; i < refRuns; i++ {
		ref()
	}
	refNs := float64(time.Since(start).Nanoseconds()) / refRuns
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.apply([]model.Participant{*c.byID["P000123"]}, nil, nil, nil)
		c.all()
	}
	b.StopTimer()
	b.ReportMetric(refNs/1e6, "ref-codepoint-ms")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/refNs, "x-ref")
}
