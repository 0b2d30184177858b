package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/app/figures"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/sync/platform/server"
)

// The fixture of the simulated day: twelve people, three achievements,
// two demands (one a challenge), written as the organizer's sheets.
const (
	dayRoster = "姓名,单位名称,手机号,参会类型,企业资质,产业链\n" +
		"企一,甲精密机械有限公司,13800000001,中小企业,专精特新“小巨人”,高端装备\n" +
		"企二,乙新材料有限公司,13800000002,中小企业,省级专精特新,新材料\n" +
		"企三,丙电子有限公司,13800000003,中小企业,创新型中小企业,新一代信息技术\n" +
		"企四,丁农业科技有限公司,13800000004,中小企业,,现代农业\n" +
		"教一,山东大学,13800000011,高校,,高端装备\n" +
		"教二,中国海洋大学,13800000012,高校,,新材料\n" +
		"研一,山东省科学院,13800000013,科研院所,,现代农业\n" +
		"投一,齐鲁创投,13800000021,投资机构,,\n" +
		"银一,齐鲁银行,13800000022,金融机构,,\n" +
		"官一,山东省工业和信息化厅,13800000031,政府,,\n" +
		"企大,浪潮集团,13800000041,大企业,,\n" +
		"记者,大众日报,13800000051,媒体,,\n"
	dayAchievements = "成果名称,成果单位,联系人,技术成熟度,转化方式,意向价格（万元）\n" +
		"高精度激光焊接,山东大学,教一,7,许可,200\n" +
		"海洋生物材料,中国海洋大学,教二,6,转让,100\n" +
		"工业视觉检测,山东省科学院,研一,6,合作开发,50\n"
	dayDemands = "需求名称,需求企业,联系人,预算（万元）,是否发榜,揭榜截止\n" +
		"盐碱地改良,丁农业科技有限公司,企四,120,是,2026-06-30\n" +
		"焊缝检测,甲精密机械有限公司,企一,50,否,\n"
)

// simulatedDay is one 深度行 day, run through the services as the desks
// and the organizer would: the programme, a roadshow whose stage reaches
// two of its three talks, 想约谈 marks that become requests, a 揭榜,
// check-in, the schedule, meetings held and missed, outcomes of both
// kinds. clock moves the day's time.
type simulatedDay struct {
	svc    *Services
	clock  *time.Time
	people map[string]string // name -> id
}

