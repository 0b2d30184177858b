package app

import (
	"context"
	"encoding/base64"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/hub"
	"github.com/fuzhi/eventdesk/sync/station"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// NetworkService joins machines into one event: the organizer's laptop is
// the hub (sync/hub), other laptops pair as stations (sync/station) and
// replicate ops both ways, exhibitors pair a phone browser to collect
// leads. This service only starts and stops them with the open event and
// answers the network screen.
type NetworkService struct {
	ws        *Workspace
	match     *MatchService
	programme *ProgrammeService
	// ui is the built frontend, served to exhibitors' browsers by the hub.
	ui fs.FS

	mu      sync.Mutex
	hub     *hub.Server
	station *station.Link
}

// newNetworkService binds the service to a workspace and resumes the hub
// or the station link of whatever event the workspace opens.
func newNetworkService(ws *Workspace, match *MatchService, programme *ProgrammeService, ui fs.FS) *NetworkService {
	n := &NetworkService{ws: ws, match: match, programme: programme, ui: ui}
	ws.onOpen = append(ws.onOpen, n.resume)
	ws.onClose = append(ws.onClose, n.stop)
	return n
}

const localHubListen = "hub/listen"

// NetworkStatus is what the network screen shows.
type NetworkStatus struct {
	Role        string `json:"role"` // standalone, hub, station
	Station     string `json:"station"`
	Address     string `json:"address,omitempty"` // hub: where stations connect
	Fingerprint string `json:"fingerprint,omitempty"`
	Online      bool   `json:"online"`
	LastSync    string `json:"lastSync,omitempty"`
	LastError   string `json:"lastError,omitempty"`
	Pending     int    `json:"pending"` // ops this machine has that the other side lacks
	// Successors: a station, how many desks its hub's signed succession
	// list names as able to take over (0: it cannot take over yet).
	Successors int               `json:"successors"`
	Peers      []hub.PeerStatus  `json:"peers"`
	Codes      []hub.PairingCode `json:"codes"`
}

// Status reports this machine's place in the venue network.
func (n *NetworkService) Status() (*NetworkStatus, error) {
	st, _, err := n.ws.open()
	if err != nil {
		return nil, err
	}
	out := &NetworkStatus{Role: "standalone", Station: st.Station(), Peers: []hub.PeerStatus{}, Codes: []hub.PairingCode{}}
	n.mu.Lock()
	h, link := n.hub, n.station
	n.mu.Unlock()
	if h != nil {
		out.Role, out.Address, out.Fingerprint, out.Online = "hub", h.Address(), h.Fingerprint(), true
		out.Codes = h.ActiveCodes()
		if out.Peers, err = hub.Peers(st); err != nil {
			return nil, err
		}
	}
	if link != nil {
		cfg, s := link.Config(), link.Status()
		out.Role, out.Address, out.Fingerprint, out.Online = "station", cfg.Address, cfg.Fingerprint, s.Online
		if !s.LastSync.IsZero() {
			out.LastSync = s.LastSync.Format(time.RFC3339)
		}
		out.LastError, out.Pending = s.LastErr, s.Pending
		if succ, ok := station.SuccessionOf(st); ok {
			out.Successors = len(succ.Candidates)
		}
	}
	return out, nil
}

// StartHub makes this machine the hub of the open event, listening on
// addr (":8443" by default, all interfaces, TLS). It is remembered, so the
// hub comes back when the event is reopened.
func (n *NetworkService) StartHub(addr string) (*NetworkStatus, error) {
	st, _, err := n.ws.open()
	if err != nil {
		return nil, err
	}
	if cfg, ok := station.ConfigOf(st); ok {
		return nil, sayAlreadyStation.Err("address", cfg.Address)
	}
	if strings.TrimSpace(addr) == "" {
		addr = ":8443"
	}
	if err := n.startHub(st, addr); err != nil {
		return nil, err
	}
	if err := st.PutLocal(localHubListen, addr); err != nil {
		return nil, err
	}
	return n.Status()
}

// StopHub stops listening; paired stations keep working offline.
func (n *NetworkService) StopHub() error {
	st, _, err := n.ws.open()
	if err != nil {
		return err
	}
	n.stopHub()
	return st.PutLocal(localHubListen, "")
}

func (n *NetworkService) startHub(st *store.Store, addr string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.hub != nil {
		return nil
	}
	h, err := hub.Start(st, hubHost{ws: n.ws, match: n.match, programme: n.programme}, n.ui, addr, n.ws.log)
	if err != nil {
		return err
	}
	n.hub = h
	n.ws.log.Info("hub started", "addr", h.Address())
	n.ws.emit(NetworkChanged, nil)
	return nil
}

func (n *NetworkService) stopHub() {
	n.mu.Lock()
	h := n.hub
	n.hub = nil
	n.mu.Unlock()
	if h != nil {
		h.Close()
		n.ws.log.Info("hub stopped")
	}
}

// NewPairingCode makes a one-time code for a station ("station") or an
// exhibitor ("exhibitor", naming the participant whose leads it collects).
func (n *NetworkService) NewPairingCode(kind, participantID string) (*hub.PairingCode, error) {
	_, roster, err := n.ws.open()
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	h := n.hub
	n.mu.Unlock()
	if h == nil {
		return nil, sayHubFirst.Err()
	}
	name := ""
	switch kind {
	case wire.KindStation:
	case wire.KindExhibitor:
		p, ok := roster.get(participantID)
		if !ok {
			return nil, sayNoExhibitor.Err("id", participantID)
		}
		name = p.Org + " · " + p.Name
	default:
		return nil, sayPairKind.Err()
	}
	code, err := h.NewCode(kind, participantID, name)
	if err != nil {
		return nil, err
	}
	n.ws.log.Info("pairing code made", "kind", kind, "expires", code.Expires)
	return code, nil
}

// Revoke removes a station or exhibitor: its token is refused from now on.
func (n *NetworkService) Revoke(peerID string) error {
	st, _, err := n.ws.open()
	if err != nil {
		return err
	}
	if err := hub.Revoke(st, peerID, n.ws.now()); err != nil {
		return err
	}
	n.ws.log.Info("device revoked", "peer", peerID)
	n.ws.emit(NetworkChanged, nil)
	return nil
}

// Join pairs this machine with a hub as a station, copies the event from
// it into a new file under the data folder and opens that file. From then
// on the station works offline and syncs whenever the hub is reachable.
func (n *NetworkService) Join(pairing, name string) (*EventInfo, error) {
	ctx, cancel := context.WithTimeout(n.ws.ctx, 2*time.Minute)
	defer cancel()
	path, err := station.Join(ctx, n.ws.dataDir, pairing, name)
	if err != nil {
		return nil, err
	}
	return n.ws.OpenFile(path)
}

// SyncNow runs exchanges with the hub until both sides are even, and
// reports how it went.
func (n *NetworkService) SyncNow() (*NetworkStatus, error) {
	n.mu.Lock()
	link := n.station
	n.mu.Unlock()
	if link == nil {
		return nil, sayNotStation.Err()
	}
	if err := link.SyncAll(n.ws.ctx); err != nil {
		return nil, err
	}
	return n.Status()
}

// resume restarts the hub or the station link of a freshly opened event.
func (n *NetworkService) resume(st *store.Store) {
	var addr string
	if ok, _ := st.GetLocal(localHubListen, &addr); ok && addr != "" {
		if err := n.startHub(st, addr); err != nil {
			n.ws.log.Error("hub did not start", "addr", addr, "err", err)
		}
	}
	if cfg, ok := station.ConfigOf(st); ok {
		// The desk writes only what the hub admits from a desk, so nothing
		// it records can block its exchange.
		replica := st.Station()
		st.SetGuard(func(op store.Op) error { return hub.DeskMay(st, replica, op) })
		link := station.New(st, cfg, n.ws.now, func() { n.ws.emit(NetworkChanged, nil) }).WithLogger(n.ws.log)
		// Offered as a hub should the hub laptop be lost (Promote).
		if certPEM, _, err := hub.CandidateCert(st); err == nil {
			link.WithCandidate(certPEM, candidateAddrs())
		} else {
			n.ws.log.Warn("no candidate certificate", "err", err)
		}
		n.mu.Lock()
		n.station = link
		n.mu.Unlock()
		link.Start(n.ws.ctx)
	}
}

// candidateAddrs are the addresses other desks may find this one at if it
// takes over: its LAN addresses, and loopback (a desk on the same machine).
func candidateAddrs() []string {
	var out []string
	for _, ip := range hub.LocalIPs() {
		out = append(out, ip.String())
	}
	return append(out, "127.0.0.1")
}

// Promote makes this station the venue's hub when the hub laptop is lost
// for good. The station already holds the whole event; from the hub's
// signed succession list it takes the paired devices (so the other desks
// keep their tokens) and the lost hub's replica id (whose ops the desks
// relay). It then listens on the venue's hub port, serving with the
// certificate the lost hub vouched for: the other desks find it there on
// their own and follow it, without pairing again. addr "" means the port
// the lost hub used, on every interface.
func (n *NetworkService) Promote(addr string) (*NetworkStatus, error) {
	st, _, err := n.ws.open()
	if err != nil {
		return nil, err
	}
	cfg, ok := station.ConfigOf(st)
	if !ok {
		return nil, sayNotStation.Err()
	}
	succ, ok := station.SuccessionOf(st)
	if !ok {
		return nil, sayNoSuccession.Err("address", cfg.Address)
	}
	n.stopLink()
	if err := hub.TakeOver(st, succ, n.ws.now()); err != nil {
		return nil, sayPromoteFailed.Wrap(err)
	}
	st.SetGuard(nil) // the hub writes what only a hub may
	if err := st.DeleteLocal(station.LocalKey); err != nil {
		return nil, sayPromoteFailed.Wrap(err)
	}
	if strings.TrimSpace(addr) == "" {
		addr = ":" + succ.Port
	}
	if err := n.startHub(st, addr); err != nil {
		return nil, err
	}
	if err := st.PutLocal(localHubListen, addr); err != nil {
		return nil, err
	}
	n.ws.log.Warn("station promoted to hub", "replica", st.Station(), "lost_hub", succ.HubReplica, "addr", addr)
	return n.Status()
}

func (n *NetworkService) stop() {
	n.stopHub()
	n.stopLink()
}

// stopLink ends the station link's loop, if this machine is a station.
func (n *NetworkService) stopLink() {
	n.mu.Lock()
	link := n.station
	n.station = nil
	n.mu.Unlock()
	if link != nil {
		link.Stop()
	}
}

// QR renders text (a pairing link) as a PNG data URL for the screen.
func (n *NetworkService) QR(text string) (string, error) {
	if len(text) > 1000 {
		return "", sayQRTooLong.Err()
	}
	png, err := qrcode.Encode(text, qrcode.Medium, 320)
	if err != nil {
		return "", sayQRFailed.Wrap(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}

// Leads lists every exhibitor's leads (the organizer's view, for the summary).
func (n *NetworkService) Leads() ([]model.Lead, error) {
	st, _, err := n.ws.open()
	if err != nil {
		return nil, err
	}
	return hub.LeadsOf(st, "")
}

// hubHost is what the hub asks of the open event.
type hubHost struct {
	ws        *Workspace
	match     *MatchService
	programme *ProgrammeService
}

func (h hubHost) EventID() string    { return h.ws.eventID() }
func (h hubHost) EventTitle() string { return h.ws.eventTitle() }
func (h hubHost) Now() time.Time     { return h.ws.now() }
func (h hubHost) NetworkChanged()    { h.ws.emit(NetworkChanged, nil) }

// RecordLead checks the badge and stores the lead for one exhibitor.
func (h hubHost) RecordLead(exhibitor, code, note string, rating int) (*wire.LeadAnswer, error) {
	w := h.ws
	st, _, err := w.open()
	if err != nil {
		return nil, err
	}
	p, _, refusal, err := w.verifyBadge(code)
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return &wire.LeadAnswer{Result: refusal.Result, Message: refusal.Message}, nil
	}
	if rating < 0 || rating > 5 {
		return nil, sayRatingRange.Err()
	}
	entity := exhibitor + "|" + p.ID
	l, found, err := store.Leads.Get(st, entity)
	if err != nil {
		return nil, err
	}
	now := w.now().Format(time.RFC3339)
	if !found {
		l = model.Lead{Exhibitor: exhibitor, Participant: p.ID, First: now}
	}
	l.Name, l.Org, l.Title, l.Role, l.Updated = p.Name, p.Org, p.Title, model.RoleLabel[p.Role], now
	l.Mobile = ""
	if p.Consent {
		l.Mobile = p.Mobile
	}
	if n := strings.TrimSpace(note); n != "" {
		l.Note = model.CleanName(n)
	}
	if rating > 0 {
		l.Rating = rating
	}
	if _, err := st.Apply(w.ctx, store.Leads.Put(entity, l)); err != nil {
		return nil, sayLeadSaveFailed.Wrap(err)
	}
	said := sayLeadKept.Say("name", p.Name, "org", p.Org)
	if found && (strings.TrimSpace(note) != "" || rating > 0) {
		said = sayLeadNoted.Say("name", p.Name, "org", p.Org)
	} else if found {
		said = sayLeadAgain.Say("name", p.Name, "org", p.Org)
	}
	return &wire.LeadAnswer{Result: "ok", Message: said, Lead: &l}, nil
}

// Roadshows lists every roadshow's talks in programme order, for a phone
// on the venue network, with the person's own marks.
func (h hubHost) Roadshows(participant string) ([]wire.RoadshowTalk, error) {
	list, err := h.programme.List()
	if err != nil {
		return nil, err
	}
	reqs, err := listView(h.ws, store.Requests)
	if err != nil {
		return nil, err
	}
	marked := map[string]bool{}
	for _, r := range reqs {
		if r.Roadshow != "" && r.From == participant {
			marked[r.Roadshow] = true
		}
	}
	out := []wire.RoadshowTalk{}
	for _, sess := range list {
		for i, t := range sess.Talks {
			state := wire.TalkComing
			switch {
			case i == sess.Current:
				state = wire.TalkOnStage
			case t.Presented():
				state = wire.TalkPresented
			}
			out = append(out, wire.RoadshowTalk{ID: t.ID, Title: t.Title, Owner: t.Owner, Presenter: t.PresenterRef.Name, Session: sess.Title,
				Start: t.PlannedStart, State: state, Marked: marked[t.ID]})
		}
	}
	return out, nil
}

// MarkTalk is the programme's mark, for the phone's own person.
func (h hubHost) MarkTalk(participant, talk string) (*wire.MarkAnswer, error) {
	m, err := h.programme.Mark(talk, participant)
	if err != nil {
		return nil, err
	}
	return &wire.MarkAnswer{Message: m.Message, New: m.New}, nil
}

// AnswerProposal is the matchmaking service's answer.
func (h hubHost) AnswerProposal(p model.Proposal) model.Proposal { return h.match.answerProposal(p) }

// Proposals lists stations' proposed moves and the hub's answers, so a
// station sees why the hub refused its move.
func (n *NetworkService) Proposals() ([]model.Proposal, error) {
	list, err := listView(n.ws, store.Proposals)
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return list, err
}
