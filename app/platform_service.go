package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/platform"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// PlatformService reports the event to the national matchmaking platform:
// it uploads the op stream in batches against the platform's checkpoint,
// writes a signed data package when there is no network, and pulls the
// region's catalogs before the event.
type PlatformService struct {
	ws      *Workspace
	summary *SummaryService
	// Client, when set, replaces the HTTP client (tests cut connections on
	// purpose); BatchSize, when set, the ops per request.
	Client    *http.Client
	BatchSize int
}

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
		return sayPlatformURL.Err("url", c.URL)
	}
	c.URL = strings.TrimRight(u.String(), "/")
	c.Token = strings.TrimSpace(c.Token)
	if _, _, ok := strings.Cut(c.Token, "."); !ok {
		return sayPlatformToken.Err()
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
		return nil, nil, sayPlatformSetup.Err()
	}
	return st, &c, nil
}

// Upload sends what the platform does not have yet, from the platform's
// own checkpoint on (see platform.Client.Upload).
func (s *PlatformService) Upload() (*platform.UploadResult, error) {
	st, cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	c := s.client(cfg)
	res, err := c.Upload(s.ws.ctx, st, s.ws.eventID(), consentsNow(st), func(done, total int) {
		s.ws.emit(PlatformProgress, Progress{Done: done, Total: total})
	})
	if err != nil {
		s.ws.log.Warn("platform upload failed", "platform", cfg.URL, "err", err)
		return nil, err
	}
	s.ws.log.Info("platform upload", "platform", cfg.URL, "sent", res.Sent, "accepted", res.Accepted, "duplicates", res.Duplicates, "rejected", len(res.Rejected))
	return res, nil
}

func (s *PlatformService) client(cfg *PlatformConfig) *platform.Client {
	c := platform.NewClient(cfg.URL, cfg.Token)
	if s.Client != nil {
		c.HTTP = s.Client
	}
	if s.BatchSize > 0 {
		c.BatchSize = s.BatchSize
	}
	return c
}

// consentsNow reads a participant's consent as it is now: someone who
// withdrew it has no contacts sent, whatever earlier ops carried (someone
// deleted since has none either).
func consentsNow(st *store.Store) wire.Consents {
	return func(id string) bool {
		p, ok, err := store.Participants.Get(st, id)
		return err == nil && ok && p.Consent
	}
}

// ExportPackage writes the signed data package for an offline hand-over:
// the same projected ops an upload sends, plus CSV tables and the summary.
func (s *PlatformService) ExportPackage() ([]byte, error) {
	st, cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	m := platform.Manifest{Schema: wire.SchemaVersion, Event: s.ws.eventID(), EventName: s.ws.eventTitle(),
		Created: s.ws.now().Format(time.RFC3339)}
	files := map[string][]byte{}
	sum, err := s.summary.Summary()
	if err != nil {
		return nil, err
	}
	if files["summary.json"], err = json.MarshalIndent(sum, "", "  "); err != nil {
		return nil, err
	}
	for name, rows := range sum.Tables() {
		files[name+".csv"] = csvBytes(rows)
	}
	var buf bytes.Buffer
	if err := platform.ExportPackage(&buf, st, consentsNow(st), m, files, cfg.Token); err != nil {
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
	achievements, demands, err := s.client(cfg).Catalog(s.ws.ctx, ev.Province, ev.Chains)
	if err != nil {
		return nil, err
	}
	var changes []store.Change
	for _, a := range achievements {
		if a.ID != "" && a.Title != "" {
			a.OwnerID = "" // a presenter of another event is not here
			changes = append(changes, store.Achievements.Put(a.ID, a))
		}
	}
	for _, d := range demands {
		if d.ID != "" && d.Title != "" {
			d.SMEID = ""
			changes = append(changes, store.Demands.Put(d.ID, d))
		}
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return nil, sayPlatformCatalogFailed.Wrap(err)
	}
	return map[string]int{"achievements": len(achievements), "demands": len(demands)}, nil
}
