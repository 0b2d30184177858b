package app

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/internal/buildinfo"
	"github.com/fuzhi/eventdesk/store"
)

// Diagnostics is the 导出诊断包 zip an organizer sends to support after a bad
// morning: the app's logs, which build ran, and the open event file's
// health (schema, op counts, file usage, last backup, place in the venue
// network). It carries no personal data: no names, phones, e-mails, badge
// codes, tokens, pairing codes or keys. The logs hold ids and counts by
// design (internal/logfile); they are scrubbed again here for anything
// shaped like a phone number, an e-mail, an ID card number or a home folder.
type diagnosticsHealth struct {
	Generated string          `json:"generated"`
	Build     buildinfo.Build `json:"build"`
	CPUs      int             `json:"cpus"`
	Schema    int             `json:"schemaSupported"`
	Event     *eventHealth    `json:"event,omitempty"`
	Backup    BackupStatus    `json:"backup"`
	Network   *networkHealth  `json:"network,omitempty"`
	Logs      []string        `json:"logs"`
}

type eventHealth struct {
	File          string            `json:"file"` // base name only
	EventID       string            `json:"eventId"`
	Summary       store.FileSummary `json:"summary"`
	Usage         *FileUsage        `json:"usage,omitempty"`
	VersionVector map[string]uint64 `json:"versionVector"`
}

type networkHealth struct {
	Role      string `json:"role"`
	Station   string `json:"station"`
	Online    bool   `json:"online"`
	LastSync  string `json:"lastSync,omitempty"`
	LastError string `json:"lastError,omitempty"`
	Pending   int    `json:"pending"`
	Peers     int    `json:"peers"`
}

// maxLogBytes bounds what one log file adds to the zip (the newest part).
const maxLogBytes = 8 << 20

var (
	scrubMobile = regexp.MustCompile(`(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)`)
	scrubEmail  = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	scrubIDCard = regexp.MustCompile(`(^|[^0-9])[1-9][0-9]{16}[0-9Xx]([^0-9]|$)`)
)

// scrub masks what must not leave the laptop even if a log line carried it.
func scrub(text, home string) string {
	if home != "" && len(home) > 1 {
		text = strings.ReplaceAll(text, home, "~")
		text = strings.ReplaceAll(text, strings.ReplaceAll(home, `\`, `\\`), "~") // inside JSON strings
	}
	text = scrubMobile.ReplaceAllString(text, "${1}1**********${2}")
	text = scrubIDCard.ReplaceAllString(text, "${1}******************${2}")
	return scrubEmail.ReplaceAllString(text, "***@***")
}

// Diagnostics builds the diagnostics zip. It works without an open event
// (a laptop that cannot open its file is when support is needed most).
func (s *EventService) Diagnostics() ([]byte, error) {
	ws := s.ws
	home, _ := os.UserHomeDir()
	health := diagnosticsHealth{
		Generated: ws.now().Format(time.RFC3339), Build: buildinfo.Read(), CPUs: runtime.NumCPU(), Schema: store.SchemaVersion(),
		Logs: []string{},
	}
	if s.backup != nil {
		health.Backup = s.backup.Status()
	}
	health.Backup.Folder = scrub(health.Backup.Folder, home)
	health.Backup.LastPath = filepath.Base(health.Backup.LastPath)
	health.Backup.LastError = scrub(health.Backup.LastError, home)
	if st, _, err := ws.open(); err == nil {
		ev := ws.currentEvent()
		eh := &eventHealth{File: filepath.Base(st.Path()), EventID: ev.ID}
		eh.Summary, _ = st.Summary()
		eh.Summary.Path = filepath.Base(eh.Summary.Path)
		eh.Usage, _ = usageOf(st)
		eh.VersionVector, _ = st.VersionVector()
		health.Event = eh
		if s.network != nil {
			if n, err := s.network.Status(); err == nil {
				health.Network = &networkHealth{Role: n.Role, Station: n.Station, Online: n.Online, LastSync: n.LastSync,
					LastError: scrub(n.LastError, home), Pending: n.Pending, Peers: len(n.Peers)}
			}
		}
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: ws.now()})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	logDir := filepath.Join(ws.dataDir, "logs")
	entries, _ := os.ReadDir(logDir)
	var logs []string
	for _, e := range entries {
		if !e.IsDir() && strings.Contains(e.Name(), ".log") {
			logs = append(logs, e.Name())
		}
	}
	sort.Strings(logs)
	for _, name := range logs {
		raw, err := readTail(filepath.Join(logDir, name), maxLogBytes)
		if err != nil {
			continue // a log rotated away meanwhile
		}
		if err := add("logs/"+name, []byte(scrub(string(raw), home))); err != nil {
			return nil, sayDiagnosticsFailed.Wrap(err)
		}
		health.Logs = append(health.Logs, name)
	}
	raw, _ := json.MarshalIndent(health, "", "  ")
	readme := fmt.Sprintf("赋智会务台诊断包 / Fuzhi Event Desk diagnostics\n生成时间 %s\n版本 %s\n\n"+
		"health.json：版本、活动文件的健康状况（数据版本、操作数、各类记录数、文件占用、最近备份、会场网络）。\n"+
		"logs/：程序日志（只记编号、数量和错误）。\n不含姓名、手机号、邮箱、胸卡码、令牌或密钥。\n", health.Generated, health.Build)
	if err := add("health.json", raw); err != nil {
		return nil, sayDiagnosticsFailed.Wrap(err)
	}
	if err := add("README.txt", []byte(readme)); err != nil {
		return nil, sayDiagnosticsFailed.Wrap(err)
	}
	if err := zw.Close(); err != nil {
		return nil, sayDiagnosticsFailed.Wrap(err)
	}
	ws.log.Info("diagnostics exported", "logs", len(health.Logs), "bytes", buf.Len())
	return buf.Bytes(), nil
}

// readTail reads at most limit bytes from the end of a file.
func readTail(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > limit {
		if _, err := f.Seek(info.Size()-limit, io.SeekStart); err != nil {
			return nil, err
		}
	}
	return io.ReadAll(io.LimitReader(f, limit))
}
