package app

import (
	"fmt"

	"github.com/fuzhi/eventdesk/app/demo"
	"github.com/fuzhi/eventdesk/store"
)

// DemoFileName is the demo event's file inside the data folder.
const DemoFileName = "demo-深度行示例活动.fzevent"

// CreateDemo writes the demo event to path, dated today so it looks current.
func CreateDemo(ws *Workspace, path string) error {
	d := demo.Generate(ws.now().Format("2006-01-02"))
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
	if err := createEventFile(ws, path, d.Event, seed); err != nil {
		return fmt.Errorf("create demo event: %w", err)
	}
	return nil
}
