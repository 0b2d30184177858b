// Package dict holds the dictionaries that let figures from different
// events add up: industry chains by a national code, and administrative
// divisions by their GB/T 2260 code. Organizers type chains and places as
// they please ("高端装备", "装备制造", "济南"); the dictionaries map the
// usual words to one entry, and what they cannot map is left to a person
// (the review step), never guessed.
package dict

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Chain is an industry chain of the national dictionary.
type Chain struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	En      string   `json:"en"` // the English name, for the English screens
	Aliases []string `json:"aliases,omitempty"`
}

// Chains are the national categories: the nine of the statistics bureau's
// classification of strategic emerging industries (2018), then the
// traditional industries the provincial plans name. The aliases are the
// words organizers' sheets use, the provinces' own chain names included
// (Shandong's 十强产业: 新一代信息技术, 高端装备, 新能源新材料, 现代海洋,
// 医养健康, 绿色化工, 现代高效农业, 文化创意, 精品旅游, 现代金融服务).
var Chains = []Chain{
	{"SEI01", "新一代信息技术", "New-generation information technology", []string{"新一代信息技术产业", "信息技术", "电子信息", "集成电路", "芯片", "半导体", "人工智能", "软件", "工业互联网", "大数据", "云计算", "通信", "5g", "新型显示", "物联网", "数字经济", "信创"}},
	{"SEI02", "高端装备制造", "High-end equipment manufacturing", []string{"高端装备", "高端装备制造产业", "装备制造", "智能制造", "数控机床", "机床", "机器人", "航空航天", "轨道交通", "船舶", "海洋工程装备", "工程机械", "仪器仪表", "精密仪器", "农机装备", "激光", "智能装备"}},
	{"SEI03", "新材料", "New materials", []string{"新材料产业", "先进材料", "新能源新材料", "高分子材料", "复合材料", "碳纤维", "稀土", "石墨烯", "前沿材料"}},
	{"SEI04", "生物医药", "Biomedicine", []string{"生物产业", "生物", "生物医药", "医药", "现代医药", "医疗器械", "中医药", "生物技术", "医养健康", "大健康", "健康", "生物育种"}},
	{"SEI05", "新能源汽车", "New-energy vehicles", []string{"新能源汽车产业", "智能网联汽车", "汽车", "动力电池", "汽车零部件"}},
	{"SEI06", "新能源", "New energy", []string{"新能源产业", "光伏", "风电", "氢能", "储能", "核电", "太阳能", "新能源装备"}},
	{"SEI07", "节能环保", "Energy saving and environmental protection", []string{"节能环保产业", "环保", "节能", "资源循环利用", "水处理", "固废处理", "大气治理", "碳中和", "绿色低碳"}},
	{"SEI08", "数字创意", "Digital creative industries", []string{"数字创意产业", "文化创意", "创意设计", "动漫", "游戏", "数字内容"}},
	{"SEI09", "相关服务业", "Related services", []string{"科技服务", "检验检测", "知识产权服务", "现代服务业", "现代金融服务", "金融服务", "现代金融"}},
	{"AGR", "现代农业", "Modern agriculture", []string{"农业", "现代高效农业", "种业", "食品", "食品加工", "智慧农业", "畜牧", "渔业"}},
	{"CHEM", "化工", "Chemicals", []string{"绿色化工", "高端化工", "石化", "精细化工", "石油化工"}},
	{"LIGHT", "轻工纺织", "Light industry and textiles", []string{"现代轻工纺织", "纺织", "轻工", "服装", "家电", "造纸"}},
	{"METAL", "冶金建材", "Metallurgy and building materials", []string{"冶金", "钢铁", "有色金属", "建材"}},
	{"MARINE", "海洋产业", "Marine industries", []string{"现代海洋", "海洋", "海洋经济", "海洋产业"}},
	{"TOUR", "文化旅游", "Culture and tourism", []string{"精品旅游", "旅游", "文旅"}},
}

// ChainByCode finds a chain of the dictionary.
func ChainByCode(code string) (Chain, bool) {
	for _, c := range Chains {
		if c.Code == code {
			return c, true
		}
	}
	return Chain{}, false
}

// ChainOf maps a chain as typed to the dictionary: its name or an alias
// exactly, else the longest name or alias the text contains ("新能源汽车
// 零部件" is 新能源汽车, not 新能源). ok is false for a text it cannot map.
func ChainOf(text string) (Chain, bool) {
	t := normal(text)
	if t == "" {
		return Chain{}, false
	}
	best, bestLen := -1, 0
	for _, w := range chainWords {
		if w.word == t {
			return Chains[w.chain], true
		}
		if w.runes > bestLen && strings.Contains(t, w.word) {
			best, bestLen = w.chain, w.runes
		}
	}
	if best < 0 {
		return Chain{}, false
	}
	return Chains[best], true
}

// chainWord is a chain's name or alias, normalised, and its length.
type chainWord struct {
	word         string
	runes, chain int
}

// chainWords are every chain's name and aliases, normalised once: the
// summary and the platform look a chain up for every meeting.
var chainWords = func() []chainWord {
	var out []chainWord
	for i, c := range Chains {
		for _, w := range append([]string{c.Name}, c.Aliases...) {
			w = normal(w)
			out = append(out, chainWord{w, utf8.RuneCountInString(w), i})
		}
	}
	return out
}()

// Resolve maps a chain as typed the way every figure counts it: the
// organizer's word first (mapped gives the code they chose for the text's
// Key, "" for none of the list, and whether they said anything), then the
// dictionary's words. ok is false when it counts as typed; said is whether
// the organizer's word decided.
func Resolve(text string, mapped func(key string) (code string, said bool)) (c Chain, ok, said bool) {
	if mapped != nil {
		if code, said := mapped(Key(text)); said {
			c, ok := ChainByCode(code)
			return c, ok, true
		}
	}
	c, ok = ChainOf(text)
	return c, ok, false
}