func runSimulatedDay(t *testing.T) *simulatedDay {
	t.Helper()
	svc, ws, _ := newTestServices(t)
	now := time.Date(2026, 6, 18, 8, 0, 0, 0, model.VenueZone)
	ws.SetClock(func() time.Time { return now })
	d := &simulatedDay{svc: svc, clock: &now, people: map[string]string{}}
	at := func(hh, mm int) { now = time.Date(2026, 6, 18, hh, mm, 0, 0, model.VenueZone) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := svc.Event.Create(EventInput{Name: "深度行·济南站", StartDate: "2026-06-18", Province: "山东省", City: "济南市",
		Organizer: "山东省工业和信息化厅", Formats: []string{"forum", "roadshow", "matchmaking"}})
	must(err)
	sum, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: []byte(dayRoster)})
	must(err)
	if sum.Imported != 12 {
		t.Fatalf("roster: %+v", sum)
	}
	list, _ := svc.Roster.List(ParticipantQuery{Limit: 50})
	for _, p := range list.Items {
		d.people[p.Name] = p.ID
	}
	_, err = svc.Catalog.ImportAchievements(ImportRequest{FileName: "成果.csv", Data: []byte(dayAchievements)})
	must(err)
	_, err = svc.Catalog.ImportDemands(ImportRequest{FileName: "需求.csv", Data: []byte(dayDemands)})
	must(err)
	id := d.id

	// The programme.
	_, err = svc.Programme.Save(ProgrammeInput{Title: "开幕式暨主旨论坛", Kind: model.SessionForum, Start: "2026-06-18T09:00", End: "2026-06-18T09:30", Speakers: []string{id("官一")}})
	must(err)
	rs, err := svc.Programme.Save(ProgrammeInput{Title: "成果路演", Kind: model.SessionRoadshow, Start: "2026-06-18T09:30", End: "2026-06-18T10:00"})
	must(err)
	_, err = svc.Programme.Save(ProgrammeInput{Title: "供需对接", Kind: model.SessionMatchmaking, Start: "2026-06-18T10:30", End: "2026-06-18T12:30"})
	must(err)
	_, err = svc.Programme.Save(ProgrammeInput{Title: "产融对接会", Kind: model.SessionFinance, Start: "2026-06-18T14:00", End: "2026-06-18T15:00"})
	must(err)
	catalog, _ := svc.Catalog.Achievements()
	talkOf := map[string]string{} // presenter -> achievement
	var talks []TalkInput
	for _, presenter := range []string{"教一", "教二", "研一"} {
		for _, a := range catalog {
			if a.OwnerID == id(presenter) {
				talks = append(talks, TalkInput{Achievement: a.ID, Minutes: 8})
				talkOf[presenter] = a.ID
			}
		}
	}
	rs, err = svc.Programme.SetTalks(rs.ID, talks)
	must(err)
	if len(rs.Talks) != 3 {
		t.Fatalf("running order: %+v", rs.Talks)
	}

	// Arrivals: everyone but the large firm's and the paper's people.
	at(8, 30)
	for name, pid := range d.people {
		if name == "企大" || name == "记者" {
			continue
		}
		code, err := svc.Checkin.BadgeCode(pid)
		must(err)
		ans, err := svc.Checkin.Scan(code, "1")
		must(err)
		if ans.Result != "ok" {
			t.Fatalf("%s at the desk: %+v", name, ans)
		}
	}

	// The roadshow: the stage reaches the first two talks, time runs out
	// before the third. Marks come in during the talks, one on the third.
	at(9, 30)
	_, err = svc.Programme.Advance(rs.ID)
	must(err)
	markBy := func(who string, talk int) string {
		m, err := svc.Programme.Mark(rs.Talks[talk].ID, id(who))
		must(err)
		return m.Request.ID
	}
	accept := []string{markBy("投一", 0), markBy("企一", 0)}
	at(9, 38)
	_, err = svc.Programme.Advance(rs.ID)
	must(err)
	accept = append(accept, markBy("企二", 1))
	unanswered := markBy("企三", 2)

	// 揭榜: the institute answers the farm's challenge.
	demands, _ := svc.Catalog.Demands()
	var challenge model.Demand
	for _, x := range demands {
		if x.Challenge {
			challenge = x
		}
	}
	resp, err := svc.Catalog.Respond(ResponseInput{Demand: challenge.ID, Responder: id("研一"), Proposal: "耐盐碱品种配合水肥一体化"})
	must(err)
	accept = append(accept, resp.Request)
	// And the bank asks the farm about an IP-pledge loan, agreed already.
	_, err = svc.Request.Create(id("银一"), id("企四"), "must", "知识产权质押融资", true)
	must(err)
	at(10, 0)
	for _, r := range accept {
		must(svc.Request.SetStatus(r, model.RequestAccepted))
	}
	must(svc.Request.SetStatus(unanswered, model.RequestDeclined))

	// The matchmaking session, scheduled and published.
	at(10, 10)
	_, err = svc.Match.SetupSession(SessionInput{Start: "2026-06-18 10:30", SlotMinutes: 20, Slots: 6, Tables: 4})
	must(err)
	_, err = svc.Match.ScheduleAll(1)
	must(err)
	_, err = svc.Match.Publish()
	must(err)
	meetings, err := svc.Match.Meetings()
	must(err)
	if len(meetings) != 5 {
		t.Fatalf("%d meetings scheduled, want 5", len(meetings))
	}
	pair := func(a, b string) MeetingView {
		t.Helper()
		for _, m := range meetings {
			if (m.From == id(a) && m.To == id(b)) || (m.From == id(b) && m.To == id(a)) {
				return m
			}
		}
		t.Fatalf("no meeting of %s and %s", a, b)
		return MeetingView{}
	}
	at(12, 40)
	must(svc.Table.Mark(pair("企二", "教二").ID, model.MeetingNoShow))
	for _, p := range [][2]string{{"投一", "教一"}, {"企一", "教一"}, {"研一", "企四"}, {"银一", "企四"}} {
		must(svc.Table.Mark(pair(p[0], p[1]).ID, model.MeetingHeld))
	}
	for _, o := range []model.Outcome{
		{Meeting: pair("投一", "教一").ID, Result: model.ResultAgreement, Intended: true, Signed: true, Mode: model.TransferEquity, Amount: 200},
		{Meeting: pair("企一", "教一").ID, Result: model.ResultPossible, Intended: true, Mode: model.TransferLicense},
		{Meeting: pair("研一", "企四").ID, Result: model.ResultAgreement, Intended: true, Signed: true, Mode: model.TransferJointDev, Amount: 80},
		{Meeting: pair("银一", "企四").ID, Result: model.ResultPossible,
			Finance: &model.Finance{Kind: model.FinanceIPPledge, Institution: "齐鲁银行", Intended: 500, Signed: 300}},
	} {
		_, err := svc.Table.SaveOutcome(o)
		must(err)
	}
	// A meeting agreed on the spot, its deal written down, then called off:
	// neither the summary nor the platform counts it.
	sess, err := svc.Match.Session()
	must(err)
	last := sess.Slots[len(sess.Slots)-1]
	spot, err := svc.Table.AddSpontaneous(id("企大"), id("教一"), last.ID, sess.Tables[len(sess.Tables)-1].ID)
	must(err)
	_, err = svc.Table.SaveOutcome(model.Outcome{Meeting: spot.ID, Result: model.ResultAgreement, Intended: true, Signed: true, Mode: model.TransferLicense, Amount: 999})
	must(err)
	must(svc.Table.Mark(spot.ID, model.MeetingCancelled))
	return d
}

