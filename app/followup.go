package app

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// FollowUpDue is a follow-up call not yet made on an intended cooperation
// that is still open (动态跟踪).
type FollowUpDue struct {
	Meeting  string             `json:"meeting"`
	FromName string             `json:"fromName"`
	FromOrg  string             `json:"fromOrg"`
	ToName   string             `json:"toName"`
	ToOrg    string             `json:"toOrg"`
	Mode     model.TransferMode `json:"mode,omitempty"`
	Stage    int                `json:"stage"` // 30, 90 or 180 days after the event
	Due      string             `json:"due"`   // YYYY-MM-DD
	// Days is how many days are left until Due; negative when overdue.
	Days int `json:"days"`
	// Last is the latest follow-up made on this deal, if any.
	Last *model.FollowUp `json:"last,omitempty"`
}

// FollowUpInput is one follow-up call as staff record it.
type FollowUpInput struct {
	Meeting string              `json:"meeting"`
	Stage   int                 `json:"stage"`
	State   model.FollowUpState `json:"state"`
	Amount  float64             `json:"amount"`
	Note    string              `json:"note"`
	By      string              `json:"by"`
}

// eventDay is the day follow-ups count from: the event's last day.
func eventDay(ev model.Event, loc *time.Location) (time.Time, bool) {
	day := ev.EndDate
	if day == "" {
		day = ev.StartDate
	}
	t, err := time.ParseInLocation("2006-01-02", day, loc)
	return t, err == nil
}

// FollowUps lists the follow-ups due within the next days (and every
// overdue one), earliest first; days < 0 lists every one not yet made. A
// deal signed or dropped needs none; a stage already recorded is done.
func (s *TableService) FollowUps(days int) ([]FollowUpDue, error) {
	meetings, err := s.match.Meetings()
	if err != nil {
		return nil, err
	}
	now := s.ws.now()
	day, ok := eventDay(s.ws.currentEvent(), now.Location())
	if !ok {
		return []FollowUpDue{}, nil
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	out := []FollowUpDue{}
	for _, m := range meetings {
		o := m.Outcome
		if o == nil || !o.Intended || o.Closed() {
			continue
		}
		var last *model.FollowUp
		done := map[int]bool{}
		for i := range o.FollowUps {
			f := &o.FollowUps[i]
			done[f.Stage] = true
			if last == nil || f.At > last.At {
				last = f
			}
		}
		for _, stage := range model.FollowUpStages {
			if done[stage] {
				continue
			}
			due := day.AddDate(0, 0, stage)
			left := int(due.Sub(today).Hours() / 24)
			if days >= 0 && left > days {
				continue
			}
			out = append(out, FollowUpDue{Meeting: m.ID, FromName: m.FromName, FromOrg: m.FromOrg, ToName: m.ToName, ToOrg: m.ToOrg,
				Mode: o.Mode, Stage: stage, Due: due.Format("2006-01-02"), Days: left, Last: last})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Due != out[j].Due {
			return out[i].Due < out[j].Due
		}
		return out[i].Meeting < out[j].Meeting
	})
	return out, nil
}

// RecordFollowUp records a follow-up call on an intended cooperation, as a
// new version of its outcome (an op like any other save, so it reaches the
// hub and, on the next upload, the platform). A deal signed at a follow-up
// counts as signed from then on; recording a stage again corrects it.
func (s *TableService) RecordFollowUp(in FollowUpInput) (*model.Outcome, error) {
	st, _, err := s.match.meeting(in.Meeting)
	if err != nil {
		return nil, err
	}
	o, found, err := store.Outcomes.Get(st, in.Meeting)
	if err != nil {
		return nil, err
	}
	if !found || !o.Intended {
		return nil, sayFollowUpNotIntended.Err()
	}
	if !slices.Contains(model.FollowUpStages, in.Stage) {
		return nil, sayFollowUpStage.Err("value", in.Stage)
	}
	in.Note, in.By = strings.TrimSpace(in.Note), strings.TrimSpace(in.By)
	atEvent := o.SignedStage() == 0
	if atEvent {
		// Nothing to follow: and a follow-up would move the signature
		// from the event day to its stage in the conversion figures.
		return nil, sayFollowUpAfterSigned.Err()
	}
	now := s.ws.now().Format(time.RFC3339)
	f := model.FollowUp{Stage: in.Stage, State: in.State, Note: in.Note, By: in.By, At: now}
	if in.State == model.FollowUpSigned {
		f.Amount = in.Amount
	}
	kept := o.FollowUps[:0:0]
	for _, old := range o.FollowUps {
		if old.Stage != in.Stage {
			kept = append(kept, old)
		}
	}
	o.FollowUps = append(kept, f)
	sort.Slice(o.FollowUps, func(i, j int) bool { return o.FollowUps[i].Stage < o.FollowUps[j].Stage })
	// Signed at a follow-up (a stage recorded again corrects it, so a
	// follow-up entered as signed by mistake un-signs).
	o.Signed = o.SignedStage() > 0
	if in.State == model.FollowUpSigned {
		o.Result = model.ResultAgreement
		if in.Amount > 0 {
			o.Amount = in.Amount
		}
	}
	o.Updated = now
	if err := o.CheckExtras(); err != nil {
		return nil, err
	}
	if _, err := st.Apply(s.ws.ctx, store.Outcomes.Put(o.Meeting, o)); err != nil {
		return nil, sayOutcomeSaveFailed.Wrap(err)
	}
	return &o, nil
}
