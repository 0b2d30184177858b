package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/hub"
	"github.com/fuzhi/eventdesk/sync/station"
	"github.com/fuzhi/eventdesk/sync/wire"
	"github.com/xuri/excelize/v2"
)

// venue is a hub and one station, in one process, over real TLS on loopback.
type venue struct {
	hub, station      *Services
	hubWS, stationWS  *Workspace
	addr, fingerprint string
}

func newVenue(t testing.TB) *venue {
	t.Helper()
	hub, hubWS, _ := newTestServices(t)
	if _, err := hub.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	st, err := hub.Network.StartHub("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	code, err := hub.Network.NewPairingCode("station", "")
	if err != nil {
		t.Fatal(err)
	}
	station, stationWS, _ := newTestServices(t)
	if _, err := station.Network.Join(code.Link, "签到台2"); err != nil {
		t.Fatal(err)
	}
	return &venue{hub: hub, station: station, hubWS: hubWS, stationWS: stationWS, addr: st.Address, fingerprint: st.Fingerprint}
}

func TestStationReceivesTheEventAndBothSidesMergeCheckins(t *testing.T) {
	v := newVenue(t)
	v.pauseLink() // cut off: only SyncNow below moves ops
	hubInfo, _ := v.hub.Event.Current()
	stInfo, _ := v.station.Event.Current()
	if stInfo.Participants != hubInfo.Participants || stInfo.Event.ID != hubInfo.Event.ID || stInfo.Station == hubInfo.Station {
		t.Fatalf("station copy: %d people of %d, event %s/%s", stInfo.Participants, hubInfo.Participants, stInfo.Event.ID, hubInfo.Event.ID)
	}
	people, _ := v.hub.Roster.List(ParticipantQuery{Limit: 5})
	p := people.Items[0]
	// The station checks in with its own copy of the badge key.
	code, _ := v.hub.Checkin.BadgeCode(p.ID)
	first, err := v.station.Checkin.Scan(code, "签到台2")
	if err != nil || first.Result != ResultOK {
		t.Fatalf("station scan: %+v %v", first, err)
	}
	// The same person at the hub's desk while the two were cut off, a moment later.
	time.Sleep(5 * time.Millisecond)
	second, _ := v.hub.Checkin.Scan(code, "签到台1")
	if second.Result != ResultOK {
		t.Fatalf("hub scan while cut off: %+v", second)
	}
	if _, err := v.station.Network.SyncNow(); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Services{"hub": v.hub, "station": v.station} {
		d, err := s.Checkin.Dashboard()
		if err != nil {
			t.Fatal(err)
		}
		if d.Arrived != 1 || d.Repeats < 1 {
			t.Fatalf("%s: %d checked in, %d duplicates", name, d.Arrived, d.Repeats)
		}
		again, _ := s.Checkin.Scan(code, "复核")
		if again.Result != ResultDuplicate || again.FirstDesk != "签到台2" {
			t.Fatalf("%s: the earliest check-in should be the station's: %+v", name, again)
		}
	}
	st, _ := v.station.Network.SyncNow()
	if st.Role != "station" || !st.Online || st.Pending != 0 {
		t.Fatalf("station status: %+v", st)
	}
	hs, _ := v.hub.Network.Status()
	if len(hs.Peers) != 1 || hs.Peers[0].Name != "签到台2" || hs.Peers[0].LastSeen == "" {
		t.Fatalf("hub peers: %+v", hs.Peers)
	}
	hubDump, _ := mustStore(t, v.hubWS).Dump()
	stDump, _ := mustStore(t, v.stationWS).Dump()
	if strings.Join(hubDump, "\n") != strings.Join(stDump, "\n") {
		t.Fatal("hub and station views differ after sync")
	}
}

// pauseLink stops the station's background loop but keeps its link, so the
// test decides when the two sides talk.
func (v *venue) pauseLink() {
	n := v.station.Network
	n.mu.Lock()
	link := n.station
	n.mu.Unlock()
	link.Stop()
}

func mustStore(t *testing.T, ws *Workspace) interface{ Dump() ([]string, error) } {
	t.Helper()
	st, err := ws.Store()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStationWorksOfflineAndCatchesUpItself(t *testing.T) {
	v := newVenue(t)
	v.hub.Network.StopHub()
	people, _ := v.station.Roster.List(ParticipantQuery{Limit: 20})
	for _, p := range people.Items[:10] {
		if ans, err := v.station.Checkin.CheckIn(p.ID, "签到台2"); err != nil || ans.Result != ResultOK {
			t.Fatalf("offline check-in: %+v %v", ans, err)
		}
	}
	if _, err := v.station.Network.SyncNow(); err == nil {
		t.Fatal("sync with a stopped hub reported success")
	}
	st, _ := v.station.Network.Status()
	if st.Online || st.Pending < 10 || st.LastError == "" {
		t.Fatalf("offline status should show the waiting ops: %+v", st)
	}
	// The hub comes back on the same address; the station's loop catches up.
	host := v.addr[strings.LastIndex(v.addr, ":"):]
	if _, err := v.hub.Network.StartHub("127.0.0.1" + host); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		d, _ := v.hub.Checkin.Dashboard()
		if d.Arrived >= 10 {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the station did not catch up by itself after the hub came back")
}

func TestRefusalsUnpairedReplayedForeignRevoked(t *testing.T) {
	v := newVenue(t)
	c := station.Client(v.fingerprint)
	ctx := context.Background()
	base := "https://" + v.addr
	var out wire.ExchangeResponse
	status := func(err error) int {
		var he *wire.HTTPError
		if errors.As(err, &he) {
			return he.Status
		}
		return 0
	}
	if err := wire.PostJSON(ctx, c, base+"/sync/exchange", "", wire.ExchangeRequest{}, &out); status(err) != 401 || !strings.Contains(err.Error(), "未配对") {
		t.Fatalf("unpaired: %v", err)
	}
	code, _ := v.hub.Network.NewPairingCode("station", "")
	_, pcode, _, _ := wire.ParsePairing(code.Link)
	var paired wire.PairResponse
	if err := wire.PostJSON(ctx, c, base+"/sync/pair", "", wire.PairRequest{Code: pcode, Name: "x"}, &paired); err != nil {
		t.Fatal(err)
	}
	if err := wire.PostJSON(ctx, c, base+"/sync/pair", "", wire.PairRequest{Code: pcode, Name: "y"}, &paired); status(err) != 401 || !strings.Contains(err.Error(), "已被使用") {
		t.Fatalf("replayed code: %v", err)
	}
	_, rest, _ := strings.Cut(paired.Token, ".")
	if err := wire.PostJSON(ctx, c, base+"/sync/exchange", "EOTHER."+rest, wire.ExchangeRequest{}, &out); status(err) != 401 || !strings.Contains(err.Error(), "其他活动") {
		t.Fatalf("token of another event: %v", err)
	}
	if err := wire.PostJSON(ctx, c, base+"/sync/exchange", paired.Token, wire.ExchangeRequest{}, &out); err != nil {
		t.Fatalf("a good token was refused: %v", err)
	}
	id := strings.Split(paired.Token, ".")[1]
	if err := v.hub.Network.Revoke(id); err != nil {
		t.Fatal(err)
	}
	if err := wire.PostJSON(ctx, c, base+"/sync/exchange", paired.Token, wire.ExchangeRequest{}, &out); status(err) != 401 || !strings.Contains(err.Error(), "移除") {
		t.Fatalf("revoked token: %v", err)
	}
	// A hub with another certificate (someone impersonating it) is refused before any data moves.
	wrong := station.Client(strings.Repeat("0", 64))
	if err := wire.PostJSON(ctx, wrong, base+"/sync/exchange", paired.Token, wire.ExchangeRequest{}, &out); err == nil || !strings.Contains(err.Error(), "主控机身份不符") {
		t.Fatalf("pinned fingerprint not enforced: %v", err)
	}
	// Plain HTTP to the TLS port gets nothing useful.
	if resp, err := http.Get("http://" + v.addr + "/sync/exchange"); err == nil {
		if resp.StatusCode == 200 {
			t.Fatal("plain HTTP was served")
		}
		resp.Body.Close()
	}
}

func TestStationScheduleChangesAreProposalsTheHubAnswers(t *testing.T) {
	v := newVenue(t)
	v.hubWS.SetClock(func() time.Time { return time.Date(2026, 5, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)) })
	smes, _ := v.hub.Roster.List(ParticipantQuery{Role: "sme", Limit: 4})
	unis, _ := v.hub.Roster.List(ParticipantQuery{Role: "university", Limit: 4})
	if _, err := v.hub.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 3, Tables: 3}); err != nil {
		t.Fatal(err)
	}
	a, _ := v.hub.Table.AddSpontaneous(smes.Items[0].ID, unis.Items[0].ID, "S01", "T001")
	b, _ := v.hub.Table.AddSpontaneous(smes.Items[1].ID, unis.Items[1].ID, "S02", "T001")
	v.station.Network.SyncNow()
	if _, err := v.station.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 3, Tables: 3}); !errors.Is(err, errScheduleOnHub) {
		t.Fatalf("a station set up the session: %v", err)
	}
	if _, err := v.station.Table.AddSpontaneous(smes.Items[2].ID, unis.Items[2].ID, "S01", "T003"); !errors.Is(err, errScheduleOnHub) {
		t.Fatalf("a station added a meeting itself: %v", err)
	}
	if err := v.station.Match.LockMeeting(a.ID, true); !errors.Is(err, errScheduleOnHub) {
		t.Fatalf("a station locked a meeting: %v", err)
	}
	note, err := v.station.Match.MoveMeeting(a.ID, "S03", "T002") // fine
	if err != nil || !strings.Contains(note[0], "建议") {
		t.Fatalf("proposal: %v %v", note, err)
	}
	v.station.Match.MoveMeeting(b.ID, "S03", "T002") // where the first move puts a
	v.station.Network.SyncNow()
	v.station.Network.SyncNow()
	props, _ := v.station.Network.Proposals()
	got := map[string]model.Proposal{}
	for _, p := range props {
		got[p.Meeting] = p
	}
	if got[a.ID].Status != "applied" || got[b.ID].Status != "refused" || got[b.ID].Reason == "" {
		t.Fatalf("answers on the station: %+v", props)
	}
	ms, _ := v.station.Match.Meetings()
	for _, m := range ms {
		if m.ID == a.ID && (m.Slot != "S03" || m.Table != "T002") {
			t.Fatalf("the applied move did not reach the station: %+v", m)
		}
		if m.ID == b.ID && m.Slot != "S02" {
			t.Fatalf("a refused move changed the schedule: %+v", m)
		}
	}
	// The hub checks a proposal before writing: the refused one left no
	// meeting op behind (not a move and its undo), only the one that made b.
	st, _ := v.hubWS.Store()
	writes := 0
	st.Ops(func(op store.Op) error {
		if op.Kind == store.Meetings.PutOp() && op.Entity == b.ID {
			writes++
		}
		return nil
	})
	if writes != 1 {
		t.Fatalf("meeting %s has %d ops on the hub; a refused proposal must write nothing", b.ID, writes)
	}
}

