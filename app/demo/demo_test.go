package demo

import (
	"reflect"
	"testing"

	"github.com/fuzhi/eventdesk/model"
)

func TestDemoIsRealisticAndStable(t *testing.T) {
	d := Generate("2026-05-20")
	if len(d.Participants) < 280 || len(d.Achievements) != 40 || len(d.Demands) != 40 {
		t.Fatalf("sizes: %d participants %d achievements %d demands", len(d.Participants), len(d.Achievements), len(d.Demands))
	}
	roles := map[model.Role]int{}
	keys := map[string]bool{}
	for _, p := range d.Participants {
		roles[p.Role]++
		if _, ok := model.NormalizeMobile(p.Mobile); !ok {
			t.Errorf("%s: bad mobile %s", p.Name, p.Mobile)
		}
		if p.CreditCode != "" && !model.ValidCreditCode(p.CreditCode) {
			t.Errorf("%s: bad credit code %s", p.Org, p.CreditCode)
		}
		if keys[p.DedupKey()] {
			t.Errorf("duplicate person %s", p.DedupKey())
		}
		keys[p.DedupKey()] = true
	}
	for _, r := range model.Roles {
		if roles[r] == 0 {
			t.Errorf("no participant with role %s", r)
		}
	}
	if !reflect.DeepEqual(d, Generate("2026-05-20")) {
		t.Error("demo differs between runs")
	}
}
