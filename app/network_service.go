package app

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/fuzhi/eventdesk/store"
)

// NetworkService joins machines into one event: the organizer's laptop is
// the hub, other laptops pair as stations and replicate ops both ways,
// exhibitors pair a phone browser to collect leads. Everything a station
// does is stored locally first; the network only ever moves ops.
type NetworkService struct {
	ws *Workspace
	// UI is the built frontend, served to exhibitors' browsers by the hub.
	UI fs.FS

	mu      sync.Mutex
	hub     *hubServer
	station *stationLink
}

// NewNetworkService binds the service to a workspace and resumes the hub
// or the station link of whatever event the workspace opens.
func NewNetworkService(ws *Workspace) *NetworkService {
	n := &NetworkService{ws: ws}
	ws.onOpen = append(ws.onOpen, n.resume)
	ws.onClose = append(ws.onClose, n.stop)
	return n
}

const (
	localHubListen = "hub/listen"
	localHubLink   = "station/hub"
	pairingTTL     = 10 * time.Minute
	syncBatch      = 20000
)

// hubLink is what a station remembers about its hub.
type hubLink struct {
	Address     string `json:"address"` // https://host:port
	Fingerprint string `json:"fingerprint"`
	Token       string `json:"token"`
	Event       string `json:"event"`
	Name        string `json:"name"`
}

// NetworkStatus is what the network screen shows.
type NetworkStatus struct {
	Role        string        `json:"role"` // standalone, hub, station
	Station     string        `json:"station"`
	Address     string        `json:"address,omitempty"` // hub: where stations connect
	Fingerprint string        `json:"fingerprint,omitempty"`
	Online      bool          `json:"online"`
	LastSync    string        `json:"lastSync,omitempty"`
	LastError   string        `json:"lastError,omitempty"`
	Pending     int           `json:"pending"` // ops this machine has that the other side lacks
	Peers       []PeerStatus  `json:"peers"`
	Codes       []PairingCode `json:"codes"`
}

// PeerStatus is one paired station or exhibitor, as the hub sees it.
type PeerStatus struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Participant string `json:"participant,omitempty"`
	LastSeen    string `json:"lastSeen,omitempty"`
	Waiting     int    `json:"waiting"` // hub ops the station has not received yet
	Pending     int    `json:"pending"` // ops the station still had to send, at its last visit
	Revoked     bool   `json:"revoked"`
}

// PairingCode is a one-time code the hub shows; Link is what to scan or type.
type PairingCode struct {
	Code        string `json:"code"`
	Kind        string `json:"kind"`
	Participant string `json:"participant,omitempty"`
	Name        string `json:"name,omitempty"`
	Expires     string `json:"expires"`
	Link        string `json:"link"`
}

