package app

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/fuzhi/eventdesk/app/schedule"
	"github.com/fuzhi/eventdesk/model"
)

// The demo shows the product at work: its morning is played through the
// same services the screens call, with a scripted clock, so every record
// in it (check-ins at three desks, requests, a published schedule, meetings
// held and missed, outcomes, signed deals, exhibitors' leads) is an
// ordinary op and every screen has something true to show on first start.
//
// The day, in venue time (UTC+8), on the event's date:
//
//	08:00        the matchmaking session is set up (10:30, six 20-minute slots)
//	08:05–09:30  SMEs ask for meetings; most are accepted, some declined
//	08:15–09:55  about three in four registrants check in at desks 1–3
//	09:10–09:40  three walk-ins register at the door
//	10:05        一键排程, published
//	10:30–11:30  the first three slots are held: no-shows, outcomes, deals
//	09:30–11:40  exhibitors scan visitors' badges at their booths
//
// The afternoon is left open: the rest of the schedule is still to come.

// demoClock is the scripted time of the demo's morning.
type demoClock struct{ at atomic.Int64 }

func (c *demoClock) now() time.Time       { return time.Unix(0, c.at.Load()).In(model.VenueZone) }
func (c *demoClock) set(t time.Time)      { c.at.Store(t.UnixNano()) }
func (c *demoClock) step(d time.Duration) { c.set(c.now().Add(d)) }
func (c *demoClock) atClock(day time.Time, hh, mm int) {
	c.set(time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, model.VenueZone))
}

// buildLivingDemo writes the demo event to path with its morning played.
// It works on a copy in a folder of its own, so a failure leaves no half
// played demo behind and the caller's workspace is never touched.
func buildLivingDemo(ctx context.Context, dataDir, path string, today time.Time) error {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("prepare demo event: %w", err)
	}
	work, err := os.MkdirTemp(dataDir, ".demo-")
	if err != nil {
		return fmt.Errorf("prepare demo event: %w", err)
	}
	defer os.RemoveAll(work)
	clock := &demoClock{}
	day := today.In(model.VenueZone)
	clock.atClock(day, 7, 50)
	a := New(Options{Context: ctx, DataDir: work, Clock: clock.now})
	file := filepath.Join(work, "demo.fzevent")
	if err := CreateDemo(a.Workspace, file); err != nil {
		return err
	}
	if _, err := a.Workspace.OpenFile(file); err != nil {
		return fmt.Errorf("open demo event: %w", err)
	}
	playErr := playDemoMorning(&a.Services, clock, day)
	if err := a.Workspace.CloseEvent(); err != nil && playErr == nil {
		playErr = err
	}
	if playErr != nil {
		return fmt.Errorf("play the demo event's morning: %w", playErr)
	}
	if err := os.Rename(file, path); err != nil {
		return fmt.Errorf("save demo event: %w", err)
	}
	return nil
}

