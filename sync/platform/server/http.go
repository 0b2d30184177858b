package server

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/sync/platform"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// Server answers the protocol of docs/platform-openapi.yaml.
type Server struct {
	DB *pgxpool.Pool
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type problem struct {
	Error    string           `json:"error"`
	Rejected []wire.Rejection `json:"rejected,omitempty"`
}

func fail(w http.ResponseWriter, status int, msg string) { reply(w, status, problem{Error: msg}) }

// Handler routes the API and the dashboard.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("POST /v1/ingest", s.ingest)
	mux.HandleFunc("GET /v1/events/{event}/checkpoint", s.checkpoint)
	mux.HandleFunc("POST /v1/packages", s.pkg)
	mux.HandleFunc("GET /v1/catalog", s.catalog)
	mux.HandleFunc("GET /v1/stats", s.stats)
	mux.HandleFunc("GET /{$}", s.dashboard)
	return mux
}

func (s *Server) organizer(w http.ResponseWriter, r *http.Request) *Organizer {
	if v := r.Header.Get("X-Fuzhi-Schema"); v != strconv.Itoa(wire.SchemaVersion) {
		fail(w, http.StatusPreconditionFailed, fmt.Sprintf("平台只接受协议版本 %d（收到“%s”），请升级赋智会务台", wire.SchemaVersion, v))
		return nil
	}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	o, err := Authenticate(r.Context(), s.DB, token)
	if err != nil {
		status := http.StatusUnauthorized
		if !errors.Is(err, ErrBadToken) {
			status = http.StatusInternalServerError
		}
		fail(w, status, err.Error())
		return nil
	}
	return o
}

func (s *Server) ingest(w http.ResponseWriter, r *http.Request) {
	o := s.organizer(w, r)
	if o == nil {
		return
	}
	b, err := wire.DecodeBatch(http.MaxBytesReader(w, r.Body, wire.MaxBatchBytes+1))
	if err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.Is(err, wire.ErrTooLarge) || errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		var bad *wire.BatchError
		if errors.As(err, &bad) {
			reply(w, status, problem{Error: "批次被拒绝，未保存任何数据：" + bad.Message, Rejected: bad.Rejected})
			return
		}
		fail(w, status, "批次被拒绝，未保存任何数据："+err.Error())
		return
	}
	ack, err := Ingest(r.Context(), s.DB, o, b)
	replyStored(w, ack, err)
}

func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) {
	o := s.organizer(w, r)
	if o == nil {
		return
	}
	if !wire.ValidID(r.PathValue("event")) {
		fail(w, http.StatusBadRequest, "活动编号无效")
		return
	}
	cp, err := Checkpoint(r.Context(), s.DB, o, r.PathValue("event"))
	if err != nil {
		fail(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	reply(w, http.StatusOK, map[string]any{"checkpoint": cp})
}

// packageSlots bounds the packages being checked at once: each spools its
// body to a temporary file and hashes it.
var packageSlots = make(chan struct{}, 2)

// packageReadTime is how long a package upload may take: 512 MB at 1 MB/s.
const packageReadTime = 10 * time.Minute

func (s *Server) pkg(w http.ResponseWriter, r *http.Request) {
	if v := r.Header.Get("X-Fuzhi-Schema"); v != strconv.Itoa(wire.SchemaVersion) {
		fail(w, http.StatusPreconditionFailed, fmt.Sprintf("平台只接受协议版本 %d", wire.SchemaVersion))
		return
	}
	if r.ContentLength > platform.MaxPackageBytes {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("数据包超过 %d MB", platform.MaxPackageBytes>>20))
		return
	}
	select {
	case packageSlots <- struct{}{}:
		defer func() { <-packageSlots }()
	default:
		w.Header().Set("Retry-After", "30")
		fail(w, http.StatusServiceUnavailable, "平台正在处理其他数据包，请稍后重试")
		return
	}
	// A package may be hundreds of MB over a slow line: this request may
	// take longer than the server's read deadline, at a minimum rate.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(packageReadTime))
	// The body goes to disk, not memory; the signature is checked from
	// there before anything is unpacked.
	spool, err := os.CreateTemp("", "fuzhi-package-*.zip")
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "平台暂时无法接收数据包")
		return
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	size, err := io.Copy(spool, http.MaxBytesReader(w, r.Body, platform.MaxPackageBytes))
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, "数据包过大或上传中断")
		return
	}
	var org *Organizer
	p, err := platform.ReadPackage(spool, size, func(id string) (ed25519.PublicKey, error) {
		o, err := OrganizerByID(r.Context(), s.DB, id)
		if err != nil {
			return nil, err
		}
		if len(o.PackageKey) == 0 {
			return nil, errors.New("此组织方的令牌在平台升级后还未使用过：请先联网上传一次，或向平台申请新的令牌")
		}
		org = o
		return o.PackageKey, nil
	})
	if err != nil {
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, ErrBadToken):
			status = http.StatusUnauthorized
		case errors.Is(err, wire.ErrTooLarge):
			status = http.StatusRequestEntityTooLarge
		}
		fail(w, status, "数据包被拒绝，未保存任何数据："+err.Error())
		return
	}
	ack, err := ImportPackage(r.Context(), s.DB, org, p)
	replyStored(w, ack, err)
}

