package importer

import (
	"strings"
)

// Request columns: organizers collect 洽谈意向 in a sheet before the event,
// one row per "who wants to meet whom".
var requestHeaders = map[string][]string{
	"from":     {"发起人", "发起方", "申请人", "约见人", "from"},
	"fromOrg":  {"发起单位", "发起方单位", "申请单位", "from_org"},
	"to":       {"对接对象", "被约人", "约见对象", "对象", "to"},
	"toOrg":    {"对象单位", "被约单位", "对接单位", "to_org"},
	"priority": {"优先级", "意向程度", "priority"},
	"topic":    {"洽谈主题", "主题", "对接内容", "topic"},
	"status":   {"状态", "是否接受", "status"},
}

var priorityWords = map[string]string{
	"必须": "must", "必约": "must", "强烈": "must", "must": "must", "3": "must", "高": "must",
	"希望": "want", "want": "want", "2": "want", "中": "want", "": "want",
	"可以": "could", "可选": "could", "could": "could", "1": "could", "低": "could",
}

// RequestRow is one meeting wish as written in the sheet; the people are
// still words (a name, a phone, an id) for the caller to resolve.
type RequestRow struct {
	Row      int
	From     string
	FromOrg  string
	To       string
	ToOrg    string
	Priority string // must, want, could
	Topic    string
	Accepted bool
}

// Requests reads a sheet of meeting requests.
func Requests(t *Table) ([]RequestRow, []Rejected, error) {
	col := columns(t.Headers, requestHeaders)
	for _, need := range []string{"from", "to"} {
		if _, ok := col[need]; !ok {
			return nil, nil, sayNoRequestColumns.Err()
		}
	}
	var out []RequestRow
	var rej []Rejected
	for i, row := range t.Rows {
		n := t.RowNums[i]
		r := RequestRow{Row: n, From: cell(row, col, "from"), FromOrg: cell(row, col, "fromOrg"),
			To: cell(row, col, "to"), ToOrg: cell(row, col, "toOrg"), Topic: cell(row, col, "topic")}
		if r.From == "" || r.To == "" {
			rej = append(rej, Rejected{Row: n, Reason: "missing_person", Message: sayMissingPerson.Say()})
			continue
		}
		p, ok := priorityWords[strings.ToLower(cell(row, col, "priority"))]
		if !ok {
			rej = append(rej, Rejected{Row: n, Reason: "bad_priority", Message: sayBadPriority.Say("value", cell(row, col, "priority"))})
			continue
		}
		r.Priority = p
		switch cell(row, col, "status") {
		case "已接受", "接受", "是", "accepted", "同意":
			r.Accepted = true
		}
		out = append(out, r)
	}
	return out, rej, nil
}
