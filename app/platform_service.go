package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/platform"
	"github.com/fuzhi/eventdesk/store"
)

// PlatformService reports the event to the national matchmaking platform:
// it uploads the op stream in batches against the platform's checkpoint,
// writes a signed data package when there is no network, and pulls the
// region's catalogs before the event.
type PlatformService struct {
	ws *Workspace
	// Client is replaced in tests to cut connections on purpose.
	Client *http.Client
	// BatchSize is how many ops one request carries.
	BatchSize int
}

// NewPlatformService binds the service to a workspace.
func NewPlatformService(ws *Workspace) *PlatformService {
	return &PlatformService{ws: ws, Client: &http.Client{Timeout: 60 * time.Second}, BatchSize: 5000}
}

// PlatformProgress is emitted while uploading.
const PlatformProgress = "platform:progress"

// PlatformConfig is where and as whom this event reports.
type PlatformConfig struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

const localPlatform = "platform/config"

// Config returns the platform address and whether a token is set (never the token).
func (s *PlatformService) Config() (*PlatformConfig, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	var c PlatformConfig
	if _, err := st.GetLocal(localPlatform, &c); err != nil {
		return nil, err
	}
	if c.Token != "" {
		c.Token = "已设置"
	}
	return &c, nil
}

// SetConfig stores the platform address and the organizer token.
func (s *PlatformService) SetConfig(c PlatformConfig) error {
	st, _, err := s.ws.open()
	if err != nil {
		return err
	}
	u, err := url.Parse(strings.TrimSpace(c.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("平台地址“%s”格式不对，应为 https://…", c.URL)
	}
	c.URL = strings.TrimRight(u.String(), "/")
	c.Token = strings.TrimSpace(c.Token)
	if _, _, ok := strings.Cut(c.Token, "."); !ok {
		return errors.New("令牌格式不对：请粘贴平台发放的完整令牌")
	}
	return st.PutLocal(localPlatform, c)
}

func (s *PlatformService) config() (*store.Store, *PlatformConfig, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, nil, err
	}
	var c PlatformConfig
	if ok, err := st.GetLocal(localPlatform, &c); err != nil || !ok || c.Token == "" {
		return nil, nil, errors.New("请先填写国家平台地址和组织方令牌")
	}
	return st, &c, nil
}

// UploadResult reports an upload.
type UploadResult struct {
	Sent       int                  `json:"sent"`
	Accepted   int                  `json:"accepted"`
	Duplicates int                  `json:"duplicates"`
	Batches    int                  `json:"batches"`
	Rejected   []platform.Rejection `json:"rejected,omitempty"`
	Checkpoint map[string]uint64    `json:"checkpoint"`
}

// Upload sends what the platform does not have yet. It asks the platform
// for its checkpoint first, so an upload cut anywhere (the network, this
// machine, the platform) resumes where the platform says, and resending a
// batch the platform already stored adds nothing there.
func (s *PlatformService) Upload() (*UploadResult, error) {
	st, cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	ctx := s.ws.ctx
	event := s.ws.eventID()
	var cp struct {
		Checkpoint map[string]uint64 `json:"checkpoint"`
	}
	if err := s.call(ctx, cfg, http.MethodGet, "/v1/events/"+url.PathEscape(event)+"/checkpoint", nil, &cp); err != nil {
		return nil, err
	}
	res := &UploadResult{Checkpoint: cp.Checkpoint}
	if res.Checkpoint == nil {
		res.Checkpoint = map[string]uint64{}
	}
	total, _ := st.Missing(res.Checkpoint)
	done := 0
	for {
		ops, _, err := st.OpsSince(res.Checkpoint, s.BatchSize)
		if err != nil {
			return res, err
		}
		if len(ops) == 0 {
			break
		}
		b := platform.Batch{Event: event, Upto: map[string]uint64{}}
		for k, v := range res.Checkpoint {
			b.Upto[k] = v
		}
		for _, op := range ops {
			if op.Seq > b.Upto[op.Station] {
				b.Upto[op.Station] = op.Seq
			}
			if p, ok := platform.Project(op); ok {
				b.Ops = append(b.Ops, p)
			}
		}
		if b.Ops == nil {
			b.Ops = []store.Op{}
		}
		var ack platform.Ack
		if err := s.send(ctx, cfg, &b, &ack); err != nil {
			return res, err
		}
		res.Batches++
		res.Sent += len(b.Ops)
		res.Accepted += ack.Accepted
		res.Duplicates += ack.Duplicates
		res.Rejected = append(res.Rejected, ack.Rejected...)
		res.Checkpoint = ack.Checkpoint
		done += len(ops)
		s.ws.emit(PlatformProgress, map[string]int{"done": done, "total": total})
	}
	return res, nil
}

