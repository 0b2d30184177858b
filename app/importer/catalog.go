package importer

import (
	"strconv"
	"strings"

	"github.com/fuzhi/eventdesk/model"
)

// Catalog columns: achievements (成果) and demands (需求) come as
// spreadsheets too, from the provincial 成果库 and 需求库 exports.
var achievementHeaders = map[string][]string{
	"title":    {"成果名称", "项目名称", "成果", "名称", "title"},
	"owner":    {"成果单位", "完成单位", "持有单位", "单位名称", "单位", "owner"},
	"contact":  {"联系人", "负责人", "成果负责人"},
	"chain":    {"产业链", "所属产业链", "领域", "技术领域", "chain"},
	"keywords": {"关键词", "关键字", "keywords"},
	"trl":      {"技术成熟度", "成熟度", "trl"},
	"patents":  {"专利数", "专利数量", "专利", "patents"},
	"modes":    {"转化方式", "合作方式", "交易方式", "modes"},
	"price":    {"意向价格", "价格（万元）", "意向价格（万元）", "价格", "price"},
	"summary":  {"成果简介", "简介", "摘要", "summary"},
}

var demandHeaders = map[string][]string{
	"title":     {"需求名称", "技术需求", "需求", "名称", "title"},
	"sme":       {"需求企业", "企业名称", "单位名称", "企业", "sme"},
	"contact":   {"联系人", "负责人"},
	"desc":      {"需求描述", "需求内容", "描述", "详细描述", "description"},
	"chain":     {"产业链", "所属产业链", "领域", "chain"},
	"budget":    {"预算", "预算（万元）", "意向金额", "拟投入资金", "budget"},
	"challenge": {"是否发榜", "发榜", "揭榜挂帅", "challenge"},
	"deadline":  {"揭榜截止", "截止日期", "揭榜截止日期", "deadline"},
}

// modeWords are the names a catalog may use for a transfer mode: each
// mode's own name, and the synonyms seen in provincial catalogs.
var modeWords = func() map[string]model.TransferMode {
	words := map[string]model.TransferMode{"入股": model.TransferEquity, "技术开发": model.TransferJointDev, "开放许可制度": model.TransferOpenLicense}
	for m, name := range model.TransferModeNames {
		words[name] = m
	}
	return words
}()

func columns(headers []string, words map[string][]string) map[string]int {
	col := map[string]int{}
	for _, pass := range []bool{true, false} {
		for field, ws := range words {
			if _, done := col[field]; done {
				continue
			}
			for i, h := range headers {
				h = strings.ToLower(strings.Trim(strings.TrimSpace(h), "*＊"))
				for _, w := range ws {
					if (pass && h == w) || (!pass && len([]rune(w)) >= 2 && strings.Contains(h, w)) {
						if _, taken := col[field]; !taken {
							col[field] = i
						}
					}
				}
			}
		}
	}
	return col
}

func cell(row []string, col map[string]int, field string) string {
	i, ok := col[field]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// split reads "激光；切割、调焦" style lists.
func split(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，;；、/| 　", r) })
	return f
}

func number(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "万元"), "万"))
	if s == "" || s == "面议" {
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v >= 0
}

// CatalogRow is a good row with its spreadsheet row number and, for the
// link to a participant, the contact person named in it.
type CatalogRow[T any] struct {
	Row     int
	Item    T
	Contact string
}

// Achievements reads an achievement catalog.
func Achievements(t *Table) ([]CatalogRow[model.Achievement], []Rejected, error) {
	col := columns(t.Headers, achievementHeaders)
	if _, ok := col["title"]; !ok {
		return nil, nil, sayNoTitleColumn.Err()
	}
	var out []CatalogRow[model.Achievement]
	var rej []Rejected
	for i, row := range t.Rows {
		n := t.RowNums[i]
		a := model.Achievement{Title: model.CleanName(cell(row, col, "title")), Owner: model.CleanName(cell(row, col, "owner")),
			Chain: cell(row, col, "chain"), Keywords: split(cell(row, col, "keywords")), Summary: cell(row, col, "summary")}
		if a.Title == "" {
			rej = append(rej, Rejected{Row: n, Reason: "missing title", Message: sayMissingTitle.Say()})
			continue
		}
		if s := cell(row, col, "trl"); s != "" {
			v, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(s), "TRL")))
			if err != nil || v < 1 || v > 9 {
				rej = append(rej, Rejected{Row: n, Reason: "bad trl", Message: sayBadTRL.Say("value", s)})
				continue
			}
			a.TRL = v
		}
		if s := cell(row, col, "patents"); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				rej = append(rej, Rejected{Row: n, Reason: "bad patents", Message: sayBadPatents.Say("value", s)})
				continue
			}
			a.Patents = v
		}
		for _, w := range split(cell(row, col, "modes")) {
			if m, ok := modeWords[w]; ok {
				a.TransferModes = append(a.TransferModes, m)
			}
		}
		v, ok := number(cell(row, col, "price"))
		if !ok {
			rej = append(rej, Rejected{Row: n, Reason: "bad price", Message: sayBadPrice.Say("value", cell(row, col, "price"))})
			continue
		}
		a.AskingPrice = v
		out = append(out, CatalogRow[model.Achievement]{Row: n, Item: a, Contact: model.CleanName(cell(row, col, "contact"))})
	}
	return out, rej, nil
}

// Demands reads a demand catalog.
func Demands(t *Table) ([]CatalogRow[model.Demand], []Rejected, error) {
	col := columns(t.Headers, demandHeaders)
	if _, ok := col["title"]; !ok {
		return nil, nil, sayNoDemandColumn.Err()
	}
	var out []CatalogRow[model.Demand]
	var rej []Rejected
	for i, row := range t.Rows {
		n := t.RowNums[i]
		d := model.Demand{Title: model.CleanName(cell(row, col, "title")), SME: model.CleanName(cell(row, col, "sme")),
			Description: cell(row, col, "desc"), Chain: cell(row, col, "chain")}
		if d.Title == "" {
			rej = append(rej, Rejected{Row: n, Reason: "missing title", Message: sayMissingDemand.Say()})
			continue
		}
		v, ok := number(cell(row, col, "budget"))
		if !ok {
			rej = append(rej, Rejected{Row: n, Reason: "bad budget", Message: sayBadBudget.Say("value", cell(row, col, "budget"))})
			continue
		}
		d.Budget = v
		switch cell(row, col, "challenge") {
		case "是", "发榜", "y", "yes", "1", "√":
			d.Challenge = true
		}
		if v := cell(row, col, "deadline"); v != "" {
			day, ok := model.ParseDay(v)
			if !ok {
				rej = append(rej, Rejected{Row: n, Reason: "bad deadline", Message: sayBadDeadline.Say("value", v)})
				continue
			}
			d.Deadline = day
		}
		out = append(out, CatalogRow[model.Demand]{Row: n, Item: d, Contact: model.CleanName(cell(row, col, "contact"))})
	}
	return out, rej, nil
}
