package app

import (
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/model"
)

// An industry-finance meeting's outcome (产融对接) records the kind, the
// institution and the intended and signed amounts; the summary counts it
// by kind, apart from technology transfers.
func TestFinanceOutcomesAreCountedApart(t *testing.T) {
	svc := heldDay(t)
	before, err := svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range before.Finance {
		if f.Intended != 0 || f.Signed != 0 {
			t.Fatalf("finance before any: %+v", before.Finance)
		}
	}
	if len(before.Finance) != 4 || before.Finance[1].Label != "知识产权质押融资" {
		t.Fatalf("finance kinds: %+v", before.Finance)
	}
	var spare []MeetingView
	ms, _ := svc.Match.Meetings()
	for _, m := range ms {
		if m.Outcome == nil && m.Status != model.MeetingCancelled {
			spare = append(spare, m)
		}
	}
	if len(spare) < 2 {
		t.Fatalf("%d meetings without an outcome", len(spare))
	}
	fin := func(m MeetingView, f model.Finance) model.Outcome {
		return model.Outcome{Meeting: m.ID, Result: model.ResultPossible, Intended: true, Finance: &f}
	}
	for name, o := range map[string]model.Outcome{
		"an unknown kind":        fin(spare[0], model.Finance{Kind: "crypto", Intended: 100}),
		"a negative amount":      fin(spare[0], model.Finance{Kind: model.FinanceLoan, Intended: -5}),
		"a huge signed amount":   fin(spare[0], model.Finance{Kind: model.FinanceLoan, Signed: 2e7}),
		"a too long institution": fin(spare[0], model.Finance{Kind: model.FinanceLoan, Institution: strings.Repeat("银", 101)}),
		"a control character":    fin(spare[0], model.Finance{Kind: model.FinanceLoan, Institution: "齐鲁\x00银行"}),
		"a forged follow-up":     {Meeting: spare[0].ID, Result: model.ResultPossible, Intended: true, FollowUps: []model.FollowUp{{Stage: 45, State: model.FollowUpSigned, Amount: 9e6}}},
	} {
		if _, err := svc.Table.SaveOutcome(o); err == nil {
			t.Fatalf("%s: saved", name)
		}
	}
	if _, err := svc.Table.SaveOutcome(fin(spare[0], model.Finance{Kind: model.FinanceIPPledge, Institution: " 齐鲁银行 ", Intended: 500, Signed: 200})); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Table.SaveOutcome(fin(spare[1], model.Finance{Kind: model.FinanceIPPledge, Institution: "青岛银行", Intended: 300})); err != nil {
		t.Fatal(err)
	}
	after, _ := svc.Summary.Summary()
	ip := after.Finance[1]
	if ip.Kind != "ip_pledge" || ip.Intended != 2 || ip.IntendedAmount != 800 || ip.Signed != 1 || ip.SignedAmount != 200 {
		t.Fatalf("知识产权质押融资: %+v", ip)
	}
	if after.Signed != before.Signed || after.Amount != before.Amount {
		t.Fatalf("finance counted as technology transfer: signed %d→%d, amount %v→%v", before.Signed, after.Signed, before.Amount, after.Amount)
	}
	saved, _ := svc.Match.Meetings()
	for _, m := range saved {
		if m.ID == spare[0].ID && (m.Outcome == nil || m.Outcome.Finance == nil || m.Outcome.Finance.Institution != "齐鲁银行") {
			t.Fatalf("the saved outcome: %+v", m.Outcome)
		}
	}
	if rows := after.Tables()["产融对接"]; len(rows) != 5 || rows[2][0] != "知识产权质押融资" || rows[2][4] != "200" {
		t.Fatalf("the workbook's 产融对接 sheet: %v", rows)
	}
}