// send posts one batch, retrying a cut connection a few times: the batch
// and its checkpoint are one transaction on the platform, so a retry after
// a lost answer only finds duplicates.
func (s *PlatformService) send(ctx context.Context, cfg *PlatformConfig, b *platform.Batch, ack *platform.Ack) error {
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 200 * time.Millisecond):
			}
		}
		err = s.call(ctx, cfg, http.MethodPost, "/v1/ingest", b, ack)
		var refused *platformError
		if err == nil || errors.As(err, &refused) && refused.Status < 500 {
			return err
		}
	}
	return fmt.Errorf("上传中断（已重试 4 次），稍后再点“上传”会从断点继续：%w", err)
}

// platformError is a refusal with the platform's own reason.
type platformError struct {
	Status   int
	Message  string
	Rejected []platform.Rejection
}

func (e *platformError) Error() string {
	msg := fmt.Sprintf("国家平台拒绝（HTTP %d）：%s", e.Status, e.Message)
	for i, r := range e.Rejected {
		if i == 5 {
			msg += fmt.Sprintf("；另有 %d 条", len(e.Rejected)-5)
			break
		}
		msg += fmt.Sprintf("；%s：%s", r.Op, r.Reason)
	}
	return msg
}

func (s *PlatformService) call(ctx context.Context, cfg *PlatformConfig, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, cfg.URL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+cfg.Token)
	req.Header.Set("X-Fuzhi-Schema", strconv.Itoa(platform.SchemaVersion))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client.Do(req)
	if err != nil {
		return fmt.Errorf("连不上国家平台：%w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("读取平台回复失败：%w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var p struct {
			Error    string               `json:"error"`
			Rejected []platform.Rejection `json:"rejected"`
		}
		_ = json.Unmarshal(raw, &p)
		if p.Error == "" {
			p.Error = strings.TrimSpace(string(raw))
		}
		return &platformError{Status: resp.StatusCode, Message: p.Error, Rejected: p.Rejected}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// ExportPackage writes the signed data package for an offline hand-over:
// the same projected ops an upload sends, plus CSV tables and the summary.
func (s *PlatformService) ExportPackage() ([]byte, error) {
	st, cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	id, secret, _ := strings.Cut(cfg.Token, ".")
	all, _, err := st.OpsSince(nil, 1<<31)
	if err != nil {
		return nil, err
	}
	m := platform.Manifest{Schema: platform.SchemaVersion, Event: s.ws.eventID(), EventName: s.ws.eventTitle(), Organizer: id,
		Created: s.ws.now().Format(time.RFC3339), Upto: map[string]uint64{}}
	var ops []store.Op
	for _, op := range all {
		if op.Seq > m.Upto[op.Station] {
			m.Upto[op.Station] = op.Seq
		}
		if p, ok := platform.Project(op); ok {
			ops = append(ops, p)
		}
	}
	files := map[string][]byte{}
	sum, err := NewSummaryService(s.ws).Summary()
	if err != nil {
		return nil, err
	}
	if files["summary.json"], err = json.MarshalIndent(sum, "", "  "); err != nil {
		return nil, err
	}
	for name, rows := range sum.tables() {
		files[name+".csv"] = csvBytes(rows)
	}
	var buf bytes.Buffer
	if err := platform.WritePackage(&buf, m, ops, files, platform.SigningKey(secret)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PullCatalog fetches the achievements and demands the platform holds for
// the event's province and industry chains into the local catalogs.
func (s *PlatformService) PullCatalog() (map[string]int, error) {
	st, cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	s.ws.mu.RLock()
	ev := s.ws.event
	s.ws.mu.RUnlock()
	q := url.Values{"province": {ev.Province}, "chains": {strings.Join(ev.Chains, ",")}}
	var got struct {
		Achievements []model.Achievement `json:"achievements"`
		Demands      []model.Demand      `json:"demands"`
	}
	if err := s.call(s.ws.ctx, cfg, http.MethodGet, "/v1/catalog?"+q.Encode(), nil, &got); err != nil {
		return nil, err
	}
	var changes []store.Change
	for _, a := range got.Achievements {
		if a.ID != "" && a.Title != "" {
			a.OwnerID = "" // a presenter of another event is not here
			changes = append(changes, store.Change{Kind: store.KindAchievement, Entity: a.ID, Value: a})
		}
	}
	for _, d := range got.Demands {
		if d.ID != "" && d.Title != "" {
			d.SMEID = ""
			changes = append(changes, store.Change{Kind: store.KindDemand, Entity: d.ID, Value: d})
		}
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return nil, fmt.Errorf("保存平台目录失败：%w", err)
	}
	s.ws.emit(EventChanged, nil)
	return map[string]int{"achievements": len(got.Achievements), "demands": len(got.Demands)}, nil
}
