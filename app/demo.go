package app

import (
	"fmt"

	"github.com/fuzhi/eventdesk/app/demo"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// DemoFileName is the demo event's file inside the data folder.
const DemoFileName = "demo-深度行示例活动.fzevent"

// PracticeFileName is the practice event's file inside the data folder.
const PracticeFileName = "练习-深度行示例活动.fzevent"

// CreateDemo writes the demo's registrations and catalogs to path, dated
// today so it looks current, before anything has happened: the living demo
// plays its morning over this, and the practice event is exactly this.
func CreateDemo(ws *Workspace, path string) error {
	return writeDemo(ws, path, demoToday(ws))
}

// CreatePractice writes the practice event to path: the demo's people and
// catalogs under an event of its own, with nobody checked in and no
// session, for training desk staff and trying the matchmaking setup.
func CreatePractice(ws *Workspace, path string) error {
	d := demoToday(ws)
	d.Event.ID = "EPRACTICE2026"
	d.Event.Name = "练习活动·" + d.Event.Name
	return writeDemo(ws, path, d)
}

// demoToday is the demo's data dated today at the venue.
func demoToday(ws *Workspace) demo.Data {
	return demo.Generate(ws.now().In(model.VenueZone).Format("2006-01-02"))
}

func writeDemo(ws *Workspace, path string, d demo.Data) error {
	var seed []store.Change
	for i := range d.Participants {
		p := &d.Participants[i]
		org, hasOrg := orgFor(p)
		seed = append(seed, store.Participants.Put(p.ID, *p))
		if hasOrg {
			seed = append(seed, store.Orgs.Put(org.ID, org))
		}
	}
	for _, a := range d.Achievements {
		seed = append(seed, store.Achievements.Put(a.ID, a))
	}
	for _, dm := range d.Demands {
		seed = append(seed, store.Demands.Put(dm.ID, dm))
	}
	d.Event.CreatedAt = ws.now().Format("2006-01-02T15:04:05Z07:00")
	placeCodes(&d.Event)
	if err := createEventFile(ws, path, d.Event, seed); err != nil {
		return fmt.Errorf("create demo event: %w", err)
	}
	return nil
}
