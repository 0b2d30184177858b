package app

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestOwnExportComesBack: the organizer exports the list, fixes it in
// Excel and imports it again. The masked export (the default) and the full
// one both come back to the same people: nothing is duplicated, the hidden
// mobiles, e-mails and credit codes are kept, the fix is applied, a row
// added in Excel is a new person, and the counts add up to the rows.
func TestOwnExportComesBack(t *testing.T) {
	for _, tc := range []struct {
		name     string
		unmasked bool
		dropIDs  bool // the 编号 column deleted in Excel
	}{{"masked", false, false}, {"unmasked", true, false}, {"masked without 编号", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			svc, _, _ := newTestServices(t)
			createEvent(t, svc)
			if _, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: sample(t, "participants-gbk.csv")}); err != nil {
				t.Fatal(err)
			}
			before, _ := svc.Roster.List(ParticipantQuery{Limit: 1000})
			xlsx, err := svc.Roster.Export(ExportRequest{Unmasked: tc.unmasked})
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(xlsx))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("参会人")
			if len(rows) != before.Total+1 {
				t.Fatalf("export has %d rows for %d people", len(rows), before.Total)
			}
			// The fix: row 2's title. The addition: a new person at the end.
			edited := rows[1][0]
			f.SetCellValue("参会人", "D2", "首席科学家")
			f.SetSheetRow("参会人", "A"+strconv.Itoa(len(rows)+1), &[]any{"", "新来的", "潍坊学院", "教授", "13900001111", "", "高校"})
			if tc.dropIDs {
				f.RemoveCol("参会人", "A")
			}
			var buf bytes.Buffer
			if _, err := f.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			sum, err := svc.Roster.Import(ImportRequest{FileName: "参会人.xlsx", Data: buf.Bytes()})
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Rejected) != 0 || len(sum.Duplicates) != 0 || sum.Imported != 1 || sum.Updated != 1 || sum.Unchanged != before.Total-1 {
				t.Fatalf("re-import: rows %d, +%d ~%d =%d, rejected %v, duplicates %v", sum.Rows, sum.Imported, sum.Updated, sum.Unchanged, sum.Rejected, sum.Duplicates)
			}
			if sum.Imported+sum.Updated+sum.Unchanged != sum.Rows {
				t.Fatalf("counts add up to %d of %d rows", sum.Imported+sum.Updated+sum.Unchanged, sum.Rows)
			}
			after, _ := svc.Roster.List(ParticipantQuery{Limit: 1000})
			if after.Total != before.Total+1 {
				t.Fatalf("%d people after, want %d", after.Total, before.Total+1)
			}
			old := map[string]struct{ mobile, email, credit, title string }{}
			for _, p := range before.Items {
				old[p.ID] = struct{ mobile, email, credit, title string }{p.Mobile, p.Email, p.CreditCode, p.Title}
			}
			for _, p := range after.Items {
				o, was := old[p.ID]
				if !was {
					continue
				}
				if p.Mobile != o.mobile || p.Email != o.email || p.CreditCode != o.credit {
					t.Fatalf("%s lost a hidden value: %q %q %q, was %q %q %q", p.Name, p.Mobile, p.Email, p.CreditCode, o.mobile, o.email, o.credit)
				}
				if p.ID == edited && p.Title != "首席科学家" {
					t.Fatalf("the fix was not applied: %q", p.Title)
				}
			}
		})
	}
}

func TestHeaderOnlyFileIsRefusedNotReportedAsImported(t *testing.T) {
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	_, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: []byte("姓名,单位,手机号\n")})
	if err == nil || !strings.Contains(err.Error(), "只有表头") {
		t.Fatalf("a header-only file: %v", err)
	}
}
