// Package demo makes the built-in demo event: a realistic 深度行 in Jinan
// so a first start shows a living product rather than an empty screen. The
// people and companies are fictional; the data is the same on every machine.
package demo

import (
	"fmt"
	"math/rand"

	"github.com/fuzhi/eventdesk/model"
)

// Data is everything the demo event holds.
type Data struct {
	Event        model.Event
	Participants []model.Participant
	Achievements []model.Achievement
	Demands      []model.Demand
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "华", "鹏", "辉", "玲", "丹", "建华", "志强", "晓东", "海燕", "国栋", "文博", "思远", "雨萱", "子涵", "浩然", "欣怡", "宇航", "梓萱", "俊杰", "嘉怡", "立新", "春梅", "建国", "红霞", "振宇", "晨", "博", "颖", "昊", "琳", "凯", "悦", "峰", "蕾"}
	chains   = []string{"高端装备", "新材料", "新一代信息技术", "现代海洋", "绿色化工", "医养健康"}
	cities   = []string{"济南", "青岛", "淄博", "烟台", "潍坊", "威海", "济宁", "临沂", "德州", "聊城", "滨州", "枣庄"}
	smeWords = []string{"精工", "智能装备", "数控", "激光", "新材料", "传感", "液压", "机器人", "海洋科技", "精密机械", "智造", "电子", "特种材料", "工业软件", "节能环保", "生物医药"}
	smeTails = []string{"有限公司", "股份有限公司", "科技有限公司"}

	universities = []string{"山东大学", "中国海洋大学", "中国石油大学（华东）", "山东科技大学", "青岛大学", "济南大学", "齐鲁工业大学（山东省科学院）", "山东理工大学", "青岛科技大学", "哈尔滨工业大学（威海）", "山东农业大学", "烟台大学"}
	institutes   = []string{"山东省科学院激光研究所", "中国科学院青岛生物能源与过程研究所", "山东产业技术研究院", "中国科学院海洋研究所", "山东省机械设计研究院", "济南先进动力研究所", "山东省计算中心（国家超级计算济南中心）", "青岛智能产业技术研究院"}
	enterprises  = []string{"鲁信重型装备集团有限公司", "齐鲁动力机械集团有限公司", "泰山钢铁新材料集团有限公司", "半岛智能制造集团有限公司", "黄河数控机床股份有限公司", "海晟船舶重工有限公司"}
	investors    = []string{"齐鲁科创投资基金管理有限公司", "青岛银行科技支行", "山东省新动能基金管理有限公司", "济南科技金融服务中心", "泉城天使投资管理有限公司", "齐鲁银行科技金融事业部"}
	services     = []string{"山东省技术市场协会", "济南市技术转移中心", "山东知识产权运营中心", "青岛技术交易市场"}
	governments  = []string{"山东省工业和信息化厅", "山东省科学技术厅", "济南市工业和信息化局", "山东省知识产权局"}
	media        = []string{"大众日报", "齐鲁晚报", "山东广播电视台"}

	titles = map[model.Role][]string{
		model.RoleSME:        {"董事长", "总经理", "技术总监", "研发经理", "副总经理", "总工程师"},
		model.RoleUniversity: {"教授", "副教授", "研究员", "科技处处长", "技术转移中心主任"},
		model.RoleInstitute:  {"研究员", "副研究员", "所长", "成果转化部部长", "高级工程师"},
		model.RoleEnterprise: {"首席技术官", "采购总监", "研发中心主任", "战略投资部经理"},
		model.RoleInvestor:   {"投资总监", "合伙人", "客户经理", "行长"},
		model.RoleService:    {"秘书长", "技术经纪人", "项目经理"},
		model.RoleGovernment: {"处长", "副处长", "科长", "主任科员"},
		model.RoleMedia:      {"记者", "编辑"},
	}

	achievementStems = []struct {
		title, chain string
		kw           []string
	}{
		{"高功率光纤激光切割头及自适应调焦技术", "高端装备", []string{"激光", "切割", "调焦"}},
		{"五轴联动数控机床热误差补偿系统", "高端装备", []string{"数控", "机床", "热误差"}},
		{"工业机器人高精度减速器", "高端装备", []string{"机器人", "减速器", "精密传动"}},
		{"重载AGV激光SLAM导航系统", "高端装备", []string{"AGV", "导航", "SLAM"}},
		{"液压系统故障智能诊断平台", "高端装备", []string{"液压", "故障诊断", "智能"}},
		{"碳纤维复合材料低成本成型工艺", "新材料", []string{"碳纤维", "复合材料", "成型"}},
		{"高熵合金耐磨涂层制备技术", "新材料", []string{"高熵合金", "涂层", "耐磨"}},
		{"石墨烯改性防腐涂料", "新材料", []string{"石墨烯", "防腐", "涂料"}},
		{"可降解聚乳酸改性材料", "新材料", []string{"可降解", "聚乳酸", "改性"}},
		{"工业互联网设备边缘计算网关", "新一代信息技术", []string{"工业互联网", "边缘计算", "网关"}},
		{"基于机器视觉的表面缺陷检测系统", "新一代信息技术", []string{"机器视觉", "缺陷检测", "质检"}},
		{"国产化工业控制软件PLC编程平台", "新一代信息技术", []string{"工业软件", "PLC", "国产化"}},
		{"海洋牧场水下监测机器人", "现代海洋", []string{"海洋", "水下机器人", "监测"}},
		{"海水淡化反渗透膜组件", "现代海洋", []string{"海水淡化", "反渗透", "膜"}},
		{"船舶尾气脱硫脱硝一体化装置", "现代海洋", []string{"船舶", "脱硫", "环保"}},
		{"低温甲醇合成高效催化剂", "绿色化工", []string{"催化剂", "甲醇", "低碳"}},
		{"化工园区VOCs在线监测与治理", "绿色化工", []string{"VOCs", "监测", "治理"}},
		{"医用可吸收镁合金骨钉", "医养健康", []string{"镁合金", "医疗器械", "可吸收"}},
		{"康复外骨骼机器人", "医养健康", []string{"康复", "外骨骼", "机器人"}},
		{"智能药物递送微针贴片", "医养健康", []string{"微针", "药物递送", "生物材料"}},
	}
	demandStems = []struct{ title, chain, desc string }{
		{"激光焊接质量在线检测", "高端装备", "现有焊缝人工抽检效率低，需要在线实时检测焊接缺陷的方案"},
		{"数控机床加工精度提升", "高端装备", "精密零件加工尺寸波动大，需要热变形补偿或在线测量技术"},
		{"生产线机器人换型改造", "高端装备", "多品种小批量生产，机器人换型时间长，需要快速换型与离线编程"},
		{"液压件密封寿命提升", "高端装备", "高压工况下密封件寿命不足，寻求新材料或结构优化"},
		{"轻量化复合材料零部件", "新材料", "整机减重需求，寻求碳纤维或高强铝合金零部件方案"},
		{"耐腐蚀涂层技术", "新材料", "沿海设备腐蚀严重，需要长效防腐涂层"},
		{"生物基材料替代石油基塑料", "新材料", "包装产品需满足可降解要求，寻求性能相当的替代材料"},
		{"工厂设备数据采集与可视化", "新一代信息技术", "老旧设备协议杂，需要低成本数据采集和看板"},
		{"产品外观缺陷视觉检测", "新一代信息技术", "人工目检漏检率高，需要机器视觉质检方案"},
		{"养殖网箱水质实时监测", "现代海洋", "深远海养殖需要远程监测溶解氧、温度等指标"},
		{"船用设备节能改造", "现代海洋", "船舶能耗高，寻求余热回收或节能控制技术"},
		{"化工废气治理", "绿色化工", "排放指标收紧，需要高效低成本的VOCs治理工艺"},
		{"催化剂国产替代", "绿色化工", "进口催化剂价格高、供货周期长，寻求国产替代"},
		{"康复器械智能化升级", "医养健康", "传统康复器械需增加传感与数据功能"},
	}
)

