export default {
  app: { title: '赋智会务台', subtitle: '科技成果赋智中小企业 · 深度行' },
  nav: { overview: '活动概览', desk: '签到台', dashboard: '签到看板', participants: '参会人', catalog: '成果与需求', events: '活动管理' },
  lang: { switch: 'English' },
  role: {
    sme: '中小企业', university: '高校', institute: '科研院所', enterprise: '大企业',
    investor: '投资/金融机构', service: '服务机构', government: '政府', media: '媒体', '': '未分类',
  },
  format: { forum: '开幕论坛', roadshow: '成果路演', matchmaking: '供需对接', exhibition: '展览展示', industry_finance: '产融对接' },
  event: {
    none: '尚未打开活动', demo: '示例活动', create: '新建活动', open: '打开', openDemo: '打开示例活动', close: '关闭活动',
    recent: '最近的活动', recentEmpty: '还没有打开过活动', missing: '文件已不存在', backup: '备份',
    backupDone: '已备份到 {path}', name: '活动名称', startDate: '开始日期', endDate: '结束日期', venue: '场馆',
    province: '省份', city: '城市', organizer: '主办单位', chains: '产业链', formats: '活动形式', path: '文件位置',
    rotateKey: '重置胸卡密钥', rotateTitle: '重置胸卡密钥（胸卡丢失或密钥泄露时）', rotateWarn: '重置后，所有已打印的胸卡都将无法签到，必须全部重新打印。请输入完整的活动名称以确认：', rotated: '胸卡密钥已重置，请重新打印全部胸卡',
    openPath: '按文件路径打开', created: '活动已创建', save: '保存', chainsHint: '输入后回车，可填多个',
  },
  overview: {
    participants: '参会人', orgs: '参会单位', achievements: '成果', demands: '需求', byRole: '按参会类型',
    file: '活动文件', station: '本机编号', dates: '日期',
  },
  roster: {
    search: '搜索姓名、单位、手机号或邮箱', allRoles: '全部类型', add: '添加参会人', import: '导入报名表', export: '导出 Excel',
    exportUnmasked: '导出（含完整手机号）', total: '共 {n} 人', edit: '编辑', delete: '删除', deleteConfirm: '确定删除 {name}？操作会记录在日志中。',
    deleted: '已删除', saved: '已保存', name: '姓名', org: '单位', title: '职务', mobile: '手机号', email: '邮箱', role: '参会类型',
    creditCode: '统一社会信用代码', chain: '产业链', note: '备注', consent: '同意向国家平台提供联系方式', actions: '操作', empty: '没有符合条件的参会人',
  },
  import: {
    title: '导入报名表', pick: '选择 CSV 或 Excel 文件', hint: '支持 UTF-8、GBK（Excel 中文 CSV）与 .xlsx；同一人再次导入会更新而不是重复添加。',
    mapping: '核对列对应关系', column: '文件中的列', field: '对应字段', ignore: '（不导入）', sample: '示例', detected: '识别为 {format}，编码 {encoding}，数据 {rows} 行（表头在第 {header} 行）',
    run: '开始导入', again: '再导入一个文件', done: '导入完成', imported: '新增', updated: '更新', unchanged: '无变化', rejected: '未导入',
    duplicates: '文件内重复', row: '行号', reason: '原因', unknownRoles: '以下行的参会类型无法识别，已导入但未分类', noIssues: '所有行均已导入',
    reasons: { 'missing name': '缺少姓名', 'invalid mobile': '手机号无效', 'bad credit code': '统一社会信用代码校验失败', 'invalid email': '邮箱格式不正确', 'duplicate in file': '文件内重复' },
    fields: { name: '姓名', org: '单位', title: '职务', mobile: '手机号', email: '邮箱', role: '参会类型', creditCode: '统一社会信用代码', chain: '产业链', note: '备注', consent: '同意共享' },
  },
  catalog: {
    achievements: '成果', demands: '需求', title: '名称', owner: '成果单位', chain: '产业链', trl: '技术成熟度', patents: '专利', modes: '转化方式',
    price: '意向价格（万元）', sme: '需求企业', budget: '预算（万元）', challenge: '发榜',
    modeNames: { assignment: '转让', license: '许可', equity: '作价入股', joint_dev: '合作开发', service: '技术服务' },
  },
  desk: {
    title: '签到台', deskNo: '签到台编号', scanHint: '扫描胸卡二维码，或输入姓名 / 拼音 / 首字母 / 手机尾号 / 单位搜索',
    undo: '撤销上一次签到', undone: '已撤销 {name} 的签到', walkIn: '现场报名', camera: '拍照扫码', checkIn: '签到',
    badge: '打印胸卡', checkedIn: '已签到 {at} · {desk} 号台', notIn: '未签到', noHits: '没有找到匹配的参会人', layout: '胸卡版式',
    walkInTitle: '现场报名（登记 + 签到 + 打印胸卡）', walkInDone: '已登记并签到，胸卡已生成', saved: '已保存到 {path}',
    cameraFail: '照片中没有识别到二维码，请靠近一些再拍', ready: '请扫码', idle: '等待扫码…',
    results: { ok: '签到成功', duplicate: '重复签到', revoked: '胸卡已作废', forged: '无效胸卡', foreign: '非本活动胸卡', unknown: '查无此人', malformed: '无法识别' },
  },
  dash: {
    title: '签到看板', arrived: '已到', expected: '应到', rate: '到场率', walkIns: '现场报名', repeats: '重复扫码', byRole: '按参会类型',
    byQuarter: '每 15 分钟到场', byDesk: '各签到台', recent: '最新到场', fullscreen: '全屏', updated: '更新于 {t}',
  },
  badges: {
    print: '打印胸卡', all: '全部参会人', unprinted: '尚未打印的', filtered: '当前类型筛选', one: '胸卡', reprint: '补打（旧胸卡作废）',
    reprintConfirm: '为 {name} 补打新胸卡？旧胸卡将无法再签到。', done: '胸卡已生成',
  },
  common: { cancel: '取消', confirm: '确定', loading: '加载中…', error: '出错了', retry: '重试' },
}
