package importer

import "strings"

// Field is a participant attribute a column can be mapped to.
type Field string

const (
	FieldIgnore     Field = ""
	FieldID         Field = "id" // the event's own 编号, from the app's export
	FieldName       Field = "name"
	FieldOrg        Field = "org"
	FieldTitle      Field = "title"
	FieldMobile     Field = "mobile"
	FieldEmail      Field = "email"
	FieldRole       Field = "role"
	FieldCategory   Field = "category"
	FieldCreditCode Field = "creditCode"
	FieldChain      Field = "chain"
	FieldNote       Field = "note"
	FieldConsent    Field = "consent"
	FieldTier       Field = "tier" // an SME's level: 专精特新“小巨人”, 省级专精特新, 创新型
)

// Fields lists the mappable fields, in the order the mapping step shows them.
var Fields = []Field{FieldID, FieldName, FieldOrg, FieldTitle, FieldMobile, FieldEmail, FieldRole, FieldCategory, FieldCreditCode, FieldChain, FieldTier, FieldNote, FieldConsent}

// headerWords are the column titles seen in real registration exports.
// Exact matches are tried first, then containment, so "单位名称（全称）" works.
var headerWords = []struct {
	field Field
	words []string
}{
	{FieldID, []string{"编号", "参会人编号", "id"}},
	{FieldCreditCode, []string{"统一社会信用代码", "社会信用代码", "信用代码", "credit code", "creditcode"}},
	{FieldName, []string{"姓名", "名字", "参会人", "参会人员", "联系人", "name"}},
	{FieldOrg, []string{"单位", "单位名称", "工作单位", "公司", "公司名称", "企业名称", "机构名称", "机构", "organization", "org", "company"}},
	{FieldTitle, []string{"职务", "职位", "职称", "title", "position"}},
	{FieldMobile, []string{"手机", "手机号", "手机号码", "移动电话", "联系电话", "电话", "mobile", "phone"}},
	{FieldEmail, []string{"邮箱", "电子邮箱", "电子邮件", "email", "e-mail"}},
	{FieldCategory, []string{"胸卡类别", "参会类别", "嘉宾类别", "人员类别", "类别", "category"}},
	{FieldRole, []string{"参会类型", "参会身份", "身份", "类型", "单位类型", "role"}},
	{FieldChain, []string{"产业链", "所属产业链", "行业", "chain"}},
	{FieldTier, []string{"企业资质", "资质认定", "认定等级", "企业等级", "专精特新", "专精特新等级", "企业层级", "tier"}},
	{FieldNote, []string{"备注", "note", "notes"}},
	{FieldConsent, []string{"同意共享", "授权", "同意", "consent"}},
}

func guessField(header string) Field {
	h := strings.ToLower(strings.TrimSpace(header))
	h = strings.Trim(h, "*＊ ")
	if h == "" {
		return FieldIgnore
	}
	for _, hw := range headerWords {
		for _, w := range hw.words {
			if h == w {
				return hw.field
			}
		}
	}
	for _, hw := range headerWords {
		for _, w := range hw.words {
			if len([]rune(w)) >= 2 && strings.Contains(h, w) {
				return hw.field
			}
		}
	}
	return FieldIgnore
}

// GuessMapping proposes a field for each column; the user confirms or fixes
// it in the mapping step. A field is given to the first column that claims it.
func GuessMapping(headers []string) []Field {
	m := make([]Field, len(headers))
	taken := map[Field]bool{}
	for i, h := range headers {
		f := guessField(h)
		if f != FieldIgnore && !taken[f] {
			m[i] = f
			taken[f] = true
		}
	}
	return m
}