func TestExhibitorPairsRecordsLeadsAndSeesOnlyItsOwn(t *testing.T) {
	v := newVenue(t)
	ents, _ := v.hub.Roster.List(ParticipantQuery{Role: "enterprise", Limit: 2})
	visitors, _ := v.hub.Roster.List(ParticipantQuery{Role: "sme", Limit: 3})
	c := station.Client(v.fingerprint)
	ctx := context.Background()
	base := "https://" + v.addr
	tokens := make([]string, 2)
	for i, e := range ents.Items {
		code, err := v.hub.Network.NewPairingCode("exhibitor", e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(code.Link, "/x/#code=") {
			t.Fatalf("exhibitor link: %s", code.Link)
		}
		var pr wire.PairResponse
		if err := wire.PostJSON(ctx, c, base+"/x/api/pair", "", wire.PairRequest{Code: code.Code}, &pr); err != nil {
			t.Fatal(err)
		}
		tokens[i] = pr.Token
	}
	var station wire.PairResponse
	if err := wire.PostJSON(ctx, c, base+"/x/api/pair", "", wire.PairRequest{Code: "NOPE00"}, &station); err == nil {
		t.Fatal("a made-up code paired")
	}
	badge, _ := v.hub.Checkin.BadgeCode(visitors.Items[0].ID)
	var ans wire.LeadAnswer
	if err := wire.PostJSON(ctx, c, base+"/x/api/lead", tokens[0], wire.LeadRequest{Code: badge, Note: "关注激光焊接", Rating: 4}, &ans); err != nil || ans.Result != "ok" {
		t.Fatalf("lead: %+v %v", ans, err)
	}
	if err := wire.PostJSON(ctx, c, base+"/x/api/lead", tokens[0], wire.LeadRequest{Code: badge[:len(badge)-3] + "AAA"}, &ans); err != nil || ans.Result != ResultForged {
		t.Fatalf("a forged badge made a lead: %+v %v", ans, err)
	}
	badge2, _ := v.hub.Checkin.BadgeCode(visitors.Items[1].ID)
	wire.PostJSON(ctx, c, base+"/x/api/lead", tokens[1], wire.LeadRequest{Code: badge2, Rating: 2}, &ans)
	var mine []model.Lead
	if err := wire.PostJSON(ctx, c, base+"/x/api/leads", tokens[0], struct{}{}, &mine); err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Participant != visitors.Items[0].ID || mine[0].Rating != 4 || mine[0].Note != "关注激光焊接" {
		t.Fatalf("exhibitor 1 leads: %+v", mine)
	}
	// A station token cannot read leads, an exhibitor token cannot sync.
	var out wire.ExchangeResponse
	if err := wire.PostJSON(ctx, c, base+"/sync/exchange", tokens[0], wire.ExchangeRequest{}, &out); err == nil {
		t.Fatal("an exhibitor token was allowed to replicate the event")
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/x/api/leads.xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+tokens[0])
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("xlsx: %v %v", resp, err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("展位线索")
	if len(rows) != 2 || rows[1][0] != visitors.Items[0].Name {
		t.Fatalf("xlsx rows: %v", rows)
	}
	// Times in the sheet are the venue's clock, whatever zone the hub keeps.
	if at := rows[1][7]; !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d$`).MatchString(at) || at != model.VenueTime(mine[0].First, "2006-01-02 15:04") {
		t.Fatalf("first scan written as %q", at)
	}
	// The phones were heard from: the network page shows when.
	status, _ := v.hub.Network.Status()
	seen := 0
	for _, p := range status.Peers {
		if p.Kind == "exhibitor" && p.LastSeen != "" {
			seen++
		}
	}
	if seen != 2 {
		t.Fatalf("exhibitors seen: %d of 2 (%+v)", seen, status.Peers)
	}
	// The hub's own list has both exhibitors' leads, for the summary.
	all, _ := v.hub.Network.Leads()
	if len(all) != 2 {
		t.Fatalf("hub leads: %d", len(all))
	}
	raw, _ := json.Marshal(all)
	if !strings.Contains(string(raw), visitors.Items[1].Name) {
		t.Fatal("hub lacks exhibitor 2's lead")
	}
}

// A desk records only what the hub admits from a desk: a walk-in from a
// known organization syncs, an edit the hub would refuse is refused at the
// desk with the reason, and the desk keeps syncing afterwards.
func TestADeskWritesOnlyWhatTheHubAdmits(t *testing.T) {
	v := newVenue(t)
	known, _ := v.hub.Roster.List(ParticipantQuery{Role: "sme", Limit: 1})
	p := known.Items[0]
	walkIn, err := v.station.Roster.Save(model.Participant{Name: "现场来宾", Org: p.Org, CreditCode: p.CreditCode, Mobile: "13811112222", Source: "walkin"})
	if err != nil {
		t.Fatal(err)
	}
	renamed := p
	renamed.Name = "改过的名字"
	if _, err := v.station.Roster.Save(renamed); err == nil || !strings.Contains(err.Error(), "主控机") {
		t.Fatalf("a desk renamed a registered person: %v", err)
	}
	if _, err := v.station.Network.SyncNow(); err != nil {
		t.Fatal(err)
	}
	if got, err := v.hub.Roster.Get(walkIn.ID); err != nil || got.Name != "现场来宾" {
		t.Fatalf("the walk-in did not reach the hub: %v %v", got, err)
	}
	st, _ := v.hubWS.Store()
	peers, _ := hub.Peers(st)
	for _, peer := range peers {
		if peer.Refused != "" {
			t.Fatalf("the hub refused the desk's batch: %s", peer.Refused)
		}
	}
}

// The hub's roadshow endpoints answer a paired phone for its own person
// only: the token says who marks; a body naming someone else, a station's
// token, no token, a talk that is not there or an oversized body change
// nothing.
func TestAPhoneMarksOnlyAsItsOwnPerson(t *testing.T) {
	v := newVenue(t)
	rs := roadshowOf(t, v.hub, "2026-05-20T10:00", "2026-05-20T11:00", 2, 10)
	investors, _ := v.hub.Roster.List(ParticipantQuery{Role: "investor", Limit: 2})
	me, other := investors.Items[0], investors.Items[1]
	code, err := v.hub.Network.NewPairingCode("exhibitor", me.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := station.Client(v.fingerprint)
	ctx := context.Background()
	base := "https://" + v.addr
	var pr wire.PairResponse
	if err := wire.PostJSON(ctx, c, base+"/x/api/pair", "", wire.PairRequest{Code: code.Code}, &pr); err != nil {
		t.Fatal(err)
	}
	var talks []wire.RoadshowTalk
	if err := wire.PostJSON(ctx, c, base+"/x/api/roadshows", pr.Token, struct{}{}, &talks); err != nil || len(talks) != 2 || talks[0].Marked {
		t.Fatalf("talks: %+v %v", talks, err)
	}
	hubSt, _ := v.hubWS.Store()
	ops := func() uint64 {
		vv, _ := hubSt.VersionVector()
		n := uint64(0)
		for _, x := range vv {
			n += x
		}
		return n
	}
	before := ops()
	stCfg, _ := station.ConfigOf(func() *store.Store { s, _ := v.stationWS.Store(); return s }())
	big := map[string]string{"talk": strings.Repeat("T", 8<<10)}
	for name, try := range map[string]func() error{
		"a station's token": func() error {
			return wire.PostJSON(ctx, c, base+"/x/api/mark", stCfg.Token, wire.MarkRequest{Talk: rs.Talks[0].ID}, &wire.MarkAnswer{})
		},
		"no token": func() error {
			return wire.PostJSON(ctx, c, base+"/x/api/mark", "", wire.MarkRequest{Talk: rs.Talks[0].ID}, &wire.MarkAnswer{})
		},
		"a forged token": func() error {
			return wire.PostJSON(ctx, c, base+"/x/api/mark", pr.Token+"x", wire.MarkRequest{Talk: rs.Talks[0].ID}, &wire.MarkAnswer{})
		},
		"no such talk": func() error {
			return wire.PostJSON(ctx, c, base+"/x/api/mark", pr.Token, wire.MarkRequest{Talk: "TNOPE"}, &wire.MarkAnswer{})
		},
		"an oversized body": func() error { return wire.PostJSON(ctx, c, base+"/x/api/mark", pr.Token, big, &wire.MarkAnswer{}) },
		"a station reading the talks": func() error {
			return wire.PostJSON(ctx, c, base+"/x/api/roadshows", stCfg.Token, struct{}{}, &talks)
		},
	} {
		if err := try(); err == nil {
			t.Errorf("%s: answered", name)
		}
	}
	if after := ops(); after != before {
		t.Fatalf("refused marks wrote %d ops", after-before)
	}
	// A body that names someone else still marks for the token's person.
	forged := map[string]string{"talk": rs.Talks[1].ID, "participant": other.ID, "from": other.ID}
	var ans wire.MarkAnswer
	if err := wire.PostJSON(ctx, c, base+"/x/api/mark", pr.Token, forged, &ans); err != nil || !ans.New {
		t.Fatalf("mark: %+v %v", ans, err)
	}
	reqs, _ := v.hub.Request.List()
	for _, r := range reqs {
		if r.Roadshow != "" && r.From != me.ID {
			t.Fatalf("a mark made for %s by %s's phone", r.From, me.Name)
		}
	}
	if err := wire.PostJSON(ctx, c, base+"/x/api/roadshows", pr.Token, struct{}{}, &talks); err != nil || !talks[1].Marked || talks[0].Marked {
		t.Fatalf("talks after the mark: %+v %v", talks, err)
	}
}