func (d *simulatedDay) id(name string) string {
	if id, ok := d.people[name]; ok {
		return id
	}
	panic("no " + name + " in the fixture")
}

// followUp records the calls on the licence talk at 30 and 90 days.
func (d *simulatedDay) followUp(t *testing.T) {
	t.Helper()
	meetings, _ := d.svc.Match.Meetings()
	var deal string
	for _, m := range meetings {
		if m.From == d.id("企一") && m.To == d.id("教一") {
			deal = m.ID
		}
	}
	for _, c := range []FollowUpInput{
		{Meeting: deal, Stage: 30, State: model.FollowUpNegotiating, Note: "样机测试中", By: "王处长"},
		{Meeting: deal, Stage: 90, State: model.FollowUpSigned, Amount: 150, By: "王处长"},
	} {
		*d.clock = time.Date(2026, 6, 18, 10, 0, 0, 0, model.VenueZone).AddDate(0, 0, c.Stage+1)
		if _, err := d.svc.Table.RecordFollowUp(c); err != nil {
			t.Fatal(err)
		}
	}
}

// The figures of the simulated day, counted by hand from the fixture.
func TestASimulatedDayAddsUpByHand(t *testing.T) {
	d := runSimulatedDay(t)
	sum, err := d.svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	checkDayFigures(t, sum, false)
	d.followUp(t)
	after, err := d.svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	checkDayFigures(t, after, true)
}