// replyStored answers an ingest or a package import.
func replyStored(w http.ResponseWriter, ack *wire.Ack, err error) {
	switch {
	case err != nil:
		fail(w, http.StatusServiceUnavailable, "平台暂时无法保存，请稍后重试："+err.Error())
	default:
		reply(w, http.StatusOK, ack)
	}
}

// catalog returns the achievements and demands reported by any event,
// optionally of one province and some industry chains, for the next event.
func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	if s.organizer(w, r) == nil {
		return
	}
	province := r.URL.Query().Get("province")
	var chains []string
	if c := r.URL.Query().Get("chains"); c != "" {
		chains = strings.Split(c, ",")
	}
	rows, err := s.DB.Query(r.Context(), `
WITH latest AS (
  SELECT DISTINCT ON (o.event_id, split_part(o.kind,'.',1), o.entity) o.event_id, split_part(o.kind,'.',1) AS k, split_part(o.kind,'.',2) AS action, o.payload
  FROM ops o WHERE split_part(o.kind,'.',1) IN ('achievement','demand')
  ORDER BY o.event_id, split_part(o.kind,'.',1), o.entity, o.hlc DESC, o.station DESC, o.seq DESC)
SELECT l.k, l.payload FROM latest l
JOIN LATERAL (SELECT payload FROM ops e WHERE e.event_id = l.event_id AND e.kind = 'event.put' ORDER BY e.hlc DESC LIMIT 1) ev ON true
WHERE l.action = 'put'
  AND ($1 = '' OR ev.payload->>'province' = $1)
  AND (cardinality($2::text[]) = 0 OR l.payload->>'chain' = ANY($2))
LIMIT 5000`, province, chains)
	if err != nil {
		fail(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	defer rows.Close()
	out := map[string][]json.RawMessage{"achievements": {}, "demands": {}}
	for rows.Next() {
		var k string
		var p []byte
		if err := rows.Scan(&k, &p); err != nil {
			fail(w, http.StatusServiceUnavailable, err.Error())
			return
		}
		out[k+"s"] = append(out[k+"s"], json.RawMessage(p))
	}
	reply(w, http.StatusOK, out)
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	st, err := NationalStats(r.Context(), s.DB)
	if err != nil {
		fail(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	reply(w, http.StatusOK, st)
}

var page = template.Must(template.New("d").Funcs(template.FuncMap{
	"mode": func(k string) string {
		if v, ok := model.TransferModeNames[model.TransferMode(k)]; ok {
			return v
		}
		return k
	},
	"wan": func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) },
	"finance": func(k string) string {
		if name, ok := model.FinanceKindNames[model.FinanceKind(k)]; ok {
			return name
		}
		return k
	},
	"format": func(k string) string {
		if name, ok := model.SessionKindNames[model.SessionKind(k)]; ok {
			return name
		}
		return k
	},
	"now": func() string { return time.Now().Format("2006-01-02 15:04") },
}).Parse(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>全国科技成果赋智中小企业 · 对接数据</title>
<style>body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:24px;color:#222}h1{color:#c0392b}table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #ddd;padding:6px 10px;text-align:right}th:first-child,td:first-child{text-align:left}.k{display:inline-block;margin-right:28px}.k b{font-size:28px;color:#c0392b;display:block}</style>
<h1>科技成果赋智中小企业 · 全国对接数据</h1>
<p><span class="k"><b>{{.Totals.Events}}</b>场深度行活动</span><span class="k"><b>{{.Totals.Arrived}}</b>人到场</span><span class="k"><b>{{.Totals.Held}}</b>场洽谈</span><span class="k"><b>{{.Totals.Intended}}</b>项合作意向</span><span class="k"><b>{{.Totals.Signed}}</b>项签约</span><span class="k"><b>{{wan .Totals.Amount}}</b>万元</span><span class="k"><b>{{.Totals.FinanceSigned}}</b>项产融对接签约</span><span class="k"><b>{{wan .Totals.FinanceAmount}}</b>万元融资</span></p>
<p><span class="k"><b>{{.Totals.Achievements}}</b>项成果发布</span><span class="k"><b>{{.Totals.Demands}}</b>项需求发布</span><span class="k"><b>{{.Totals.Roadshows}}</b>项成果路演</span><span class="k"><b>{{.Totals.Challenges}}</b>项发榜</span><span class="k"><b>{{.Totals.Responses}}</b>项揭榜</span><span class="k"><b>{{.Totals.SignedLater}}</b>项活动后跟踪签约</span></p>
<h2>产融对接（按融资方式）</h2><table><tr><th>方式</th><th>签约</th><th>金额（万元）</th></tr>
{{range .ByFinance}}<tr><td>{{finance .Key}}</td><td>{{.FinanceSigned}}</td><td>{{wan .FinanceAmount}}</td></tr>{{end}}</table>
<h2>按活动形式</h2><table><tr><th>形式</th><th>活动</th></tr>
{{range .ByFormat}}<tr><td>{{format .Key}}</td><td>{{.Events}}</td></tr>{{end}}</table>
<h2>按省份</h2><table><tr><th>省份</th><th>活动</th><th>报名</th><th>到场</th><th>洽谈</th><th>已举行</th><th>意向</th><th>签约</th><th>金额（万元）</th><th>路演</th><th>发榜</th><th>揭榜</th></tr>
{{range .ByProvince}}<tr><td>{{.Key}}</td><td>{{.Events}}</td><td>{{.Participants}}</td><td>{{.Arrived}}</td><td>{{.Meetings}}</td><td>{{.Held}}</td><td>{{.Intended}}</td><td>{{.Signed}}</td><td>{{wan .Amount}}</td><td>{{.Roadshows}}</td><td>{{.Challenges}}</td><td>{{.Responses}}</td></tr>{{end}}</table>
<h2>服务中小企业（有洽谈的企业）</h2><table><tr><th>企业层级</th><th>家数</th></tr>
{{range .ByTier}}<tr><td>{{.Key}}</td><td>{{.SMEsServed}}</td></tr>{{end}}<tr><td>合计</td><td>{{.Totals.SMEsServed}}</td></tr></table>
<h2>按季度（季季出亮点）</h2><table><tr><th>季度</th><th>活动</th><th>到场</th><th>已举行洽谈</th><th>意向</th><th>签约</th><th>金额（万元）</th><th>融资签约</th><th>融资金额（万元）</th></tr>
{{range .ByQuarter}}<tr><td>{{.Key}}</td><td>{{.Events}}</td><td>{{.Arrived}}</td><td>{{.Held}}</td><td>{{.Intended}}</td><td>{{.Signed}}</td><td>{{wan .Amount}}</td><td>{{.FinanceSigned}}</td><td>{{wan .FinanceAmount}}</td></tr>{{end}}</table>
<h2>按月（月月有活动）</h2><table><tr><th>月份</th><th>活动</th><th>到场</th><th>已举行洽谈</th><th>意向</th><th>签约</th><th>金额（万元）</th><th>融资签约</th><th>融资金额（万元）</th></tr>
{{range .ByMonth}}<tr><td>{{.Key}}</td><td>{{.Events}}</td><td>{{.Arrived}}</td><td>{{.Held}}</td><td>{{.Intended}}</td><td>{{.Signed}}</td><td>{{wan .Amount}}</td><td>{{.FinanceSigned}}</td><td>{{wan .FinanceAmount}}</td></tr>{{end}}</table>
<h2>按转化方式</h2><table><tr><th>方式</th><th>意向</th><th>签约</th><th>金额（万元）</th></tr>
{{range .ByMode}}<tr><td>{{mode .Key}}</td><td>{{.Intended}}</td><td>{{.Signed}}</td><td>{{wan .Amount}}</td></tr>{{end}}</table>
<h2>按产业链</h2><table><tr><th>产业链</th><th>洽谈</th><th>已举行</th><th>意向</th><th>签约</th><th>金额（万元）</th></tr>
{{range .ByChain}}<tr><td>{{.Key}}</td><td>{{.Meetings}}</td><td>{{.Held}}</td><td>{{.Intended}}</td><td>{{.Signed}}</td><td>{{wan .Amount}}</td></tr>{{end}}</table>
<p style="color:#888">数据更新于 {{now}}</p></html>`))

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	st, err := NationalStats(r.Context(), s.DB)
	if err != nil {
		http.Error(w, "平台暂时无法读取数据："+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = page.Execute(w, st)
}

// Open connects and migrates.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	db, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("连接数据库失败：%w", err)
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("连接数据库失败：%w", err)
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
