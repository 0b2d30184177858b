package recommend

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

var achievements = []Doc{
	{ID: "A1", Text: "高功率光纤激光切割头及自适应调焦技术", Keywords: []string{"激光", "切割"}, Chain: "高端装备", TRL: 7},
	{ID: "A2", Text: "石墨烯改性防腐涂料，适用于沿海设备", Keywords: []string{"石墨烯", "防腐"}, Chain: "新材料", TRL: 6},
	{ID: "A3", Text: "基于机器视觉的表面缺陷检测系统", Keywords: []string{"机器视觉", "缺陷检测"}, Chain: "新一代信息技术", TRL: 8},
	{ID: "A4", Text: "海水淡化反渗透膜组件", Keywords: []string{"海水淡化"}, Chain: "现代海洋", TRL: 5},
}

func TestRanksTheFittingAchievementFirstAndSaysWhy(t *testing.T) {
	ix := NewIndex(achievements)
	cases := map[string]Doc{
		"A3": {Text: "产品外观缺陷检测：人工目检漏检率高，需要机器视觉质检方案", Chain: "新一代信息技术"},
		"A2": {Text: "沿海设备腐蚀严重，需要长效防腐涂层", Chain: "新材料"},
		"A1": {Text: "激光焊接与切割质量在线检测", Chain: "高端装备"},
	}
	for want, demand := range cases {
		got := ix.Query(demand, 3)
		if len(got) == 0 || got[0].ID != want {
			t.Fatalf("%q: got %+v, want %s first", demand.Text, got, want)
		}
		r := got[0].Reason
		if !r.SameChain || (len(r.Keywords) == 0 && len(r.Terms) == 0) {
			t.Errorf("%s: no reason given: %+v", want, r)
		}
	}
	if got := ix.Query(Doc{Text: "完全无关的内容 xyz"}, 5); len(got) != 0 {
		t.Errorf("unrelated demand matched: %+v", got)
	}
	if got := ix.Query(Doc{Text: "需要机器视觉"}, 5); got[0].Reason.Keywords[0] != "机器视觉" {
		t.Errorf("keyword reason: %+v", got[0].Reason)
	}
}

func TestTermsSplitChineseAndLatin(t *testing.T) {
	tf := terms("工业互联网PLC网关, AGV导航")
	for _, want := range []string{"工业", "业互", "互联", "联网", "plc", "网关", "agv", "导航"} {
		if tf[want] == 0 {
			t.Errorf("missing term %q in %v", want, tf)
		}
	}
}

// BenchmarkThousandByThousand: recommendations for 1,000 demands over
// 1,000 achievements (index built once, then every demand queried).
func BenchmarkThousandByThousand(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	words := []string{"激光", "切割", "数控", "机床", "机器人", "减速器", "复合材料", "碳纤维", "涂层", "防腐", "石墨烯", "机器视觉", "检测", "工业互联网", "边缘计算", "海水淡化", "催化剂", "甲醇", "康复", "外骨骼", "液压", "密封", "导航", "传感器", "节能", "余热回收"}
	chains := []string{"高端装备", "新材料", "新一代信息技术", "现代海洋", "绿色化工", "医养健康"}
	doc := func(i int, prefix string) Doc {
		var text string
		var kws []string
		for k := 0; k < 6; k++ {
			w := words[r.Intn(len(words))]
			text += w + "技术及应用，"
			if k < 3 {
				kws = append(kws, w)
			}
		}
		return Doc{ID: fmt.Sprintf("%s%d", prefix, i), Text: text, Keywords: kws, Chain: chains[r.Intn(len(chains))], TRL: 1 + r.Intn(9)}
	}
	var ach, dem []Doc
	for i := 0; i < 1000; i++ {
		ach = append(ach, doc(i, "A"))
		dem = append(dem, doc(i, "D"))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		ix := NewIndex(ach)
		for _, d := range dem {
			if len(ix.Query(d, 10)) == 0 {
				b.Fatal("no recommendation")
			}
		}
		b.ReportMetric(time.Since(t0).Seconds(), "s/1000x1000")
	}
}
