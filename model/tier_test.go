package model

import "testing"

func TestParseTier(t *testing.T) {
	for in, want := range map[string]Tier{
		"国家级专精特新“小巨人”企业": TierLittleGiant, "小巨人": TierLittleGiant, "省级专精特新": TierProvincialSRDI,
		"专精特新中小企业": TierProvincialSRDI, "创新型中小企业": TierInnovative, "创新型": TierInnovative,
		"否": "", "无": "", "": "", " ": "", "little_giant": TierLittleGiant,
	} {
		if got, ok := ParseTier(in); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"高新技术企业", "瞪羚", "A级"} {
		if got, ok := ParseTier(in); ok || got != "" {
			t.Errorf("%q read as %q", in, got)
		}
	}
	for _, tier := range Tiers {
		if TierNames[tier] == "" {
			t.Errorf("level %q has no name", tier)
		}
	}
}

// The event's formats and the programme's session kinds are one list, so
// the platform counts events by format from either.
func TestFormatsAreTheSessionKinds(t *testing.T) {
	if len(Formats) != len(SessionKinds) {
		t.Fatalf("formats %v, session kinds %v", Formats, SessionKinds)
	}
	for i, k := range SessionKinds {
		if Formats[i] != string(k) || SessionKindNames[k] == "" {
			t.Fatalf("format %d: %q, session kind %q", i, Formats[i], k)
		}
	}
}