// MeetingChain is the chain a meeting counts under, as typed: either
// side's (the first that has one), else the event's first; "" for none.
func MeetingChain(from, to string, eventChains []string) string {
	switch {
	case from != "":
		return from
	case to != "":
		return to
	case len(eventChains) > 0:
		return eventChains[0]
	}
	return ""
}

// Division is an administrative division: a province-level one (code
// XX0000) or a prefecture-level city (XXXX00), by GB/T 2260.
type Division struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Province is the code's province (its first two digits, then 0000).
func (d Division) Province() string {
	if len(d.Code) != 6 {
		return ""
	}
	return d.Code[:2] + "0000"
}

// Provinces are the 34 province-level divisions.
var Provinces = []Division{
	{"110000", "北京市"}, {"120000", "天津市"}, {"130000", "河北省"}, {"140000", "山西省"}, {"150000", "内蒙古自治区"},
	{"210000", "辽宁省"}, {"220000", "吉林省"}, {"230000", "黑龙江省"}, {"310000", "上海市"}, {"320000", "江苏省"},
	{"330000", "浙江省"}, {"340000", "安徽省"}, {"350000", "福建省"}, {"360000", "江西省"}, {"370000", "山东省"},
	{"410000", "河南省"}, {"420000", "湖北省"}, {"430000", "湖南省"}, {"440000", "广东省"}, {"450000", "广西壮族自治区"},
	{"460000", "海南省"}, {"500000", "重庆市"}, {"510000", "四川省"}, {"520000", "贵州省"}, {"530000", "云南省"},
	{"540000", "西藏自治区"}, {"610000", "陕西省"}, {"620000", "甘肃省"}, {"630000", "青海省"}, {"640000", "宁夏回族自治区"},
	{"650000", "新疆维吾尔自治区"}, {"710000", "台湾省"}, {"810000", "香港特别行政区"}, {"820000", "澳门特别行政区"},
}

// Cities are the prefecture-level cities the dictionary knows: every city
// of Shandong, and the provincial capitals and cities with separate
// planning elsewhere. A city it does not know is kept as typed and shown
// for review; the province still counts.
var Cities = []Division{
	{"370100", "济南市"}, {"370200", "青岛市"}, {"370300", "淄博市"}, {"370400", "枣庄市"}, {"370500", "东营市"}, {"370600", "烟台市"},
	{"370700", "潍坊市"}, {"370800", "济宁市"}, {"370900", "泰安市"}, {"371000", "威海市"}, {"371100", "日照市"}, {"371300", "临沂市"},
	{"371400", "德州市"}, {"371500", "聊城市"}, {"371600", "滨州市"}, {"371700", "菏泽市"},
	{"130100", "石家庄市"}, {"140100", "太原市"}, {"150100", "呼和浩特市"}, {"210100", "沈阳市"}, {"210200", "大连市"}, {"220100", "长春市"},
	{"230100", "哈尔滨市"}, {"320100", "南京市"}, {"320500", "苏州市"}, {"330100", "杭州市"}, {"330200", "宁波市"}, {"340100", "合肥市"},
	{"350100", "福州市"}, {"350200", "厦门市"}, {"360100", "南昌市"}, {"410100", "郑州市"}, {"420100", "武汉市"}, {"430100", "长沙市"},
	{"440100", "广州市"}, {"440300", "深圳市"}, {"450100", "南宁市"}, {"460100", "海口市"}, {"510100", "成都市"}, {"520100", "贵阳市"},
	{"530100", "昆明市"}, {"540100", "拉萨市"}, {"610100", "西安市"}, {"620100", "兰州市"}, {"630100", "西宁市"}, {"640100", "银川市"},
	{"650100", "乌鲁木齐市"},
}

// ProvinceOf maps a province as typed ("山东", "山东省", "内蒙古",
// "370000") to its division.
func ProvinceOf(text string) (Division, bool) {
	t := normal(text)
	if t == "" {
		return Division{}, false
	}
	for _, p := range Provinces {
		if t == p.Code || t == p.Name || t == short(p.Name) {
			return p, true
		}
	}
	return Division{}, false
}

// CityOf maps a city as typed ("济南", "济南市", "370100") to its
// division; a municipality (北京, 上海, 天津, 重庆) is its own city.
func CityOf(text string) (Division, bool) {
	t := normal(text)
	if t == "" {
		return Division{}, false
	}
	for _, c := range Cities {
		if t == c.Code || t == c.Name || t == short(c.Name) {
			return c, true
		}
	}
	for _, p := range []string{"110000", "120000", "310000", "500000"} {
		if d, ok := ProvinceOf(p); ok && (t == d.Name || t == short(d.Name)) {
			return d, true
		}
	}
	return Division{}, false
}

// CitiesOf lists the dictionary's cities of a province, by code.
func CitiesOf(province string) []Division {
	out := []Division{}
	for _, c := range Cities {
		if c.Province() == province {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// short is a division's name without its level ("山东省" → "山东",
// "内蒙古自治区" → "内蒙古", "济南市" → "济南").
func short(name string) string {
	for _, suffix := range []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"} {
		if s, ok := strings.CutSuffix(name, suffix); ok && s != "" {
			return s
		}
	}
	return name
}

func normal(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }

// Key is the form a chain as typed is kept and looked up under: without
// spaces, in lower case, so "高端 装备" and "高端装备" are one.
func Key(text string) string { return normal(text) }
