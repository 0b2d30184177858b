package hub

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// MaxClockLead is how far ahead of the hub's clock a station's op may be
// stamped: more is a wrong clock or a forged op that would win every
// last-writer-wins race for good (a badge key at HLC 2^64-1).
const MaxClockLead = 5 * time.Minute

// A station is a desk: it checks people in, registers walk-ins, marks
// meetings held or missed, records outcomes, wishes and 揭榜, and proposes
// moves. It never writes the event, the badge key, the session, the
// schedule's placement, catalogs, leads, or deletes anything; those are the
// organizer's, on the hub. Exhibitors do not exchange ops at all: their
// leads are written by the hub for them (exhibitor.go).
var stationMay = map[string]func(st *store.Store, replica string, op store.Op) error{
	store.Scans.Kind() + ".add":     nil,
	store.ScanUndos.Kind() + ".add": nil,
	store.Participants.PutOp():      stationParticipant,
	store.Orgs.PutOp():              stationOrg,
	store.Meetings.PutOp():          stationMeeting,
	store.Outcomes.PutOp():          stationOutcome,
	store.Requests.PutOp():          nil,
	store.Proposals.PutOp():         stationProposal,
	store.Responses.PutOp():         stationResponse,
}

// DeskMay says whether a station may make this change, judged against st:
// the hub's file when a batch arrives, or the station's own copy before it
// writes (store.SetGuard), so a desk never records what the hub would refuse.
func DeskMay(st *store.Store, replica string, op store.Op) error {
	check, ok := stationMay[op.Kind]
	if !ok {
		return fmt.Errorf("分站不能写“%s”：这类修改只能在主控机上进行", op.Kind)
	}
	if check != nil {
		return check(st, replica, op)
	}
	return nil
}

// admit checks a station's batch before anything of it is stored: every op
// under the station's own replica id, its sequence continuing without a
// gap, its clock not ahead of the hub's, and each op of a kind a desk may
// write with a change a desk may make. One bad op refuses the whole batch.
func (h *Server) admit(rec *tokenRecord, ops []store.Op) error {
	if len(ops) == 0 {
		return nil
	}
	if rec.Replica == "" {
		// Paired before replica ids were assigned: the first batch binds the
		// token to the replica it writes as, unless that replica is taken.
		if err := h.bindLegacy(rec, ops); err != nil {
			return err
		}
	}
	vv, err := h.st.VersionVector()
	if err != nil {
		return fmt.Errorf("读取主控机版本失败：%w", err)
	}
	sorted := append([]store.Op(nil), ops...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Seq < sorted[j].Seq })
	// Ops of a lost hub this hub took over from, relayed by a desk that holds
	// them, are its history: admitted in sequence, as the lost hub wrote them.
	retired := retiredReplicas(h.st)
	next := map[string]uint64{}
	// Against the clock the hub's own ops are stamped with (its HLC, wall
	// time), not the workspace's, which tests pin to the event day.
	limit := time.Now()
	if last := store.HLCTime(h.st.Clock().Last()); last.After(limit) {
		limit = last
	}
	limit = limit.Add(MaxClockLead)
	for _, op := range sorted {
		if op.Station != rec.Replica && !retired[op.Station] {
			return fmt.Errorf("操作 %s 不是本分站（%s）写的：分站只能上传自己的数据", op.ID(), rec.Replica)
		}
		if _, ok := next[op.Station]; !ok {
			next[op.Station] = vv[op.Station] + 1
		}
		if op.Seq < next[op.Station] {
			continue // already here: a repeat after a cut connection
		}
		if op.Seq != next[op.Station] {
			return fmt.Errorf("操作 %s 之前缺少第 %d 条：序号必须连续", op.ID(), next[op.Station])
		}
		next[op.Station]++
		if store.HLCTime(op.HLC).After(limit) {
			return fmt.Errorf("操作 %s 的时间（%s）比主控机快了 %v 以上：请校准分站的时钟", op.ID(), store.HLCTime(op.HLC).Format("01-02 15:04:05"), MaxClockLead)
		}
		if retired[op.Station] {
			continue
		}
		if err := DeskMay(h.st, rec.Replica, op); err != nil {
			return fmt.Errorf("操作 %s（%s %s）被拒绝：%w", op.ID(), op.Kind, op.Entity, err)
		}
	}
	return nil
}

func (h *Server) bindLegacy(rec *tokenRecord, ops []store.Op) error {
	replica := ops[0].Station
	if replica == h.st.Station() {
		return fmt.Errorf("分站不能以主控机的身份（%s）写数据", replica)
	}
	taken := false
	_ = h.st.ForEachLocal(tokenPrefix, func(_ string, raw []byte) error {
		var other tokenRecord
		if json.Unmarshal(raw, &other) == nil && other.ID != rec.ID && other.Replica == replica {
			taken = true
		}
		return nil
	})
	if taken {
		return fmt.Errorf("副本 %s 属于另一台设备", replica)
	}
	rec.Replica = replica
	_, err := updateToken(h.st, rec.ID, func(cur *tokenRecord) { cur.Replica = replica })
	return err
}

