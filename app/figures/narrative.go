package figures

import (
	"fmt"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/model"
)

// Paragraph is one titled paragraph of the report's prose.
type Paragraph struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// narrative writes 活动概况 (what the event was) and 主要成效 (what it
// achieved) from the figures, in the plain style of a 工作简报: only
// figures that are there are mentioned, so an event without a roadshow or
// a challenge does not report "0 项".
func narrative(s *Summary) []Paragraph {
	ev := s.Event
	var b strings.Builder
	when := chineseDate(ev.StartDate)
	if ev.EndDate != "" && ev.EndDate != ev.StartDate {
		when += "至" + chineseDate(ev.EndDate)
	}
	b.WriteString(ev.Name)
	if when != "" {
		b.WriteString("于" + when)
	}
	if place := ev.Province + ev.City + ev.Venue; place != "" {
		b.WriteString("在" + place)
	}
	b.WriteString("举办")
	if ev.Organizer != "" {
		b.WriteString("，由" + ev.Organizer + "主办")
	}
	b.WriteString("。")
	if len(s.Sessions) > 0 {
		fmt.Fprintf(&b, "活动设%s等环节。", strings.Join(s.Sessions, "、"))
	}
	fmt.Fprintf(&b, "报名 %d 人，实际到场 %d 人", s.Expected, s.Arrived)
	if s.WalkIns > 0 {
		fmt.Fprintf(&b, "（其中现场报名 %d 人）", s.WalkIns)
	}
	b.WriteString("。")
	var published []string
	if s.Achievements > 0 {
		published = append(published, fmt.Sprintf("科技成果 %d 项", s.Achievements))
	}
	if s.Demands > 0 {
		d := fmt.Sprintf("企业技术需求 %d 项", s.Demands)
		if len(s.Challenges) > 0 {
			d += fmt.Sprintf("（其中发榜 %d 项）", len(s.Challenges))
		}
		published = append(published, d)
	}
	if len(published) > 0 {
		b.WriteString("活动发布" + strings.Join(published, "、") + "。")
	}
	if n := len(s.Roadshows); n > 0 {
		fmt.Fprintf(&b, "%d 项成果现场路演", n)
		if m := s.RoadshowMarks(); m > 0 {
			fmt.Fprintf(&b, "，收到“想约谈” %d 人次", m)
		}
		b.WriteString("。")
	}
	overview := b.String()

	b.Reset()
	fmt.Fprintf(&b, "现场安排一对一洽谈 %d 场，实际洽谈 %d 场", s.Scheduled, s.Held)
	if len(s.SMEsServed) > 0 && s.SMEsServed[0].Count > 0 {
		fmt.Fprintf(&b, "，服务中小企业 %d 家", s.SMEsServed[0].Count)
		var tiers []string
		for _, t := range s.SMEsServed[1:] {
			if t.Count > 0 && t.Label != model.TierNames[""] {
				tiers = append(tiers, fmt.Sprintf("%s %d 家", t.Label, t.Count))
			}
		}
		if len(tiers) > 0 {
			b.WriteString("（其中" + strings.Join(tiers, "、") + "）")
		}
	}
	b.WriteString("。")
	if s.Intended > 0 {
		fmt.Fprintf(&b, "达成合作意向 %d 项", s.Intended)
		if s.Signed > 0 {
			fmt.Fprintf(&b, "，签约 %d 项、金额 %s 万元", s.Signed, Wan(s.Amount))
			var modes []string
			for _, m := range s.ByMode {
				if m.Signed > 0 {
					modes = append(modes, fmt.Sprintf("%s %d 项", m.Label, m.Signed))
				}
			}
			if len(modes) > 0 {
				b.WriteString("（" + strings.Join(modes, "、") + "）")
			}
		}
		b.WriteString("。")
	}
	finSigned, finAmount := 0, 0.0
	var kinds []string
	for _, f := range s.Finance {
		finSigned, finAmount = finSigned+f.Signed, finAmount+f.SignedAmount
		if f.Signed > 0 {
			kinds = append(kinds, f.Label)
		}
	}
	if finSigned > 0 {
		fmt.Fprintf(&b, "产融对接签约 %d 项、融资 %s 万元（%s）。", finSigned, Wan(finAmount), strings.Join(kinds, "、"))
	}
	if r := s.ChallengeResponses(); r > 0 {
		fmt.Fprintf(&b, "%d 项发榜需求收到揭榜 %d 项。", len(s.Challenges), r)
	}
	if later := s.SignedLater; later > 0 {
		fmt.Fprintf(&b, "活动后跟踪回访，又有 %d 项合作意向转为签约。", later)
	}
	return []Paragraph{{Title: "活动概况", Text: overview}, {Title: "主要成效", Text: b.String()}}
}

// chineseDate writes 2026-05-20 as 2026年5月20日.
func chineseDate(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