// checkDayFigures compares a summary with the hand count: 12 registered,
// 10 came; 5 meetings (2 from marks on the first talk, 1 from a mark on
// the second, 1 from the 揭榜, 1 industry-finance), 4 held, 1 no-show; 3
// intended cooperations, 2 signed on the day for 200 + 80 万元, the
// licence signed at 90 days for 150; one IP-pledge loan of 300 signed
// apart; two talks presented of three, drawing 2 and 1 marks (the mark on
// the talk never reached does not count); one challenge, one response, its
// meeting held; SMEs served: 甲 (小巨人) and 丁 (no level), 乙's meeting
// missed.
func checkDayFigures(t *testing.T, s *figures.Summary, followedUp bool) {
	t.Helper()
	signed, amount := 2, 280.0
	if followedUp {
		signed, amount = 3, 430
	}
	if s.Expected != 12 || s.Arrived != 10 || s.WalkIns != 0 {
		t.Errorf("attendance: %d of %d, %d walk-ins", s.Arrived, s.Expected, s.WalkIns)
	}
	if s.Scheduled != 5 || s.Held != 4 || s.NoShow != 1 || s.Intended != 3 || s.Signed != signed || s.Amount != amount {
		t.Errorf("meetings: scheduled %d held %d no-show %d intended %d signed %d amount %v", s.Scheduled, s.Held, s.NoShow, s.Intended, s.Signed, s.Amount)
	}
	byMode := map[string]figures.ModeFigure{}
	for _, m := range s.ByMode {
		byMode[string(m.Mode)] = m
	}
	if byMode["equity"].Signed != 1 || byMode["equity"].Amount != 200 || byMode["joint_dev"].Amount != 80 || byMode["license"].Intended != 1 {
		t.Errorf("by mode: %+v", s.ByMode)
	}
	if followedUp && (byMode["license"].Signed != 1 || byMode["license"].Amount != 150) {
		t.Errorf("the licence signed at 90 days: %+v", byMode["license"])
	}
	fin := map[string]figures.FinanceFigure{}
	for _, f := range s.Finance {
		fin[f.Kind] = f
	}
	if f := fin[string(model.FinanceIPPledge)]; f.Signed != 1 || f.SignedAmount != 300 || f.IntendedAmount != 500 {
		t.Errorf("finance: %+v", s.Finance)
	}
	if len(s.Roadshows) != 2 || s.RoadshowMarks() != 2+1 || s.Roadshows[0].Title != "高精度激光焊接" || s.Roadshows[0].Marks != 2 {
		t.Errorf("roadshows: %+v", s.Roadshows)
	}
	if len(s.Challenges) != 1 || s.Challenges[0].Responses != 1 || s.Challenges[0].Held != 1 {
		t.Errorf("challenges: %+v", s.Challenges)
	}
	served := map[string]int{}
	for _, b := range s.SMEsServed {
		served[b.Label] = b.Count
	}
	if s.SMEsServed[0].Count != 2 || served[model.TierNames[model.TierLittleGiant]] != 1 || served[model.TierNames[""]] != 1 {
		t.Errorf("SMEs served: %+v", s.SMEsServed)
	}
	// The prose for the 工作简报 says the same numbers.
	if len(s.Narrative) != 2 || s.Narrative[0].Title != "活动概况" || s.Narrative[1].Title != "主要成效" {
		t.Fatalf("narrative: %+v", s.Narrative)
	}
	overview, results := s.Narrative[0].Text, s.Narrative[1].Text
	for _, want := range []string{"深度行·济南站于2026年6月18日在山东省济南市举办，由山东省工业和信息化厅主办。", "活动设主旨论坛、成果路演、供需对接、产融对接等环节。",
		"报名 12 人，实际到场 10 人。", "活动发布科技成果 3 项、企业技术需求 2 项（其中发榜 1 项）。", "2 项成果现场路演，收到“想约谈” 3 人次。"} {
		if !strings.Contains(overview, want) {
			t.Errorf("活动概况 lacks %q: %s", want, overview)
		}
	}
	modes := "（作价入股 1 项、合作开发 1 项）"
	if followedUp {
		modes = "（许可 1 项、作价入股 1 项、合作开发 1 项）"
	}
	for _, want := range []string{"现场安排一对一洽谈 5 场，实际洽谈 4 场，服务中小企业 2 家（其中专精特新“小巨人” 1 家）。",
		fmt.Sprintf("达成合作意向 3 项，签约 %d 项、金额 %s 万元%s。", signed, figures.Wan(amount), modes),
		"产融对接签约 1 项、融资 300 万元（知识产权质押融资）。", "1 项发榜需求收到揭榜 1 项。"} {
		if !strings.Contains(results, want) {
			t.Errorf("主要成效 lacks %q: %s", want, results)
		}
	}
	if strings.Contains(results, "跟踪回访") != followedUp {
		t.Errorf("主要成效 and the follow-ups (%v): %s", followedUp, results)
	}
	conv := map[string]int{}
	for _, b := range s.Conversion {
		conv[b.Label] = b.Count
	}
	if want := map[bool]int{false: 0, true: 1}[followedUp]; conv["90 天内签约"]-conv["现场签约"] != want {
		t.Errorf("conversion: %+v", s.Conversion)
	}
}