// stationParticipant admits a walk-in (a new person) and, for someone
// already on the roster, only a new badge (a reprint at the desk).
func stationParticipant(st *store.Store, _ string, op store.Op) error {
	p, err := store.Participants.Decode(op.Payload)
	if err != nil {
		return err
	}
	if p.ID != op.Entity {
		return fmt.Errorf("参会人编号与对象不符")
	}
	old, exists, err := store.Participants.Get(st, op.Entity)
	if err != nil || !exists {
		return err
	}
	if p.BadgeVersion < old.BadgeVersion || p.BadgePrinted < old.BadgePrinted {
		return fmt.Errorf("胸卡版本不能回退")
	}
	p.BadgeVersion, p.BadgePrinted, p.Updated = old.BadgeVersion, old.BadgePrinted, old.Updated
	if !reflect.DeepEqual(p, old) {
		return fmt.Errorf("分站只能登记新的参会人或补打胸卡，修改已有参会人的信息请在主控机上进行")
	}
	return nil
}

// stationOrg admits a walk-in's organization the hub does not have yet.
func stationOrg(st *store.Store, _ string, op store.Op) error {
	_, exists, err := store.Orgs.Get(st, op.Entity)
	if err != nil {
		return err
	}
	if exists {
		return fmt.Errorf("已有的单位只能在主控机上修改")
	}
	return nil
}

// stationMeeting admits what happens at a table (arrivals, held, no-show)
// and nothing that places a meeting: who, request, slot, table, lock.
func stationMeeting(st *store.Store, _ string, op store.Op) error {
	m, err := store.Meetings.Decode(op.Payload)
	if err != nil {
		return err
	}
	old, exists, err := store.Meetings.Get(st, op.Entity)
	if err != nil {
		return err
	}
	if !exists || m.ID != op.Entity {
		return fmt.Errorf("分站不能新建洽谈：请在主控机上加约")
	}
	if m.Request != old.Request || m.From != old.From || m.To != old.To || m.Slot != old.Slot || m.Table != old.Table ||
		m.Locked != old.Locked || m.Spontaneous != old.Spontaneous {
		return fmt.Errorf("分站不能调整洽谈的时段、桌位或双方：请拖动发出调整建议")
	}
	if !slices.Contains(model.MeetingStatuses, m.Status) {
		return fmt.Errorf("未知的洽谈状态“%s”", m.Status)
	}
	for _, who := range m.Arrived {
		if who != m.From && who != m.To {
			return fmt.Errorf("到场者不是这场洽谈的一方")
		}
	}
	return nil
}

func stationOutcome(st *store.Store, _ string, op store.Op) error {
	o, err := store.Outcomes.Decode(op.Payload)
	if err != nil {
		return err
	}
	if o.Meeting != op.Entity {
		return fmt.Errorf("成效与洽谈编号不符")
	}
	if err := o.CheckExtras(); err != nil {
		return err
	}
	if _, exists, err := store.Meetings.Get(st, op.Entity); err != nil || !exists {
		return fmt.Errorf("没有这场洽谈")
	}
	return nil
}

// stationProposal admits a station's own proposal, as a proposal: only the
// hub answers it.
func stationProposal(_ *store.Store, replica string, op store.Op) error {
	p, err := store.Proposals.Decode(op.Payload)
	if err != nil {
		return err
	}
	if p.Status != model.ProposalProposed || p.By != replica || p.ID != op.Entity || strings.TrimSpace(p.Reason) != "" {
		return fmt.Errorf("分站只能提出建议，由主控机答复")
	}
	return nil
}

// stationResponse admits a 揭榜 recorded at a desk: under its one id, for a
// challenge the hub has, by someone on its roster, with a proposal within
// its limit.
func stationResponse(st *store.Store, _ string, op store.Op) error {
	r, err := store.Responses.Decode(op.Payload)
	if err != nil {
		return err
	}
	if r.ID != op.Entity || r.ID != model.ChallengeResponseID(r.Demand, r.Responder) {
		return fmt.Errorf("揭榜编号与需求、揭榜人不符")
	}
	d, ok, err := store.Demands.Get(st, r.Demand)
	if err != nil || !ok || !d.Challenge {
		return fmt.Errorf("没有这个发榜需求")
	}
	if _, ok, err := store.Participants.Get(st, r.Responder); err != nil || !ok {
		return fmt.Errorf("揭榜人不在名单中")
	}
	if strings.TrimSpace(r.Proposal) == "" || utf8.RuneCountInString(r.Proposal) > model.MaxProposal {
		return fmt.Errorf("揭榜方案为空或超过 %d 字", model.MaxProposal)
	}
	return nil
}
