// The upload protocol between an event hub and the national
// matchmaking platform (docs/platform-openapi.yaml): what an upload batch
// and a data package look like, which ops and which fields leave the
// machine, and how both sides check them. It has no network or database
// code, so the desktop client and the reference server share it.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// SchemaVersion is the protocol version a client speaks, sent as the
// X-Fuzhi-Schema header; a server refuses versions it does not accept.
const SchemaVersion = 1

// Limits of one upload request; larger uploads are split into batches.
const (
	MaxBatchOps     = 10000
	MaxBatchBytes   = 32 << 20
	MaxPayloadBytes = 64 << 10
)

// Batch is one upload request: ops of one event, and the checkpoint the
// client will have reached once the platform stores them.
type Batch struct {
	Event string            `json:"event"`
	Ops   []store.Op        `json:"ops"`
	Upto  map[string]uint64 `json:"upto"`
}

// Ack is the platform's answer to a batch.
type Ack struct {
	Accepted   int               `json:"accepted"`
	Duplicates int               `json:"duplicates"`
	Rejected   []Rejection       `json:"rejected,omitempty"`
	Checkpoint map[string]uint64 `json:"checkpoint"`
}

// Rejection names one op the platform refused and why.
type Rejection struct {
	Op     string `json:"op"`
	Reason string `json:"reason"`
}

// Uploaded kinds and, per kind, the payload fields the platform's schema
// asks for. Anything else stays on the hub: the badge key, proposals,
// requests, notes on leads, and contact details without consent.
var allowedFields = map[string][]string{
	store.KindEvent:       {"id", "name", "startDate", "endDate", "venue", "province", "city", "provinceCode", "cityCode", "organizer", "chains", "formats", "createdAt"},
	store.KindParticipant: {"id", "name", "org", "orgId", "title", "role", "tier", "creditCode", "chain", "consent", "source"},
	store.KindOrg:         {"id", "name", "creditCode", "role", "tier", "chain"},
	store.KindAchievement: {"id", "title", "owner", "ownerId", "chain", "keywords", "trl", "patents", "transferModes", "askingPrice", "summary"},
	store.KindDemand:      {"id", "title", "sme", "smeId", "description", "chain", "budget", "challenge", "deadline"},
	store.KindScan:        {"desk", "method", "at"},
	store.KindScanUndo:    {"scan"},
	store.KindMeeting:     {"id", "request", "from", "to", "slot", "table", "status", "spontaneous"},
	store.KindOutcome:     {"meeting", "result", "intended", "mode", "signed", "amount", "followUp", "updated", "followUps", "finance"},
	store.KindLead:        {"exhibitor", "participant", "rating", "first"},
	store.KindSession:     {"slots"},
	// The programme's sessions and a roadshow's talks (who presented what,
	// when the stage reached it), and who answered which challenge (not the
	// proposal: a firm's plan stays with the event).
	store.KindProgramme: {"id", "title", "kind", "start", "end", "talks"},
	store.KindResponse:  {"id", "demand", "responder", "created", "updated"},
	// The organizer's mapping of chains as typed to the national codes.
	store.KindChainMap: {"text", "code"},
}

// consentFields leave the machine only when the participant agreed.
var consentFields = []string{"mobile", "email"}

// Consents says whether a participant agrees, now, to their contacts
// leaving the machine. A participant op carried the consent of its time;
// one who withdrew it since must not have an earlier op send them.
type Consents func(participant string) bool

// ProjectNow is Project with today's consent: a participant's contacts go
// only if both the op and consents say yes.
func ProjectNow(op store.Op, consents Consents) (store.Op, bool) {
	if p, ok, sure := projectFast(op, consents); sure {
		return p, ok
	}
	return projectNowSlow(op, consents)
}

// projectNowSlow is ProjectNow through encoding/json's maps: the
// definition projectFast must agree with.
func projectNowSlow(op store.Op, consents Consents) (store.Op, bool) {
	p, ok := projectSlow(op)
	if !ok || op.Kind != store.KindParticipant+".put" || len(p.Payload) == 0 || consents(op.Entity) {
		return p, ok
	}
	var in map[string]json.RawMessage
	if json.Unmarshal(p.Payload, &in) != nil {
		return store.Op{}, false
	}
	changed := false
	for _, f := range consentFields {
		if _, there := in[f]; there {
			delete(in, f)
			changed = true
		}
	}
	if !changed {
		return p, true
	}
	in["consent"] = json.RawMessage("false")
	raw, err := json.Marshal(in)
	if err != nil {
		return store.Op{}, false
	}
	p.Payload = raw
	return p, true
}