// Status reports this machine's place in the venue network.
func (n *NetworkService) Status() (*NetworkStatus, error) {
	st, _, err := n.ws.open()
	if err != nil {
		return nil, err
	}
	out := &NetworkStatus{Role: "standalone", Station: st.Station(), Peers: []PeerStatus{}, Codes: []PairingCode{}}
	n.mu.Lock()
	hub, link := n.hub, n.station
	n.mu.Unlock()
	if hub != nil {
		out.Role, out.Address, out.Fingerprint, out.Online = "hub", hub.address, hub.fp, true
		out.Codes = hub.activeCodes(n.ws.now())
		peers, err := hub.peers()
		if err != nil {
			return nil, err
		}
		out.Peers = peers
	}
	if link != nil {
		out.Role, out.Address, out.Fingerprint = "station", link.cfg.Address, link.cfg.Fingerprint
		link.mu.Lock()
		out.Online = !link.lastOK.IsZero() && n.ws.now().Sub(link.lastOK) < 10*time.Second && link.lastErr == ""
		if !link.lastOK.IsZero() {
			out.LastSync = link.lastOK.Format(time.RFC3339)
		}
		out.LastError = link.lastErr
		hubVV := link.hubVV
		link.mu.Unlock()
		if out.Pending, err = st.Missing(hubVV); err != nil {
			return nil, err
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
	var link hubLink
	if ok, _ := st.GetLocal(localHubLink, &link); ok {
		return nil, fmt.Errorf("本机是 %s 的分站，不能再作主控机", link.Address)
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
	h, err := newHubServer(n.ws, st, n.UI, addr)
	if err != nil {
		return err
	}
	n.hub = h
	n.ws.emit(NetworkChanged, nil)
	return nil
}

func (n *NetworkService) stopHub() {
	n.mu.Lock()
	h := n.hub
	n.hub = nil
	n.mu.Unlock()
	if h != nil {
		h.close()
	}
}

// NewPairingCode makes a one-time code for a station ("station") or an
// exhibitor ("exhibitor", naming the participant whose leads it collects).
func (n *NetworkService) NewPairingCode(kind, participantID string) (*PairingCode, error) {
	_, roster, err := n.ws.open()
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	h := n.hub
	n.mu.Unlock()
	if h == nil {
		return nil, errors.New("请先在本机启动主控服务")
	}
	name := ""
	switch kind {
	case "station":
	case "exhibitor":
		p, ok := roster.get(participantID)
		if !ok {
			return nil, fmt.Errorf("找不到展商 %s", participantID)
		}
		name = p.Org + " · " + p.Name
	default:
		return nil, fmt.Errorf("配对类型应为 station 或 exhibitor")
	}
	return h.newCode(kind, participantID, name, n.ws.now()), nil
}

// Revoke removes a station or exhibitor: its token is refused from now on.
func (n *NetworkService) Revoke(peerID string) error {
	st, _, err := n.ws.open()
	if err != nil {
		return err
	}
	var rec tokenRecord
	if ok, err := st.GetLocal("token/"+peerID, &rec); err != nil || !ok {
		return fmt.Errorf("找不到设备 %s", peerID)
	}
	rec.Revoked = n.ws.now().Format(time.RFC3339)
	if err := st.PutLocal("token/"+peerID, rec); err != nil {
		return err
	}
	n.ws.emit(NetworkChanged, nil)
	return nil
}

// Join pairs this machine with a hub as a station, using what the hub
// shows (the link, or address + code + fingerprint), copies the event from
// it into a new file under the data folder and opens that file. From then
// on the station works offline and syncs whenever the hub is reachable.
func (n *NetworkService) Join(pairing, name string) (*EventInfo, error) {
	ctx, cancel := context.WithTimeout(n.ws.ctx, 2*time.Minute)
	defer cancel()
	addr, code, fp, err := ParsePairing(pairing)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		name, _ = os.Hostname()
	}
	client := hubClient(fp)
	var paired pairResponse
	if err := postJSON(ctx, client, addr+"/sync/pair", "", pairRequest{Code: code, Name: name, Kind: "station"}, &paired); err != nil {
		return nil, fmt.Errorf("配对失败：%w", err)
	}
	path := filepath.Join(n.ws.dataDir, fmt.Sprintf("分站-%s-%s.fzevent", paired.Event, safeFileName(name)))
	if _, err := os.Stat(path); err == nil {
		path = strings.TrimSuffix(path, ".fzevent") + "-" + randomToken(3) + ".fzevent"
	}
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return nil, err
	}
	cfg := hubLink{Address: addr, Fingerprint: fp, Token: paired.Token, Event: paired.Event, Name: name}
	if err := st.PutLocal(localHubLink, cfg); err != nil {
		st.Close()
		return nil, err
	}
	link := &stationLink{ws: n.ws, st: st, cfg: cfg, client: client}
	for {
		more, err := link.exchange(ctx)
		if err != nil {
			st.Close()
			os.Remove(path)
			return nil, fmt.Errorf("从主控机接收活动失败：%w", err)
		}
		if !more {
			break
		}
	}
	st.Close()
	return n.ws.OpenFile(path)
}

// SyncNow runs one exchange with the hub and reports how it went.
func (n *NetworkService) SyncNow() (*NetworkStatus, error) {
	n.mu.Lock()
	link := n.station
	n.mu.Unlock()
	if link == nil {
		return nil, errors.New("本机不是分站")
	}
	for {
		more, err := link.exchange(n.ws.ctx)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
	}
	return n.Status()
}

// resume restarts the hub or the station link of a freshly opened event.
func (n *NetworkService) resume(st *store.Store) {
	var addr string
	if ok, _ := st.GetLocal(localHubListen, &addr); ok && addr != "" {
		if err := n.startHub(st, addr); err != nil {
			fmt.Fprintf(os.Stderr, "fuzhi: 主控服务未能启动（%s）：%v\n", addr, err)
		}
	}
	var cfg hubLink
	if ok, _ := st.GetLocal(localHubLink, &cfg); ok {
		ctx, cancel := context.WithCancel(n.ws.ctx)
		link := &stationLink{ws: n.ws, st: st, cfg: cfg, cancel: cancel,
			client: hubClient(cfg.Fingerprint)}
		n.mu.Lock()
		n.station = link
		n.mu.Unlock()
		link.wg.Add(1)
		go link.run(ctx)
	}
}

func (n *NetworkService) stop() {
	n.stopHub()
	n.mu.Lock()
	link := n.station
	n.station = nil
	n.mu.Unlock()
	if link != nil && link.cancel != nil {
		link.cancel()
		link.wg.Wait()
	}
}

// ParsePairing reads "fzhub://host:port?code=C&fp=F" (the QR) or the same
// three parts typed with spaces: "host:port C F".
func ParsePairing(s string) (addr, code, fp string, err error) {
	s = strings.TrimSpace(s)
	bad := errors.New("配对信息格式不对：请扫描主控机上的二维码，或输入“地址 配对码 指纹”")
	if strings.HasPrefix(s, "fzhub://") {
		u, perr := url.Parse(s)
		if perr != nil {
			return "", "", "", bad
		}
		addr, code, fp = u.Host, u.Query().Get("code"), u.Query().Get("fp")
	} else {
		f := strings.Fields(s)
		if len(f) != 3 {
			return "", "", "", bad
		}
		addr, code, fp = f[0], f[1], f[2]
	}
	addr = strings.TrimPrefix(strings.TrimPrefix(addr, "https://"), "http://")
	host, port, serr := net.SplitHostPort(addr)
	if serr != nil || host == "" || port == "" || strings.ContainsAny(addr, "/?#@ ") || code == "" || len(code) > 16 {
		return "", "", "", bad
	}
	if raw, herr := hex.DecodeString(fp); herr != nil || len(raw) != 32 {
		return "", "", "", bad
	}
	return "https://" + addr, strings.ToUpper(code), strings.ToLower(fp), nil
}

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, s)
}

type pairRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type pairResponse struct {
	Token string `json:"token"`
	Event string `json:"event"`
	Name  string `json:"name,omitempty"`
}

type exchangeRequest struct {
	VV      map[string]uint64 `json:"vv"`
	Ops     []store.Op        `json:"ops"`
	Pending int               `json:"pending"`
}

type exchangeResponse struct {
	VV   map[string]uint64 `json:"vv"`
	Ops  []store.Op        `json:"ops"`
	More bool              `json:"more"`
}

// httpError is a refusal with the server's own message.
type httpError struct {
	Status  int
	Message string
}

func (e *httpError) Error() string { return fmt.Sprintf("%s（HTTP %d）", e.Message, e.Status) }

func postJSON(ctx context.Context, c *http.Client, u, token string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			return fmt.Errorf("连不上主控机 %s：%w", u, err)
		}
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 512<<20))
	if err != nil {
		return fmt.Errorf("读取主控机回复失败：%w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e errorReply
		_ = json.Unmarshal(raw, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(raw))
		}
		return &httpError{Status: resp.StatusCode, Message: e.Error}
	}
	return json.Unmarshal(raw, out)
}

type errorReply struct {
	Error string `json:"error"`
}

// stationLink keeps a station in step with its hub.
type stationLink struct {
	ws     *Workspace
	st     *store.Store
	cfg    hubLink
	client *http.Client
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	hubVV   map[string]uint64
	lastOK  time.Time
	lastErr string
}

// run exchanges ops every second while there is something to say, backing
// off to five seconds while the hub cannot be reached.
func (l *stationLink) run(ctx context.Context) {
	defer l.wg.Done()
	wait := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		more, err := l.exchange(ctx)
		switch {
		case err != nil:
			wait = min(max(2*wait, time.Second), 5*time.Second)
		case more:
			wait = 0
		default:
			wait = time.Second
		}
	}
}

// exchange sends the ops the hub lacks and receives the ops this station
// lacks, in one round trip. It reports whether either side had more.
func (l *stationLink) exchange(ctx context.Context) (bool, error) {
	l.mu.Lock()
	hubVV := l.hubVV
	l.mu.Unlock()
	var send []store.Op
	if hubVV != nil {
		var err error
		if send, _, err = l.st.OpsSince(hubVV, syncBatch); err != nil {
			return false, err
		}
	}
	mine, err := l.st.VersionVector()
	if err != nil {
		return false, err
	}
	pending := store.Behind(mine, hubVV)
	var resp exchangeResponse
	err = postJSON(ctx, l.client, l.cfg.Address+"/sync/exchange", l.cfg.Token, exchangeRequest{VV: mine, Ops: send, Pending: pending}, &resp)
	if err != nil {
		l.mu.Lock()
		l.lastErr = err.Error()
		l.mu.Unlock()
		l.ws.emit(NetworkChanged, nil)
		return false, err
	}
	if len(resp.Ops) > 0 {
		if _, err := l.ws.ingest(l.st, resp.Ops); err != nil {
			return false, fmt.Errorf("保存主控机的数据失败：%w", err)
		}
	}
	l.mu.Lock()
	wasOffline := l.lastErr != "" || l.lastOK.IsZero()
	l.hubVV, l.lastOK, l.lastErr = resp.VV, l.ws.now(), ""
	l.mu.Unlock()
	if wasOffline || len(send) > 0 || len(resp.Ops) > 0 {
		l.ws.emit(NetworkChanged, nil)
	}
	// Go again at once while either side still has something for the
	// other: the hub said so, or the hub's vector (which already counts
	// what was just sent) is behind this station's. That also covers the
	// first exchange, which only learns what the hub has.
	left, err := l.st.Missing(resp.VV)
	if err != nil {
		return false, err
	}
	return resp.More || left > 0, nil
}