// The same day uploaded: the platform's national view returns the figures
// the summary shows, on the day and again after the follow-ups.
func TestASimulatedDayReachesTheNationalViewWithTheSameFigures(t *testing.T) {
	db := freshDB(t)
	p := startPlatform(t, db, "")
	t.Cleanup(p.kill)
	d := runSimulatedDay(t)
	token, err := server.CreateOrganizer(context.Background(), db, "山东省工业和信息化厅", "山东省")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.svc.Platform.SetConfig(PlatformConfig{URL: "http://" + p.addr, Token: token}); err != nil {
		t.Fatal(err)
	}
	for _, followedUp := range []bool{false, true} {
		if followedUp {
			d.followUp(t)
		}
		if _, err := d.svc.Platform.Upload(); err != nil {
			t.Fatal(err)
		}
		sum, err := d.svc.Summary.Summary()
		if err != nil {
			t.Fatal(err)
		}
		checkDayFigures(t, sum, followedUp)
		st, err := server.NationalStats(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		finSigned, finAmount := 0, 0.0
		for _, f := range sum.Finance {
			finSigned, finAmount = finSigned+f.Signed, finAmount+f.SignedAmount
		}
		want := server.Figure{Key: "", Events: 1, Participants: sum.Expected, Arrived: sum.Arrived, Meetings: sum.Scheduled, Held: sum.Held,
			Intended: sum.Intended, Signed: sum.Signed, Amount: sum.Amount, FinanceSigned: finSigned, FinanceAmount: finAmount,
			SMEsServed: sum.SMEsServed[0].Count, SignedLater: sum.SignedLater, Achievements: 3, Demands: 2, Roadshows: len(sum.Roadshows), Challenges: len(sum.Challenges),
			Responses: sum.ChallengeResponses()}
		if st.Totals != want {
			t.Fatalf("national totals (followed up %v):\n got  %+v\n want %+v", followedUp, st.Totals, want)
		}
		if len(st.ByProvince) != 1 || st.ByProvince[0].Key != "山东省" || len(st.ByQuarter) != 1 || st.ByQuarter[0].Key != "2026-Q2" {
			t.Fatalf("province and quarter: %+v %+v", st.ByProvince, st.ByQuarter)
		}
		for _, f := range []server.Figure{st.ByProvince[0], st.ByMonth[0], st.ByQuarter[0]} {
			f.Key, f.Code = "", ""
			if f != want {
				t.Fatalf("a breakdown differs from the totals: %+v", f)
			}
		}
		// Chains and places by the national codes, the same lines as the summary's.
		if st.ByProvince[0].Code != "370000" {
			t.Fatalf("province code: %+v", st.ByProvince[0])
		}
		byChain := map[string]server.Figure{}
		for _, f := range st.ByChain {
			byChain[f.Key] = f
		}
		for _, c := range sum.TopChains {
			f := byChain[c.Chain]
			if c.Code == "" || f.Code != c.Code || f.Meetings != c.Meetings || f.Held != c.Held || f.Intended != c.Intended || f.Signed != c.Signed || f.Amount != c.Amount {
				t.Fatalf("chain %s: summary %+v, platform %+v", c.Chain, c, f)
			}
		}
		if len(st.ByChain) != len(sum.TopChains) {
			t.Fatalf("chains: summary %+v, platform %+v", sum.TopChains, st.ByChain)
		}
		if f := st.ByFinance[1]; f.Key != "ip_pledge" || f.FinanceSigned != 1 || f.FinanceAmount != 300 || len(st.ByFinance) != 4 {
			t.Fatalf("financing by kind: %+v", st.ByFinance)
		}
		if followedUp != (st.Totals.SignedLater == 1) {
			t.Fatalf("signed at a follow-up: %d", st.Totals.SignedLater)
		}
		formats := map[string]int{}
		for _, f := range st.ByFormat {
			formats[f.Key] = f.Events
		}
		if formats["forum"] != 1 || formats["roadshow"] != 1 || formats["matchmaking"] != 1 || formats["industry_finance"] != 1 ||
			formats["challenge"] != 0 || len(st.ByFormat) != len(model.SessionKinds) {
			t.Fatalf("events by format: %+v", st.ByFormat)
		}
		tiers := map[string]int{}
		for _, f := range st.ByTier {
			tiers[f.Key] = f.SMEsServed
		}
		for _, b := range sum.SMEsServed[1:] {
			if tiers[b.Label] != b.Count {
				t.Fatalf("SMEs served by level: platform %v, summary %+v", tiers, sum.SMEsServed)
			}
		}
	}
	resp, err := http.Get("http://" + p.addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"项成果路演", "项揭榜", "按活动形式", "产融对接（按融资方式）", "知识产权质押融资", "项活动后跟踪签约"} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("the platform's page lacks %s", want)
		}
	}
}

