package hub

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

type fakeHost struct{}

func (fakeHost) EventID() string    { return "E1" }
func (fakeHost) EventTitle() string { return "深度行" }
func (fakeHost) Now() time.Time     { return time.Now() }
func (fakeHost) NetworkChanged()    {}
func (fakeHost) RecordLead(string, string, string, int) (*wire.LeadAnswer, error) {
	return nil, errors.New("not in this test")
}
func (fakeHost) Roadshows(string) ([]wire.RoadshowTalk, error) {
	return nil, errors.New("not in this test")
}
func (fakeHost) MarkTalk(string, string) (*wire.MarkAnswer, error) {
	return nil, errors.New("not in this test")
}
func (fakeHost) AnswerProposal(p model.Proposal) model.Proposal {
	p.Status = model.ProposalRefused
	p.Reason = "test"
	return p
}

// testHub is a hub over a small event: two people, an organization, a
// session and one placed meeting.
type testHub struct {
	st     *store.Store
	srv    *Server
	client *http.Client
}

func newTestHub(t *testing.T) *testHub {
	t.Helper()
	return newTestHubWith(t, fakeHost{})
}

func newTestHubWith(t *testing.T, host Host) *testHub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "hub.fzevent"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, err = st.Apply(context.Background(),
		store.Events.Put("event", model.Event{ID: "E1", Name: "深度行"}),
		store.Participants.Put("P1", model.Participant{ID: "P1", Name: "张三", Org: "甲公司", Mobile: "13900000001"}),
		store.Participants.Put("P2", model.Participant{ID: "P2", Name: "李四", Org: "乙大学"}),
		store.Orgs.Put("O1", model.Org{ID: "O1", Name: "甲公司"}),
		store.Sessions.Put("session", model.MatchSession{Slots: []model.MatchSlot{{ID: "S01"}, {ID: "S02"}}, Tables: []model.MatchTable{{ID: "T001"}}}),
		store.Meetings.Put("M1", model.Meeting{ID: "M1", Request: "R1", From: "P1", To: "P2", Slot: "S01", Table: "T001", Status: model.MeetingScheduled}),
		store.BadgeKeys.Put("badge_key", model.BadgeKey{Key: []byte("0123456789abcdef0123456789abcdef")}),
		store.Demands.Put("D1", model.Demand{ID: "D1", Title: "盐碱地改良", SMEID: "P1", Challenge: true}),
		store.Demands.Put("D2", model.Demand{ID: "D2", Title: "普通需求"}),
	)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Start(st, host, nil, "127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &testHub{st: st, srv: srv, client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: wire.PinnedTLS(srv.Fingerprint())}}}
}

func (h *testHub) pair(t *testing.T, kind string) wire.PairResponse {
	t.Helper()
	code, err := h.srv.NewCode(kind, "P1", "设备")
	if err != nil {
		t.Fatal(err)
	}
	var pr wire.PairResponse
	path := "/sync/pair"
	if kind == wire.KindExhibitor {
		path = "/x/api/pair"
	}
	if err := wire.PostJSON(context.Background(), h.client, "https://"+h.srv.Address()+path, "", wire.PairRequest{Code: code.Code, Kind: kind}, &pr); err != nil {
		t.Fatal(err)
	}
	return pr
}

func (h *testHub) send(token string, ops []store.Op) error {
	var resp wire.ExchangeResponse
	return wire.PostJSON(context.Background(), h.client, "https://"+h.srv.Address()+"/sync/exchange", token, wire.ExchangeRequest{VV: map[string]uint64{}, Ops: ops}, &resp)
}

func (h *testHub) has(op store.Op) bool {
	found := false
	_ = h.st.Ops(func(o store.Op) error {
		found = found || (o.Station == op.Station && o.Seq == op.Seq)
		return nil
	})
	return found
}

var clock = store.NewHLC(0, nil)