// playDemoMorning drives the services through the demo's morning. Every
// choice comes from a fixed seed: the demo is the same on every machine
// (but for its date).
func playDemoMorning(svc *Services, clock *demoClock, day time.Time) error {
	r := rand.New(rand.NewSource(20261202))
	_, roster, err := svc.Event.ws.open()
	if err != nil {
		return err
	}
	var ids []string
	byID := map[string]model.Participant{}
	for _, e := range roster.all() {
		ids = append(ids, e.p.ID)
		byID[e.p.ID] = *e.p
	}
	sort.Strings(ids)

	// Badges were printed the week before.
	printed := make([]PrintedBadge, 0, len(ids))
	for _, id := range ids {
		p := byID[id]
		printed = append(printed, PrintedBadge{ID: id, Version: p.CurrentBadgeVersion()})
	}
	if err := svc.Badge.MarkPrinted(printed); err != nil {
		return err
	}

	clock.atClock(day, 8, 0)
	date := day.Format("2006-01-02")
	if _, err := svc.Match.SetupSession(SessionInput{Start: date + " 10:30", SlotMinutes: 20, Slots: 6, BreakAfter: []int{3},
		BreakMin: 20, Tables: 12, MaxMeetings: 4, RequestCap: 5, RequestDeadline: date + " 10:00"}); err != nil {
		return err
	}

	// Requests: each SME's demand asks the presenters of its two best
	// matching achievements, and a few ask an investor.
	clock.atClock(day, 8, 5)
	demands, err := svc.Catalog.Demands()
	if err != nil {
		return err
	}
	var requests []*model.MeetingRequest
	for i, d := range demands {
		if i >= 30 {
			break
		}
		matches, err := svc.Catalog.RecommendAchievements(d.ID, 2)
		if err != nil {
			return err
		}
		for _, m := range matches {
			clock.step(80 * time.Second)
			req, err := svc.Catalog.RequestFromRecommendation(d.ID, m.Achievement.ID)
			if err != nil {
				continue // the same pair, or the SME's limit: the screens refuse it too
			}
			requests = append(requests, req)
		}
		if i%4 == 0 {
			inv, err := svc.Catalog.RecommendInvestors(d.ID, 1)
			if err == nil && len(inv) > 0 {
				clock.step(60 * time.Second)
				if req, err := svc.Catalog.RequestWithInvestor(d.ID, inv[0].Investor.ID); err == nil {
					requests = append(requests, req)
				}
			}
		}
	}
	// Answers: three in four accepted, one in ten declined, the rest left
	// open (they lapse at 10:00).
	for _, req := range requests {
		clock.step(20 * time.Second)
		switch n := r.Intn(20); {
		case n < 15:
			err = svc.Request.SetStatus(req.ID, model.RequestAccepted)
		case n < 17:
			err = svc.Request.SetStatus(req.ID, model.RequestDeclined)
		}
		if err != nil {
			return err
		}
	}

	// Arrivals: everyone in a meeting but a few comes; of the rest, about
	// two in three. Mostly badge scans, some found by name at the desk.
	inMeeting := map[string]bool{}
	for _, req := range requests {
		inMeeting[req.From], inMeeting[req.To] = true, true
	}
	var arriving []string
	for _, id := range ids {
		if (inMeeting[id] && r.Intn(12) > 0) || (!inMeeting[id] && r.Intn(3) < 2) {
			arriving = append(arriving, id)
		}
	}
	r.Shuffle(len(arriving), func(i, j int) { arriving[i], arriving[j] = arriving[j], arriving[i] })
	clock.atClock(day, 8, 15)
	span := 100 * time.Minute
	for i, id := range arriving {
		// A rush before 09:00, a trickle after.
		f := float64(i) / float64(len(arriving))
		at := time.Duration(f * f * float64(span))
		clock.atClock(day, 8, 15)
		clock.step(at)
		desk := []string{"1", "2", "3"}[r.Intn(3)]
		if r.Intn(8) == 0 {
			_, err = svc.Checkin.CheckIn(id, desk)
		} else {
			code, cerr := svc.Checkin.BadgeCode(id)
			if cerr != nil {
				return cerr
			}
			_, err = svc.Checkin.Scan(code, desk)
			if err == nil && r.Intn(25) == 0 {
				clock.step(40 * time.Second) // scanned again on the way in
				_, err = svc.Checkin.Scan(code, desk)
			}
		}
		if err != nil {
			return err
		}
	}
	walkIns := []model.Participant{
		{Name: "韩晓峰", Org: "济南恒信精密机械有限公司", Title: "总经理", Mobile: "13905311234", Role: model.RoleSME, Chain: "高端装备"},
		{Name: "孟雅琪", Org: "山东省技术市场协会", Title: "技术经纪人", Mobile: "15866501122", Role: model.RoleService},
		{Name: "邵立群", Org: "淄博瑞科新材料科技有限公司", Title: "研发经理", Mobile: "18653302468", Role: model.RoleSME, Chain: "新材料"},
	}
	for i, p := range walkIns {
		clock.atClock(day, 9, 10+15*i)
		if _, err := svc.Checkin.WalkIn(p, "1", "a6"); err != nil {
			return err
		}
	}
	came := map[string]bool{}
	for _, id := range arriving {
		came[id] = true
	}
	if err := playDemoProgramme(svc, clock, day, byID, came, r); err != nil {
		return err
	}

	clock.atClock(day, 10, 5)
	// By rounds, not by the clock: the demo is the same on every machine.
	if _, err := svc.Match.scheduleAll(schedule.Options{Seed: 1, Iterations: 20_000, Budget: 30 * time.Second}); err != nil {
		return err
	}
	if _, err := svc.Match.Publish(); err != nil {
		return err
	}

	// The first three slots are held.
	meetings, err := svc.Match.Meetings()
	if err != nil {
		return err
	}
	sess, err := svc.Match.Session()
	if err != nil {
		return err
	}
	slotAt := map[string]time.Time{}
	for _, s := range sess.Slots[:3] {
		t, err := time.Parse(time.RFC3339, s.Start)
		if err != nil {
			return err
		}
		slotAt[s.ID] = t
	}
	// In the order of the day, not of the random meeting ids.
	sort.Slice(meetings, func(i, j int) bool {
		if meetings[i].Slot != meetings[j].Slot {
			return meetings[i].Slot < meetings[j].Slot
		}
		return meetings[i].Table < meetings[j].Table
	})
	for _, m := range meetings {
		start, held := slotAt[m.Slot]
		if !held {
			continue
		}
		clock.set(start.Add(time.Duration(2+r.Intn(4)) * time.Minute))
		if !came[m.From] || !came[m.To] {
			if err := svc.Table.Mark(m.ID, model.MeetingNoShow); err != nil {
				return err
			}
			continue
		}
		if err := svc.Table.Mark(m.ID, model.MeetingHeld); err != nil {
			return err
		}
		clock.step(16 * time.Minute)
		o := model.Outcome{Meeting: m.ID}
		switch n := r.Intn(20); {
		case n < 4:
			o.Result, o.Intended, o.Signed, o.Amount = model.ResultAgreement, true, true, float64(30+10*r.Intn(28))
			o.Mode = []model.TransferMode{model.TransferLicense, model.TransferAssignment, model.TransferJointDev}[r.Intn(3)]
			o.NextStep = "签约后一个月内完成技术交底"
		case n < 12:
			o.Result, o.Intended = model.ResultPossible, true
			o.Mode = []model.TransferMode{model.TransferJointDev, model.TransferLicense, model.TransferService}[r.Intn(3)]
			o.FollowUp, o.NextStep = day.AddDate(0, 0, 14).Format("2006-01-02"), "企业提供样件，团队到厂调研"
		case n < 16:
			o.Result, o.NextStep = model.ResultNoPlan, "保持联系"
		default:
			o.Result = model.ResultNoInterest
		}
		if _, err := svc.Table.SaveOutcome(o); err != nil {
			return err
		}
	}

	// Leads: six presenters who came keep a booth and scan the visitors
	// who stop by (a lead belongs to the exhibitor, a participant).
	host := hubHost{ws: svc.Event.ws, match: svc.Match, programme: svc.Programme}
	achievements, err := svc.Catalog.Achievements()
	if err != nil {
		return err
	}
	var booths []string
	for _, a := range achievements {
		if came[a.OwnerID] && !slices.Contains(booths, a.OwnerID) && len(booths) < 6 {
			booths = append(booths, a.OwnerID)
		}
	}
	notes := []string{"", "", "关注激光焊接在线检测，会后发资料", "想看样机，约下周到实验室", "预算有限，先做小批量验证", "有意向合作开发"}
	for i, booth := range booths {
		clock.atClock(day, 9, 30+3*i)
		for k := 0; k < 4+r.Intn(6); k++ {
			clock.step(time.Duration(5+r.Intn(20)) * time.Minute)
			visitor := arriving[r.Intn(len(arriving))]
			code, err := svc.Checkin.BadgeCode(visitor)
			if err != nil {
				return err
			}
			if _, err := host.RecordLead(booth, code, notes[r.Intn(len(notes))], r.Intn(6)); err != nil {
				return err
			}
		}
	}
	return nil
}