// A 典型案例 for every signed deal of the day, told from the records: the
// roadshow deal says where it came from, the 揭榜 deal names the challenge.
func TestCaseStudiesTellTheSignedDeals(t *testing.T) {
	d := runSimulatedDay(t)
	data, err := d.svc.Summary.CaseStudies(nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cases.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join("..", "artifacts"), 0o755)
	os.WriteFile(filepath.Join("..", "artifacts", "cases.pdf"), data, 0o644)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "赋智会务台 · 典型案例"); n != 2 {
		t.Fatalf("%d pages for two signed deals:\n%s", n, out)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"典型案例", "齐鲁创投与山东大学：高精度激光焊接", "源于成果路演现场的“想约谈”", "作价入股", "200万元",
		"山东省科学院与丁农业科技有限公司", "源于丁农业科技有限公司发布的“盐碱地改良”揭榜需求", "发榜需求盐碱地改良", "活动现场"} {
		if !strings.Contains(text, strings.Join(strings.Fields(want), "")) {
			t.Errorf("the case studies lack %q:\n%s", want, out)
		}
	}
	// Only signed deals are cases.
	meetings, _ := d.svc.Match.Meetings()
	for _, m := range meetings {
		if m.Outcome == nil || !m.Outcome.Signed {
			if _, err := d.svc.Summary.CaseStudies([]string{m.ID}); err == nil {
				t.Fatalf("a case study of an unsigned meeting %s", m.ID)
			}
			break
		}
	}
}

// The agendas carry the day's programme under the meetings, with the
// person's own turn on stage marked.
func TestAgendasCarryTheProgramme(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	d := runSimulatedDay(t)
	data, err := d.svc.Table.Agendas(AgendaRequest{IDs: []string{d.id("教二"), d.id("官一")}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "agendas.pdf")
	os.WriteFile(path, data, 0o644)
	os.WriteFile(filepath.Join("..", "artifacts", "agenda-programme.pdf"), data, 0o644)
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) < 2 {
		t.Fatalf("%d pages", len(pages))
	}
	presenter, speaker := pages[0], pages[1]
	for _, want := range []string{"会议议程", "09:00-09:30", "开幕式暨主旨论坛", "成果路演", "产融对接会", "路演 09:38"} {
		if !strings.Contains(presenter, want) {
			t.Errorf("the presenter's agenda lacks %q:\n%s", want, presenter)
		}
	}
	if !strings.Contains(speaker, "嘉宾") || strings.Contains(speaker, "路演 0") {
		t.Errorf("the speaker's agenda:\n%s", speaker)
	}
}

// An A6 badge can carry the programme on its back, with the wearer's own
// turn; the smaller sizes have no room for it.
func TestBadgeBacksCarryTheProgramme(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	d := runSimulatedDay(t)
	ids := []string{d.id("教二"), d.id("企一")}
	read := func(layout string) []string {
		t.Helper()
		printed, err := d.svc.Badge.Print(BadgeRequest{Layout: layout, IDs: ids, Back: true})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "badges.pdf")
		os.WriteFile(path, printed.PDF, 0o644)
		if layout == "a6" {
			os.WriteFile(filepath.Join("..", "artifacts", "badge-back.pdf"), printed.PDF, 0o644)
		}
		out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	}
	pages := read("a6")
	if len(pages) != 4 {
		t.Fatalf("%d pages for two double-sided badges", len(pages))
	}
	for _, want := range []string{"会议议程", "09:00-09:30", "开幕式暨主旨论坛", "您的安排：路演 09:38 成果路演"} {
		if !strings.Contains(pages[1], want) {
			t.Errorf("the presenter's badge back lacks %q:\n%s", want, pages[1])
		}
	}
	if !strings.Contains(pages[3], "产融对接会") || strings.Contains(pages[3], "您的安排") {
		t.Errorf("an attendee's badge back:\n%s", pages[3])
	}
	if n := len(read("4x3")); n != 2 {
		t.Fatalf("4×3 badges with backs: %d pages, want 2 (no room for a back)", n)
	}
}