// ContactFields are the fields a participant op carries only with consent.
func ContactFields() []string { return slices.Clone(consentFields) }

// followUpFields are the fields of an outcome's follow-ups the platform sees.
var followUpFields = map[string]bool{"stage": true, "state": true, "amount": true, "at": true}

// Uploadable tells whether ops of this kind go to the platform.
func Uploadable(kind string) bool {
	k, _, _ := strings.Cut(kind, ".")
	_, ok := allowedFields[k]
	return ok
}

// Project returns the op as the platform may see it: same id, clock and
// kind, payload cut down to the schema's fields. The result depends only
// on the op, so sending it twice sends the same bytes.
func Project(op store.Op) (store.Op, bool) {
	if p, ok, sure := projectFast(op, nil); sure {
		return p, ok
	}
	return projectSlow(op)
}

// projectSlow is Project through encoding/json's maps: the definition
// projectFast must agree with.
func projectSlow(op store.Op) (store.Op, bool) {
	kind, _, _ := strings.Cut(op.Kind, ".")
	fields, ok := allowedFields[kind]
	if !ok {
		return store.Op{}, false
	}
	if len(op.Payload) == 0 {
		return op, true
	}
	var in map[string]json.RawMessage
	if err := json.Unmarshal(op.Payload, &in); err != nil {
		return store.Op{}, false
	}
	out := map[string]json.RawMessage{}
	for _, f := range fields {
		if v, ok := in[f]; ok {
			out[f] = v
		}
	}
	if v, ok := out["followUps"]; ok && kind == store.KindOutcome {
		// A follow-up's note and caller stay at the event: the platform
		// counts stages, states and amounts.
		var calls []map[string]json.RawMessage
		if err := json.Unmarshal(v, &calls); err != nil {
			return store.Op{}, false
		}
		for _, c := range calls {
			for f := range c {
				if !followUpFields[f] {
					delete(c, f)
				}
			}
		}
		kept, err := json.Marshal(calls)
		if err != nil {
			return store.Op{}, false
		}
		out["followUps"] = kept
	}
	if kind == store.KindParticipant && string(in["consent"]) == "true" {
		for _, f := range consentFields {
			if v, ok := in[f]; ok {
				out[f] = v
			}
		}
	}
	raw, err := json.Marshal(out) // map keys are sorted: deterministic
	if err != nil {
		return store.Op{}, false
	}
	op.Payload = cleanPayload(raw)
	return op, true
}

// ErrTooLarge means a request exceeded MaxBatchBytes or MaxBatchOps.
var ErrTooLarge = errors.New("请求过大")

// DecodeBatch reads and checks an upload request. Everything wrong with it
// is reported before anything is stored: a batch is taken whole or not at all.
func DecodeBatch(r io.Reader) (*Batch, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxBatchBytes+1))
	if err != nil {
		return nil, fmt.Errorf("读取请求失败：%w", err)
	}
	if len(raw) > MaxBatchBytes {
		return nil, fmt.Errorf("%w：超过 %d MB", ErrTooLarge, MaxBatchBytes>>20)
	}
	b, err := decodeBatch(raw)
	if err != nil {
		return nil, err
	}
	// Both readers have checked every payload is JSON: not again per op.
	if err := b.check(true); err != nil {
		return nil, err
	}
	return b, nil
}

// decodeBatch reads a batch as encoding/json reads it, unknown fields
// refused; the shape clients write is read directly (decodeBatchFast).
func decodeBatch(raw []byte) (*Batch, error) {
	if b, ok := decodeBatchFast(raw); ok {
		return b, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var b Batch
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("请求不是有效的上传批次：%w", err)
	}
	if dec.More() {
		return nil, errors.New("请求体在批次之后还有多余内容")
	}
	return &b, nil
}

// BatchError refuses a batch and names every bad op (up to 100) with its reason.
type BatchError struct {
	Message  string
	Rejected []Rejection
}