func op(replica string, seq uint64, kind, entity string, payload any) store.Op {
	raw, _ := json.Marshal(payload)
	return store.Op{Station: replica, Seq: seq, HLC: clock.Next(), Kind: kind, Entity: entity, Payload: raw}
}

// A station may write what a desk does and nothing else; each case is one
// op sent as the station's next op, accepted or refused whole.
func TestAStationWritesOnlyWhatADeskDoes(t *testing.T) {
	meeting := model.Meeting{ID: "M1", Request: "R1", From: "P1", To: "P2", Slot: "S01", Table: "T001", Status: model.MeetingScheduled}
	moved, held, arrived, newM := meeting, meeting, meeting, meeting
	moved.Slot = "S02"
	held.Status = model.MeetingHeld
	arrived.Arrived = []string{"P1", "P9"}
	newM.ID = "M2"
	p1 := model.Participant{ID: "P1", Name: "张三", Org: "甲公司", Mobile: "13900000001"}
	reprint, renamed := p1, p1
	reprint.BadgeVersion, reprint.BadgePrinted = 2, 2
	renamed.Name = "王五"
	cases := []struct {
		name   string
		kind   string
		entity string
		value  any
		ok     bool
	}{
		{"a scan", "scan.add", "P1", model.Scan{Desk: "2", Method: "scan", At: "2026-05-20T09:00:00+08:00"}, true},
		{"an undo", "scan_undo.add", "P1", model.ScanUndo{Scan: "X-1", Desk: "2"}, true},
		{"a walk-in", "participant.put", "P9", model.Participant{ID: "P9", Name: "赵六", Source: "walkin"}, true},
		{"a walk-in's new organization", "org.put", "O9", model.Org{ID: "O9", Name: "丙公司"}, true},
		{"a reprinted badge", "participant.put", "P1", reprint, true},
		{"the meeting held", "meeting.put", "M1", held, true},
		{"an outcome", "outcome.put", "M1", model.Outcome{Meeting: "M1", Result: model.ResultPossible}, true},
		{"a wish", "request.put", "R7", model.MeetingRequest{ID: "R7", From: "P1", To: "P2", Priority: "want", Status: model.RequestRequested}, true},
		{"a proposal", "proposal.put", "Q1", model.Proposal{ID: "Q1", Meeting: "M1", Slot: "S02", Table: "T001", Status: model.ProposalProposed}, true},
		{"renaming a participant", "participant.put", "P1", renamed, false},
		{"deleting a participant", "participant.delete", "P2", nil, false},
		{"changing an organization", "org.put", "O1", model.Org{ID: "O1", Name: "改名"}, false},
		{"renaming the event", "event.put", "event", model.Event{ID: "E1", Name: "假活动"}, false},
		{"a badge key", "secret.put", "badge_key", model.BadgeKey{Key: []byte("forged")}, false},
		{"the session", "session.put", "session", model.MatchSession{}, false},
		{"moving a meeting", "meeting.put", "M1", moved, false},
		{"a new meeting", "meeting.put", "M2", newM, false},
		{"a stranger arriving", "meeting.put", "M1", arrived, false},
		{"deleting a meeting", "meeting.delete", "M1", nil, false},
		{"an outcome of no meeting", "outcome.put", "M9", model.Outcome{Meeting: "M9"}, false},
		{"a finance outcome", "outcome.put", "M1", model.Outcome{Meeting: "M1", Finance: &model.Finance{Kind: model.FinanceLoan, Institution: "齐鲁银行", Intended: 500, Signed: 100}}, true},
		{"a follow-up", "outcome.put", "M1", model.Outcome{Meeting: "M1", Intended: true, FollowUps: []model.FollowUp{{Stage: 30, State: model.FollowUpNegotiating, Note: "第一行\n第二行"}}}, true},
		{"financing of an unknown kind", "outcome.put", "M1", model.Outcome{Meeting: "M1", Finance: &model.Finance{Kind: "crypto", Signed: 100}}, false},
		{"financing of a trillion", "outcome.put", "M1", model.Outcome{Meeting: "M1", Finance: &model.Finance{Kind: model.FinanceLoan, Signed: 1e12}}, false},
		{"a follow-up at 45 days", "outcome.put", "M1", model.Outcome{Meeting: "M1", FollowUps: []model.FollowUp{{Stage: 45, State: model.FollowUpSigned}}}, false},
		{"two follow-ups of one stage", "outcome.put", "M1", model.Outcome{Meeting: "M1", FollowUps: []model.FollowUp{{Stage: 30, State: model.FollowUpSigned}, {Stage: 30, State: model.FollowUpDropped}}}, false},
		{"a follow-up of a negative amount", "outcome.put", "M1", model.Outcome{Meeting: "M1", FollowUps: []model.FollowUp{{Stage: 90, State: model.FollowUpSigned, Amount: -3}}}, false},
		{"a follow-up in an unknown state", "outcome.put", "M1", model.Outcome{Meeting: "M1", FollowUps: []model.FollowUp{{Stage: 90, State: "won"}}}, false},
		{"answering its own proposal", "proposal.put", "Q2", model.Proposal{ID: "Q2", Meeting: "M1", Status: model.ProposalApplied}, false},
		{"a lead", "lead.put", "P1|P2", model.Lead{Exhibitor: "P1", Participant: "P2", Mobile: "13900000002"}, false},
		{"an achievement", "achievement.put", "A1", model.Achievement{ID: "A1"}, false},
		{"a demand", "demand.put", "D1", model.Demand{ID: "D1"}, false},
		{"an unknown kind", "whatever.put", "x", map[string]string{}, false},
		{"a 揭榜 at the desk", "response.put", "JD1-P2", model.ChallengeResponse{ID: "JD1-P2", Demand: "D1", Responder: "P2", Proposal: "耐盐碱品种与滴灌结合"}, true},
		{"a 揭榜 under another's id", "response.put", "JD1-P1", model.ChallengeResponse{ID: "JD1-P1", Demand: "D1", Responder: "P2", Proposal: "方案"}, false},
		{"a 揭榜 of a demand that is no challenge", "response.put", "JD2-P2", model.ChallengeResponse{ID: "JD2-P2", Demand: "D2", Responder: "P2", Proposal: "方案"}, false},
		{"a 揭榜 by nobody on the roster", "response.put", "JD1-P8", model.ChallengeResponse{ID: "JD1-P8", Demand: "D1", Responder: "P8", Proposal: "方案"}, false},
		{"a 揭榜 without a proposal", "response.put", "JD1-P2", model.ChallengeResponse{ID: "JD1-P2", Demand: "D1", Responder: "P2"}, false},
		{"a programme session", "programme.put", "S1", model.ProgrammeSession{ID: "S1", Title: "假路演", Kind: model.SessionRoadshow}, false},
		{"a judge's score", "score.put", "T1|P2", model.Score{Talk: "T1", Judge: "P2", Points: []float64{10}}, false},
		{"a chain mapping", "chainmap.put", "综合", model.ChainMapping{Text: "综合", Code: "SEI01"}, false},
	}
	h := newTestHub(t)
	pr := h.pair(t, wire.KindStation)
	if pr.Replica == "" || pr.Replica == h.st.Station() {
		t.Fatalf("replica: %q", pr.Replica)
	}
	seq := uint64(0)
	for _, c := range cases {
		var value any = c.value
		if c.kind == "proposal.put" {
			p := c.value.(model.Proposal)
			p.By = pr.Replica
			value = p
		}
		o := op(pr.Replica, seq+1, c.kind, c.entity, value)
		if c.value == nil {
			o.Payload = nil
		}
		err := h.send(pr.Token, []store.Op{o})
		if c.ok != (err == nil) {
			t.Errorf("%s: accepted=%v (%v), want %v", c.name, err == nil, err, c.ok)
		}
		if h.has(o) != c.ok {
			t.Errorf("%s: stored=%v", c.name, !c.ok)
		}
		if err == nil {
			seq++
		}
	}
	peers, _ := Peers(h.st)
	if len(peers) != 1 || peers[0].Refused == "" || peers[0].RefusedAt == "" {
		t.Fatalf("the network screen does not show the refusal: %+v", peers)
	}
}

