package dict

import "testing"

func TestChainsMapTheUsualWords(t *testing.T) {
	for text, want := range map[string]string{
		"高端装备": "SEI02", " 高端 装备 ": "SEI02", "新能源汽车": "SEI05", "新能源汽车零部件": "SEI05", "新能源": "SEI06",
		"海洋工程装备": "SEI02", "现代海洋": "MARINE", "医养健康": "SEI04", "绿色化工": "CHEM", "新一代信息技术": "SEI01",
		"集成电路设计": "SEI01", "现代高效农业": "AGR", "新能源新材料": "SEI03", "5G": "SEI01",
	} {
		if c, ok := ChainOf(text); !ok || c.Code != want {
			t.Errorf("%q → %+v %v, want %s", text, c, ok, want)
		}
	}
	for _, text := range []string{"", "其他", "综合", "未知产业"} {
		if c, ok := ChainOf(text); ok {
			t.Errorf("%q mapped to %+v", text, c)
		}
	}
}

// One word, one chain: an alias in two chains would map by list order.
func TestEveryChainWordIsOneChains(t *testing.T) {
	seen := map[string]string{}
	for _, c := range Chains {
		for _, w := range append([]string{c.Name, c.Code}, c.Aliases...) {
			w = normal(w)
			if other, dup := seen[w]; dup && other != c.Code {
				t.Errorf("%q is %s and %s", w, other, c.Code)
			}
			seen[w] = c.Code
		}
	}
}

func TestDivisions(t *testing.T) {
	for text, want := range map[string]string{"山东": "370000", "山东省": "370000", "370000": "370000", "内蒙古": "150000", "广西": "450000", "新疆": "650000"} {
		if d, ok := ProvinceOf(text); !ok || d.Code != want {
			t.Errorf("province %q → %+v %v", text, d, ok)
		}
	}
	for text, want := range map[string]string{"济南": "370100", "济南市": "370100", "青岛市": "370200", "上海": "310000", "深圳": "440300"} {
		if d, ok := CityOf(text); !ok || d.Code != want {
			t.Errorf("city %q → %+v %v", text, d, ok)
		}
	}
	if _, ok := CityOf("莱芜市"); ok {
		t.Error("莱芜市 was merged into 济南 in 2019")
	}
	if len(Provinces) != 34 || len(CitiesOf("370000")) != 16 {
		t.Fatalf("%d provinces, %d cities of Shandong", len(Provinces), len(CitiesOf("370000")))
	}
	codes := map[string]bool{}
	for _, d := range append(append([]Division{}, Provinces...), Cities...) {
		if len(d.Code) != 6 || codes[d.Code] {
			t.Errorf("code %q", d.Code)
		}
		codes[d.Code] = true
		if _, isProvince := ProvinceOf(d.Province()); !isProvince {
			t.Errorf("%s has no province", d.Name)
		}
	}
}

func TestEveryChainHasAnEnglishName(t *testing.T) {
	for _, c := range Chains {
		if c.En == "" || c.Name == "" {
			t.Errorf("%s: %q / %q", c.Code, c.Name, c.En)
		}
	}
}

// The organizer's word decides before the words do, "none" included; the
// summary and the platform both count a meeting's chain through these two.
func TestResolveAndMeetingChain(t *testing.T) {
	said := map[string]string{Key("综合"): "SEI09", Key("新材料"): ""}
	mapped := func(k string) (string, bool) { c, ok := said[k]; return c, ok }
	for text, want := range map[string][3]string{
		"综合": {"SEI09", "ok", "said"}, "新 材料": {"", "", "said"}, "高端装备": {"SEI02", "ok", ""}, "未知": {"", "", ""},
	} {
		c, ok, s := Resolve(text, mapped)
		got := [3]string{c.Code, map[bool]string{true: "ok"}[ok], map[bool]string{true: "said"}[s]}
		if got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
	for _, c := range []struct{ from, to, want string }{{"甲", "乙", "甲"}, {"", "乙", "乙"}, {"", "", "事件链"}} {
		if got := MeetingChain(c.from, c.to, []string{"事件链"}); got != c.want {
			t.Errorf("%+v: %q", c, got)
		}
	}
	if MeetingChain("", "", nil) != "" {
		t.Error("no chain at all")
	}
}
