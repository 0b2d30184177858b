package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/sync/hub"
	"github.com/fuzhi/eventdesk/sync/station"
)

// desk is one station of a test venue, with its background link paused so
// the test decides when it talks to the hub.
type desk struct {
	name string
	svc  *Services
	ws   *Workspace
}

func pause(n *NetworkService) {
	n.mu.Lock()
	link := n.station
	n.mu.Unlock()
	if link != nil {
		link.Stop()
	}
}

// syncUntil calls SyncNow until it succeeds: a desk whose hub is gone
// needs a few failed tries before it looks for the station that took over.
func syncUntil(t *testing.T, d desk) {
	t.Helper()
	var err error
	for i := 0; i < 8; i++ {
		if _, err = d.svc.Network.SyncNow(); err == nil {
			return
		}
	}
	t.Fatalf("%s never reached a hub: %v", d.name, err)
}

// The hub laptop dies at 10:30 in the middle of a morning of scans at three
// desks. One desk takes over as hub; the other two find it on their own,
// without pairing again, and everything any desk acknowledged (before the
// loss, and while there was no hub) ends up on every surviving machine,
// including the hub's own last check-in that only one desk had received.
func TestAStationTakesOverWhenTheHubIsLost(t *testing.T) {
	hubSvc, hubWS, _ := newTestServices(t)
	if _, err := hubSvc.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	if _, err := hubSvc.Network.StartHub("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	var desks []desk
	for i := 1; i <= 3; i++ {
		code, err := hubSvc.Network.NewPairingCode("station", "")
		if err != nil {
			t.Fatal(err)
		}
		svc, ws, _ := newTestServices(t)
		name := fmt.Sprintf("签到台%d", i)
		if _, err := svc.Network.Join(code.Link, name); err != nil {
			t.Fatal(err)
		}
		pause(svc.Network)
		desks = append(desks, desk{name, svc, ws})
	}
	// Two rounds: every desk offers itself, then every desk holds the list
	// naming all three.
	for round := 0; round < 2; round++ {
		for _, d := range desks {
			syncUntil(t, d)
		}
	}
	for _, d := range desks {
		st, _ := d.ws.Store()
		succ, ok := station.SuccessionOf(st)
		if !ok || len(succ.Candidates) != 3 || len(succ.Devices) != 3 {
			t.Fatalf("%s holds succession %+v", d.name, succ)
		}
	}

	people, _ := hubSvc.Roster.List(ParticipantQuery{Limit: 60})
	codes := map[string]string{} // printed on the badges before the day
	for _, p := range people.Items {
		codes[p.ID], _ = hubSvc.Checkin.BadgeCode(p.ID)
	}
	acked := map[string]bool{}
	scan := func(svc *Services, deskName string, id string) {
		t.Helper()
		a, err := svc.Checkin.Scan(codes[id], deskName)
		if err != nil || a.Result != ResultOK {
			t.Fatalf("scan of %s at %s: %+v %v", id, deskName, a, err)
		}
		acked[id] = true
	}
	// The morning: ten scans at each desk, synced.
	for i, p := range people.Items[:30] {
		scan(desks[i%3].svc, desks[i%3].name, p.ID)
	}
	for _, d := range desks {
		syncUntil(t, d)
	}
	// The hub's own desk checks one guest in; only desk 3 receives it.
	scan(hubSvc, "主控台", people.Items[30].ID)
	syncUntil(t, desks[2])

	// 10:30: the hub laptop dies for good.
	hubSvc.Network.StopHub()
	hubWS.CloseEvent()

	// The desks go on offline, each acknowledging its scans.
	for i, p := range people.Items[31:43] {
		scan(desks[i%3].svc, desks[i%3].name, p.ID)
	}
	// Desk 1 takes over, on the lost hub's port.
	st, err := desks[0].svc.Network.Promote("")
	if err != nil {
		t.Fatal(err)
	}
	if st.Role != "hub" {
		t.Fatalf("after promotion desk 1 is %+v", st)
	}
	// The other desks find it by themselves: no pairing.
	oldHub := func() string { s, _ := desks[0].ws.Store(); succ, _ := station.SuccessionOf(s); return succ.HubReplica }()
	newFP := func() string { s, _ := desks[0].ws.Store(); _, fp, _ := hub.CandidateCert(s); return fp }()
	for _, d := range desks[1:] {
		syncUntil(t, d)
		status, _ := d.svc.Network.Status()
		if status.Role != "station" || !status.Online || status.Pending != 0 {
			t.Fatalf("%s after following: %+v", d.name, status)
		}
		s, _ := d.ws.Store()
		if cfg, _ := station.ConfigOf(s); cfg.Fingerprint != newFP || len(cfg.Relay) != 1 || cfg.Relay[0] != oldHub {
			t.Fatalf("%s follows %+v, want desk 1's certificate and the lost hub's ops relayed", d.name, cfg)
		}
	}
	// Everyone catches up with everyone (desk 2 hears desk 3's last scans).
	for _, d := range desks[1:] {
		syncUntil(t, d)
	}
	// The new hub's own list names the two desks left, so the venue would
	// survive losing this laptop too.
	for _, d := range desks[1:] {
		s, _ := d.ws.Store()
		succ, _ := station.SuccessionOf(s)
		if len(succ.Candidates) != 2 || succ.HubReplica == oldHub {
			t.Fatalf("%s holds %+v after the takeover, want the new hub's list naming desks 2 and 3", d.name, succ)
		}
	}
	// After the loss the new hub writes what only a hub may (the guard of
	// its desk days is gone): a walk-in with a new badge key would do; a
	// plain roster edit is enough to show it is no longer refused.
	p := people.Items[50]
	p.Title = "接替后由主控机修改"
	if _, err := desks[0].svc.Roster.Save(p); err != nil {
		t.Fatalf("the new hub cannot edit the roster: %v", err)
	}
	for _, d := range desks[1:] {
		syncUntil(t, d)
	}

	var dumps []string
	for _, d := range desks {
		dash, err := d.svc.Checkin.Dashboard()
		if err != nil {
			t.Fatal(err)
		}
		if dash.Arrived != len(acked) {
			t.Errorf("%s shows %d arrived, %d were acknowledged", d.name, dash.Arrived, len(acked))
		}
		st, _ := d.ws.Store()
		lines, _ := st.Dump()
		dumps = append(dumps, strings.Join(lines, "\n"))
	}
	if dumps[0] != dumps[1] || dumps[1] != dumps[2] {
		t.Fatal("the three surviving machines do not hold the same event")
	}
	// Each acknowledged guest, scanned again at any desk, is already in.
	for id := range acked {
		for _, d := range desks {
			if a, _ := d.svc.Checkin.Scan(codes[id], d.name); a.Result != ResultDuplicate {
				t.Fatalf("%s at %s: %+v, want already checked in", id, d.name, a)
			}
		}
	}
}

// A desk that never received the list cannot take over (it would strand
// the others), and says what to do instead.
func TestPromotionNeedsTheSuccessionList(t *testing.T) {
	v := newVenue(t)
	st, _ := v.stationWS.Store()
	st.DeleteLocal(station.LocalSuccession)
	if _, err := v.station.Network.Promote(""); err == nil || !strings.Contains(err.Error(), "接替名单") {
		t.Fatalf("promotion without a list: %v", err)
	}
	if _, err := v.hub.Network.Promote(""); err == nil {
		t.Fatal("the hub promoted itself")
	}
}
