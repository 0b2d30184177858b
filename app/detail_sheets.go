package app

import (
	"sort"
	"strconv"
	"time"

	"github.com/fuzhi/eventdesk/app/figures"
	"github.com/fuzhi/eventdesk/model"
)

// The record of the day, as sheets of the summary workbook: who came (when,
// at which desk, how), and every meeting with its outcome and the signed
// projects with both parties. They name people and organizations but carry
// no mobile or e-mail, and they are never part of the platform package.

var scanMethodLabel = map[string]string{"scan": "扫码", "search": "查找签到", "walkin": "现场报名"}

var meetingStatusLabel = map[model.MeetingStatus]string{
	model.MeetingScheduled: "已安排", model.MeetingHeld: "已洽谈", model.MeetingNoShow: "未到场", model.MeetingCancelled: "已取消",
}

var outcomeResultLabel = map[model.OutcomeResult]string{
	model.ResultNotHeld: "未洽谈", model.ResultNoInterest: "无兴趣", model.ResultNoPlan: "暂无合作计划",
	model.ResultPossible: "有合作可能", model.ResultAgreement: "达成协议",
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// arrivalRows is 签到明细: everyone whose check-in counts, in arrival order.
func (s *CheckinService) arrivalRows() ([][]string, error) {
	_, roster, cs, err := s.ws.openDesk()
	if err != nil {
		return nil, err
	}
	type row struct {
		at    time.Time // desks write their own zone; order by the instant
		cells []string
	}
	var rows []row
	cs.data.RLock()
	for _, e := range roster.all() {
		p := e.p
		f, repeats := cs.arrival(p.ID)
		if f == nil {
			continue
		}
		method := scanMethodLabel[f.Method]
		if method == "" {
			method = f.Method
		}
		at, _ := time.Parse(time.RFC3339, f.At)
		rows = append(rows, row{at, []string{p.Name, p.Org, model.RoleLabel[p.Role], venueClock(f.At), f.Desk, method,
			yesNo(p.Source == "walkin"), strconv.Itoa(repeats)}})
	}
	cs.data.RUnlock()
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].at.Before(rows[j].at) })
	out := [][]string{{"姓名", "单位", "参会类型", "签到时间", "签到台", "方式", "现场报名", "重复扫码"}}
	for _, r := range rows {
		out = append(out, r.cells)
	}
	return out, nil
}

// meetingRows is 洽谈明细 (every meeting in time order, with its outcome)
// and 签约项目 (the signed ones, with both parties and the amount).
func (s *SummaryService) meetingRows() (meetings, signed [][]string, err error) {
	views, err := s.match.Meetings()
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.match.Session()
	if err != nil {
		return nil, nil, err
	}
	start := map[string]string{}
	for _, sl := range sess.Slots {
		start[sl.ID] = venueClock(sl.Start)
	}
	meetings = [][]string{{"时间", "洽谈桌", "发起方", "发起单位", "对接方", "对接单位", "主题", "状态", "结果", "合作意向", "转化方式", "已签约", "金额（万元）", "下一步", "跟进日期", "备注"}}
	signed = [][]string{{"发起方", "发起单位", "对接方", "对接单位", "主题", "转化方式", "金额（万元）", "时间", "洽谈桌"}}
	for _, m := range views {
		at, table := start[m.Slot], shortTableLabel(sess, m.Table)
		r := []string{at, table, m.FromName, m.FromOrg, m.ToName, m.ToOrg, m.Topic, meetingStatusLabel[m.Status]}
		if o := m.Outcome; o != nil {
			r = append(r, outcomeResultLabel[o.Result], yesNo(o.Intended), figures.ModeLabels[o.Mode], yesNo(o.Signed), figures.Wan(o.Amount), o.NextStep, o.FollowUp, o.Notes)
			if o.Signed {
				signed = append(signed, []string{m.FromName, m.FromOrg, m.ToName, m.ToOrg, m.Topic, figures.ModeLabels[o.Mode], figures.Wan(o.Amount), at, table})
			}
		}
		meetings = append(meetings, r)
	}
	return meetings, signed, nil
}