// Generate builds the demo event for the given start date (YYYY-MM-DD).
func Generate(startDate string) Data {
	r := rand.New(rand.NewSource(20260520))
	d := Data{Event: model.Event{
		ID:        "EDEMO2026",
		Name:      "科技成果赋智中小企业深度行·山东站（高端装备产业链专场）",
		StartDate: startDate, EndDate: startDate,
		Venue: "济南国际会展中心 2 号馆", Province: "山东省", City: "济南市",
		Organizer: "山东省工业和信息化厅、山东省科学技术厅",
		Chains:    []string{"高端装备", "新材料", "新一代信息技术"},
		Formats:   []string{"forum", "roadshow", "matchmaking", "exhibition", "industry_finance"},
		Demo:      true,
	}}
	plan := []struct {
		role  model.Role
		count int
		orgs  func(i int) string
	}{
		{model.RoleSME, 150, func(i int) string { return smeName(r) }},
		{model.RoleUniversity, 36, func(i int) string { return universities[i%len(universities)] }},
		{model.RoleInstitute, 30, func(i int) string { return institutes[i%len(institutes)] }},
		{model.RoleEnterprise, 24, func(i int) string { return enterprises[i%len(enterprises)] }},
		{model.RoleInvestor, 24, func(i int) string { return investors[i%len(investors)] }},
		{model.RoleService, 14, func(i int) string { return services[i%len(services)] }},
		{model.RoleGovernment, 14, func(i int) string { return governments[i%len(governments)] }},
		{model.RoleMedia, 8, func(i int) string { return media[i%len(media)] }},
	}
	codes := map[string]string{}
	n := 0
	for _, pl := range plan {
		for i := 0; i < pl.count; i++ {
			n++
			org := pl.orgs(i)
			p := model.Participant{
				ID:     fmt.Sprintf("PDEMO%04d", n),
				Name:   string(surnames[r.Intn(len(surnames))]) + given[r.Intn(len(given))],
				Org:    org,
				Title:  titles[pl.role][r.Intn(len(titles[pl.role]))],
				Mobile: fmt.Sprintf("1%d%09d", []int{3, 5, 7, 8, 9}[r.Intn(5)], r.Intn(1_000_000_000)),
				Email:  fmt.Sprintf("demo%03d@example.cn", n),
				Role:   pl.role,
				Chain:  chains[r.Intn(3)],
				Source: "demo",
			}
			if pl.role == model.RoleSME || pl.role == model.RoleEnterprise || pl.role == model.RoleInvestor {
				if codes[org] == "" {
					codes[org] = creditCode(r)
				}
				p.CreditCode = codes[org]
			}
			if pl.role == model.RoleSME {
				p.Tier = []model.Tier{model.TierLittleGiant, model.TierProvincialSRDI, model.TierInnovative, ""}[r.Intn(4)]
			}
			p.Consent = r.Intn(10) < 7
			d.Participants = append(d.Participants, p)
		}
	}
	owners := filterRole(d.Participants, model.RoleUniversity, model.RoleInstitute, model.RoleEnterprise)
	modes := []model.TransferMode{model.TransferAssignment, model.TransferLicense, model.TransferEquity, model.TransferJointDev, model.TransferService}
	for i := 0; i < 40; i++ {
		st := achievementStems[i%len(achievementStems)]
		owner := owners[r.Intn(len(owners))]
		title := st.title
		if i >= len(achievementStems) {
			title += []string{"（二期）", "及产业化应用", "（升级版）"}[r.Intn(3)]
		}
		a := model.Achievement{
			ID: fmt.Sprintf("ADEMO%03d", i+1), Title: title, Owner: owner.Org, OwnerID: owner.ID, Chain: st.chain,
			Keywords: st.kw, TRL: 4 + r.Intn(5), Patents: r.Intn(12),
			TransferModes: []model.TransferMode{modes[r.Intn(3)], modes[3+r.Intn(2)]},
			AskingPrice:   float64(20 + r.Intn(60)*10),
			Summary:       "已完成" + []string{"样机验证", "中试", "小批量应用", "工程化验证"}[r.Intn(4)] + "，可面向中小企业开展" + []string{"技术许可", "合作开发", "成果转让"}[r.Intn(3)] + "。",
		}
		d.Achievements = append(d.Achievements, a)
	}
	smes := filterRole(d.Participants, model.RoleSME)
	for i := 0; i < 40; i++ {
		st := demandStems[i%len(demandStems)]
		sme := smes[r.Intn(len(smes))]
		d.Demands = append(d.Demands, model.Demand{
			ID: fmt.Sprintf("DDEMO%03d", i+1), Title: st.title, SME: sme.Org, SMEID: sme.ID, Description: st.desc,
			Chain: st.chain, Budget: float64(10 + r.Intn(30)*10), Challenge: i%7 == 0,
		})
	}
	return d
}

func smeName(r *rand.Rand) string {
	return cities[r.Intn(len(cities))] + []string{"恒", "泰", "瑞", "华", "鲁", "海", "德", "鑫", "博", "远", "创", "晟"}[r.Intn(12)] +
		[]string{"达", "源", "信", "宇", "通", "科", "力", "航", "诚", "联"}[r.Intn(10)] + smeWords[r.Intn(len(smeWords))] + smeTails[r.Intn(len(smeTails))]
}

// creditCode makes a well-formed 统一社会信用代码 for a fictional company
// (registration authority 9, type 1, a Shandong region code, valid check).
func creditCode(r *rand.Rand) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte("9137" + fmt.Sprintf("%04d", 100+r.Intn(9000)))
	for len(b) < 17 {
		b = append(b, alphabet[r.Intn(len(alphabet))])
	}
	c, _ := model.CreditCodeCheckChar(string(b))
	return string(append(b, c))
}

func filterRole(ps []model.Participant, roles ...model.Role) []model.Participant {
	var out []model.Participant
	for _, p := range ps {
		for _, r := range roles {
			if p.Role == r {
				out = append(out, p)
			}
		}
	}
	return out
}