// hubClient talks to a hub whose certificate has the pinned fingerprint.
func hubClient(fingerprint string) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: pinnedTLS(fingerprint)}}
}

// hubServer is the hub's LAN listener: pairing, replication, exhibitor pages.
type hubServer struct {
	ws      *Workspace
	st      *store.Store
	srv     *http.Server
	address string
	fp      string

	mu    sync.Mutex
	codes map[string]*PairingCode
}

func newHubServer(ws *Workspace, st *store.Store, ui fs.FS, addr string) (*hubServer, error) {
	cert, fp, err := loadOrMakeIdentity(st)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("主控服务无法监听 %s：%w（端口可能被占用）", addr, err)
	}
	h := &hubServer{ws: ws, st: st, fp: fp, codes: map[string]*PairingCode{}}
	h.address = advertised(ln.Addr().String())
	h.srv = &http.Server{Handler: h.routes(ui), ReadHeaderTimeout: 10 * time.Second,
		// A phone refusing the self-signed certificate is normal, not news.
		ErrorLog:  log.New(io.Discard, "", 0),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}
	go func() {
		if err := h.srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "fuzhi: hub: %v\n", err)
		}
	}()
	return h, nil
}

// advertised turns a listen address into one other machines can dial.
func advertised(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		if ips := localIPs(); len(ips) > 0 {
			host = ips[0].String()
		} else {
			host = "127.0.0.1"
		}
	}
	return net.JoinHostPort(host, port)
}

func (h *hubServer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = h.srv.Shutdown(ctx)
}

func (h *hubServer) newCode(kind, participant, name string, now time.Time) *PairingCode {
	h.mu.Lock()
	defer h.mu.Unlock()
	code := randomToken(5)[:6]
	pc := &PairingCode{Code: code, Kind: kind, Participant: participant, Name: name, Expires: now.Add(pairingTTL).Format(time.RFC3339)}
	if kind == "exhibitor" {
		pc.Link = fmt.Sprintf("https://%s/x/#code=%s", h.address, code)
	} else {
		pc.Link = fmt.Sprintf("fzhub://%s?code=%s&fp=%s", h.address, code, h.fp)
	}
	h.codes[code] = pc
	return pc
}

func (h *hubServer) activeCodes(now time.Time) []PairingCode {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []PairingCode{}
	for _, c := range h.codes {
		if exp, _ := time.Parse(time.RFC3339, c.Expires); now.Before(exp) {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Expires > out[j].Expires })
	return out
}

// redeem spends a pairing code: valid for minutes, and once.
func (h *hubServer) redeem(code, kind string, now time.Time) (*PairingCode, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.codes[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return nil, errors.New("配对码无效或已被使用，请在主控机上重新生成")
	}
	delete(h.codes, c.Code)
	if exp, _ := time.Parse(time.RFC3339, c.Expires); !now.Before(exp) {
		return nil, errors.New("配对码已过期，请在主控机上重新生成")
	}
	if c.Kind != kind {
		return nil, fmt.Errorf("这是%s的配对码", map[string]string{"station": "分站", "exhibitor": "展商"}[c.Kind])
	}
	return c, nil
}

func (h *hubServer) peers() ([]PeerStatus, error) {
	out := []PeerStatus{}
	err := h.st.ForEachLocal("token/", func(_ string, raw []byte) error {
		var rec tokenRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		p := PeerStatus{ID: rec.ID, Name: rec.Name, Kind: rec.Kind, Participant: rec.Participant, LastSeen: rec.LastSeen, Pending: rec.Pending, Revoked: rec.Revoked != ""}
		if rec.Kind == "station" {
			p.Waiting, _ = h.st.Missing(rec.VV)
		}
		out = append(out, p)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// QR renders text (a pairing link) as a PNG data URL for the screen.
func (n *NetworkService) QR(text string) (string, error) {
	if len(text) > 1000 {
		return "", errors.New("内容过长，无法生成二维码")
	}
	png, err := qrcode.Encode(text, qrcode.Medium, 320)
	if err != nil {
		return "", fmt.Errorf("生成二维码失败：%w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
