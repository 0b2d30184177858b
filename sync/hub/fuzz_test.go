package hub

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// FuzzStationBatch feeds a paired station's exchange body to the hub's
// decoder and desk rules: whatever a station sends, the hub answers with a
// refusal or an admission, never a panic, and the rules read nothing but
// the store they are given.
func FuzzStationBatch(f *testing.F) {
	st, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "hub.fzevent"), store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Apply(context.Background(),
		store.Participants.Put("P1", model.Participant{ID: "P1", Name: "张三", Org: "甲公司"}),
		store.Orgs.Put("O1", model.Org{ID: "O1", Name: "甲公司"}),
		store.Meetings.Put("M1", model.Meeting{ID: "M1", From: "P1", To: "P2", Slot: "S01", Table: "T001", Status: model.MeetingScheduled}),
	); err != nil {
		f.Fatal(err)
	}
	seed := func(kind, entity string, payload any) {
		raw, _ := json.Marshal(payload)
		body, _ := json.Marshal(wire.ExchangeRequest{VV: map[string]uint64{"S-x": 1}, Ops: []store.Op{{Station: "S-x", Seq: 1, HLC: 1, Kind: kind, Entity: entity, Payload: raw}}})
		f.Add(body)
	}
	seed("scan.add", "P1", model.Scan{Desk: "1"})
	seed("participant.put", "P1", model.Participant{ID: "P1", Name: "张三", BadgeVersion: 2})
	seed("participant.put", "P9", model.Participant{ID: "P9", Name: "新人"})
	seed("org.put", "O1", model.Org{ID: "O1", Name: "改"})
	seed("meeting.put", "M1", model.Meeting{ID: "M1", Status: model.MeetingHeld, Slot: "S01", Table: "T001"})
	seed("outcome.put", "M1", model.Outcome{Meeting: "M1"})
	seed("proposal.put", "Q1", model.Proposal{ID: "Q1", Meeting: "M1", Status: model.ProposalProposed})
	seed("meeting.put", "M1", nil)
	f.Add([]byte(`{"ops":[{"kind":"participant.put","payload":"x"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req wire.ExchangeRequest
		if json.Unmarshal(body, &req) != nil {
			return
		}
		for _, op := range req.Ops {
			_ = DeskMay(st, "S-x", op)
		}
	})
}