func TestAStationCannotWriteAsAnotherOrSkipOrStampTheFuture(t *testing.T) {
	h := newTestHub(t)
	a, b := h.pair(t, wire.KindStation), h.pair(t, wire.KindStation)
	scan := model.Scan{Desk: "2", Method: "scan", At: "2026-05-20T09:00:00+08:00"}
	future := op(a.Replica, 1, "scan.add", "P1", scan)
	future.HLC = math.MaxUint64
	soon := op(a.Replica, 1, "scan.add", "P1", scan)
	soon.HLC = uint64(time.Now().Add(time.Hour).UnixMilli()) << 16
	for name, batch := range map[string][]store.Op{
		"as the hub":                {op(h.st.Station(), 99, "scan.add", "P1", scan)},
		"as another station":        {op(b.Replica, 1, "scan.add", "P1", scan)},
		"past a gap":                {op(a.Replica, 2, "scan.add", "P1", scan)},
		"a good op and a bad one":   {op(a.Replica, 1, "scan.add", "P1", scan), op(a.Replica, 2, "secret.put", "badge_key", model.BadgeKey{Key: []byte("x")})},
		"at HLC 2^64-1":             {future},
		"an hour ahead of the hub":  {soon},
		"a good op, then a bad seq": {op(a.Replica, 1, "scan.add", "P1", scan), op(a.Replica, 3, "scan.add", "P1", scan)},
	} {
		if err := h.send(a.Token, batch); err == nil || !strings.Contains(err.Error(), "拒绝") {
			t.Errorf("%s: %v", name, err)
		}
		for _, o := range batch {
			if h.has(o) {
				t.Errorf("%s: op %s stored from a refused batch", name, o.ID())
			}
		}
	}
	if last := h.st.Clock().Last(); store.HLCTime(last).After(time.Now().Add(time.Minute)) {
		t.Fatalf("the hub's clock was pushed to %v", store.HLCTime(last))
	}
	// The honest station's next op still goes in, and a repeat of it is harmless.
	good := op(a.Replica, 1, "scan.add", "P1", scan)
	for i := 0; i < 2; i++ {
		if err := h.send(a.Token, []store.Op{good}); err != nil {
			t.Fatal(err)
		}
	}
	// An exhibitor's token does not exchange ops at all.
	ex := h.pair(t, wire.KindExhibitor)
	if err := h.send(ex.Token, []store.Op{op(a.Replica, 2, "scan.add", "P1", scan)}); err == nil {
		t.Fatal("an exhibitor token exchanged ops")
	}
}

// A request holds the device's record as it was when the request was let
// in. If the organizer removes the device meanwhile, what the request then
// writes (last seen, what the station holds) must not bring it back.
func TestARemovalMadeDuringARequestStands(t *testing.T) {
	for _, kind := range []string{wire.KindExhibitor, wire.KindStation} {
		h := newTestHub(t)
		pr := h.pair(t, kind)
		stale, err := checkToken(h.st, "E1", pr.Token) // what a request in flight holds
		if err != nil {
			t.Fatal(err)
		}
		if err := Revoke(h.st, stale.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		// The writes that follow a request, each from the stale copy.
		h.srv.sawExhibitor(stale)
		if _, err := updateToken(h.st, stale.ID, func(cur *tokenRecord) { cur.Pending = 3 }); err != nil {
			t.Fatal(err)
		}
		if _, err := checkToken(h.st, "E1", pr.Token); err == nil {
			t.Fatalf("%s: the removed device's token works again", kind)
		}
		if err := h.send(pr.Token, nil); err == nil {
			t.Fatalf("%s: the removed device was let in", kind)
		}
	}
}
