package app

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/fuzhi/eventdesk/model"
)

func TestCatalogImportLinksUpdatesAndReportsBadRows(t *testing.T) {
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	prof, _ := svc.Roster.Save(model.Participant{Name: "王教授", Org: "山东大学", Role: model.RoleUniversity, Mobile: "13800000001"})
	boss, _ := svc.Roster.Save(model.Participant{Name: "李总", Org: "济南精工科技有限公司", Role: model.RoleSME, Mobile: "13800000002"})
	achievements := "成果名称,成果单位,联系人,产业链,关键词,技术成熟度,专利数,转化方式,意向价格（万元）,成果简介\n" +
		"机器视觉缺陷检测系统,山东大学,王教授,新一代信息技术,机器视觉、缺陷检测,TRL7,3,许可；合作开发；开放许可,120,已在产线验证\n" +
		",山东大学,,,,,,,,\n" +
		"激光切割头,某研究院,,高端装备,激光,12,0,转让,面议,\n" +
		"碳纤维成型工艺,无人认领研究所,,新材料,碳纤维,5,x,转让,50,\n"
	// Excel in China saves CSV as GBK: the catalog path decodes it like registrations.
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(achievements)
	sum, err := svc.Catalog.ImportAchievements(ImportRequest{FileName: "成果库.csv", Data: []byte(gbk)})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 1 || sum.Linked != 1 || len(sum.Rejected) != 3 {
		t.Fatalf("achievements: %+v", sum)
	}
	reasons := []string{}
	for _, r := range sum.Rejected {
		reasons = append(reasons, r.Reason)
	}
	if strings.Join(reasons, ",") != "missing title,bad trl,bad patents" {
		t.Fatalf("reasons: %v", reasons)
	}
	list, _ := svc.Catalog.Achievements()
	var a model.Achievement
	for _, x := range list {
		if x.Title == "机器视觉缺陷检测系统" {
			a = x
		}
	}
	if a.OwnerID != prof.ID || a.TRL != 7 || a.Patents != 3 || len(a.TransferModes) != 3 || a.TransferModes[2] != model.TransferOpenLicense || a.AskingPrice != 120 || len(a.Keywords) != 2 {
		t.Fatalf("achievement: %+v", a)
	}
	again, _ := svc.Catalog.ImportAchievements(ImportRequest{FileName: "成果库.csv", Data: []byte(gbk)})
	if again.Imported != 0 || again.Updated != 1 {
		t.Fatalf("re-import: %+v", again)
	}
	demands := "需求名称,需求企业,联系人,需求描述,产业链,预算（万元）,是否发榜\n产品外观缺陷检测,济南精工科技有限公司,李总,人工目检漏检率高,新一代信息技术,80,是\n"
	ds, err := svc.Catalog.ImportDemands(ImportRequest{FileName: "需求库.csv", Data: []byte(demands)})
	if err != nil || ds.Imported != 1 || ds.Linked != 1 {
		t.Fatalf("demands: %+v %v", ds, err)
	}
	dl, _ := svc.Catalog.Demands()
	if dl[0].SMEID != boss.ID || !dl[0].Challenge || dl[0].Budget != 80 {
		t.Fatalf("demand: %+v", dl[0])
	}
	// The imported pair is recommended and becomes a request between the two people.
	recs, _ := svc.Catalog.RecommendAchievements(dl[0].ID, 3)
	if len(recs) == 0 || recs[0].Achievement.ID != a.ID {
		t.Fatalf("recommendation: %+v", recs)
	}
	if r, err := svc.Catalog.RequestFromRecommendation(dl[0].ID, a.ID); err != nil || r.From != boss.ID || r.To != prof.ID {
		t.Fatalf("request: %+v %v", r, err)
	}
	if _, err := svc.Catalog.ImportDemands(ImportRequest{FileName: "x.csv", Data: []byte("单位,金额\nA,1\n")}); err == nil || !strings.Contains(err.Error(), "需求名称") {
		t.Fatalf("catalog without a title column: %v", err)
	}
	if _, err := svc.Catalog.SaveAchievement(model.Achievement{Title: "手工录入成果", TRL: 12}); err == nil {
		t.Fatal("TRL 12 accepted")
	}
}