// playDemoProgramme sets the day's programme and runs its roadshow: five
// talks from 09:00, each drawing marks from investors and enterprises who
// came, most of which the presenter accepts before the 10:00 deadline.
func playDemoProgramme(svc *Services, clock *demoClock, day time.Time, byID map[string]model.Participant, came map[string]bool, r *rand.Rand) error {
	date := day.Format("2006-01-02")
	var officials, audience []string
	for id, p := range byID {
		switch p.Role {
		case model.RoleGovernment:
			officials = append(officials, id)
		case model.RoleInvestor, model.RoleEnterprise:
			if came[id] {
				audience = append(audience, id)
			}
		}
	}
	sort.Strings(officials)
	sort.Strings(audience)
	clock.atClock(day, 7, 55)
	sessions := []ProgrammeInput{
		{Title: "开幕式暨主旨论坛", Kind: model.SessionForum, Start: date + "T08:30", End: date + "T09:00", Room: "一号报告厅", Speakers: officials[:min(2, len(officials))]},
		{Title: "高校院所科技成果路演", Kind: model.SessionRoadshow, Start: date + "T09:00", End: date + "T09:45", Room: "一号报告厅"},
		{Title: "成果展览展示", Kind: model.SessionExhibition, Start: date + "T08:30", End: date + "T16:30", Room: "展厅"},
		{Title: "一对一供需对接", Kind: model.SessionMatchmaking, Start: date + "T10:30", End: date + "T12:50", Room: "洽谈区"},
		{Title: "产融对接会", Kind: model.SessionFinance, Start: date + "T14:00", End: date + "T15:00", Room: "二号会议室"},
		{Title: "企业技术需求发榜与揭榜", Kind: model.SessionChallenge, Start: date + "T15:00", End: date + "T16:00", Room: "二号会议室"},
	}
	var roadshow string
	for _, in := range sessions {
		v, err := svc.Programme.Save(in)
		if err != nil {
			return err
		}
		if in.Kind == model.SessionRoadshow {
			roadshow = v.ID
		}
	}
	achievements, err := svc.Catalog.Achievements()
	if err != nil {
		return err
	}
	var talks []TalkInput
	for _, a := range achievements {
		if a.OwnerID != "" && came[a.OwnerID] && len(talks) < 5 {
			talks = append(talks, TalkInput{Achievement: a.ID, Minutes: 8})
		}
	}
	order, err := svc.Programme.SetTalks(roadshow, talks)
	if err != nil {
		return err
	}
	var marks []string
	for i, t := range order.Talks {
		clock.atClock(day, 9, 8*i)
		if _, err := svc.Programme.Advance(roadshow); err != nil {
			return err
		}
		for k := 0; k < 3 && len(audience) > 0; k++ {
			clock.step(90 * time.Second)
			who := audience[r.Intn(len(audience))]
			m, err := svc.Programme.Mark(t.ID, who)
			if err != nil {
				continue // their limit, or they asked already: the desk says so too
			}
			if m.New {
				marks = append(marks, m.Request.ID)
			}
		}
	}
	clock.atClock(day, 9, 40)
	if _, err := svc.Programme.Advance(roadshow); err != nil {
		return err
	}
	for _, id := range marks {
		clock.step(30 * time.Second)
		if r.Intn(4) > 0 {
			if err := svc.Request.SetStatus(id, model.RequestAccepted); err != nil {
				return err
			}
		}
	}
	return nil
}