func (e *BatchError) Error() string {
	if len(e.Rejected) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s：%s %s 等 %d 条", e.Message, e.Rejected[0].Op, e.Rejected[0].Reason, len(e.Rejected))
}

// check validates a batch's shape and every op in it. decoded says the
// batch came through decodeBatch, whose readers have checked every
// payload is valid JSON already.
func (b *Batch) check(decoded bool) error {
	if !ValidID(b.Event) {
		return fmt.Errorf("活动编号“%s”无效", clip(b.Event))
	}
	if len(b.Ops) > MaxBatchOps {
		return fmt.Errorf("%w：一批最多 %d 条", ErrTooLarge, MaxBatchOps)
	}
	for st := range b.Upto {
		if !ValidID(st) {
			return fmt.Errorf("检查点中的站点编号“%s”无效", clip(st))
		}
	}
	bad := &BatchError{Message: "有数据不符合平台规范"}
	for i, op := range b.Ops {
		err := checkOp(op, decoded)
		if err == nil && op.Seq > b.Upto[op.Station] {
			err = errors.New("超出了批次声明的检查点")
		}
		if err != nil && len(bad.Rejected) < 100 {
			bad.Rejected = append(bad.Rejected, Rejection{Op: fmt.Sprintf("第 %d 条 %s", i+1, clip(op.ID())), Reason: err.Error()})
		}
	}
	if len(bad.Rejected) > 0 {
		return bad
	}
	return nil
}

// CheckOp validates one op against the schema.
func CheckOp(op store.Op) error { return checkOp(op, false) }

func checkOp(op store.Op, payloadValid bool) error {
	if !ValidID(op.Station) || op.Seq == 0 {
		return errors.New("缺少站点或序号")
	}
	kind, action, ok := strings.Cut(op.Kind, ".")
	if _, known := allowedFields[kind]; !known || !ok || (action != "put" && action != "delete" && action != "add") {
		return fmt.Errorf("平台不接收此类数据“%s”", clip(op.Kind))
	}
	if op.Entity == "" || len(op.Entity) > 200 || !strings.ContainsFunc(op.Entity, func(r rune) bool { return r > ' ' }) {
		return errors.New("缺少对象编号")
	}
	if strings.ContainsFunc(op.Entity, model.IsControl) {
		return errors.New("对象编号含控制字符")
	}
	if len(op.Payload) > MaxPayloadBytes {
		return fmt.Errorf("内容超过 %d KB", MaxPayloadBytes>>10)
	}
	if len(op.Payload) > 0 && !payloadValid && !json.Valid(op.Payload) {
		return errors.New("内容不是有效的 JSON")
	}
	if action != "delete" && len(op.Payload) > 0 && op.Payload[0] != '{' {
		return errors.New("内容应为 JSON 对象")
	}
	if hasNULEscape(op.Payload) {
		// PostgreSQL cannot store U+0000 in text; refused as the sender's
		// fault (4xx), so it is not retried for ever as a platform failure.
		return errors.New("内容含空字符（U+0000）")
	}
	return nil
}

// hasNULEscape finds \u0000 in JSON text: a backslash that is not itself
// escaped, then u0000.
func hasNULEscape(b []byte) bool {
	for i := 0; i+6 <= len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if string(b[i+1:i+6]) == "u0000" {
			return true
		}
		i++ // skip the escaped character: in \\u0000 the u0000 is plain text
	}
	return false
}

// cleanPayload removes control characters from every string of a JSON
// payload. Go's encoder writes them (and only them, with <, > and &) as
// \u00XX, so payloads without that sequence are returned as they are.
func cleanPayload(raw []byte) []byte {
	if !bytes.Contains(raw, []byte(`\u00`)) {
		return raw
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	out, err := json.Marshal(cleanValue(v))
	if err != nil {
		return raw
	}
	return out
}

func cleanValue(v any) any {
	switch x := v.(type) {
	case string:
		return model.CleanText(x)
	case map[string]any:
		for k, e := range x {
			x[k] = cleanValue(e)
		}
	case []any:
		for i, e := range x {
			x[i] = cleanValue(e)
		}
	}
	return v
}

// ValidID is what an event, station or replica id from a peer may look
// like: ids name files, go into badges, tokens and SQL keys, so letters,
// digits, '-' and '_' only, at most 64 of them.
func ValidID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
