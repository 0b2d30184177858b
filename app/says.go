package app

import "github.com/fuzhi/eventdesk/model/msg"

// What the services say to people (model/msg): the Chinese here, the
// English in the frontend's catalog (frontend/src/i18n/server-en.ts).
var (
	// The desk: every answer a badge scan can get.
	sayWelcome       = msg.Define("scan.welcome", "欢迎，{name}！")
	sayAlreadyIn     = msg.Define("scan.alreadyIn", "{name} 已于 {time} 在 {desk} 号签到台签到")
	sayNotACode      = msg.Define("scan.notACode", "这不是赋智会务台的胸卡码")
	sayBarcode       = msg.Define("scan.barcode", "这是商品条码，不是胸卡：请扫描胸卡上的二维码")
	sayLowercase     = msg.Define("scan.lowercase", "扫码枪处于小写状态：请关闭大写锁定（Caps Lock）后重新扫描")
	sayTruncated     = msg.Define("scan.truncated", "胸卡码不完整，请重新扫描")
	sayMalformed     = msg.Define("scan.malformed", "胸卡码格式错误，请人工核对身份")
	sayForeignBadge  = msg.Define("scan.foreign", "这是其他活动（{event}）的胸卡，不能在本活动使用")
	sayForgedBadge   = msg.Define("scan.forged", "无效胸卡：签名不符，可能是伪造或已重置密钥，请人工核对身份")
	sayUnknownHolder = msg.Define("scan.unknownHolder", "胸卡签名有效，但名单中没有此人（可能已被删除），请到服务台处理")
	sayRevokedBadge  = msg.Define("scan.revoked", "此胸卡已作废（已补打第 {version} 版），请收回旧胸卡并核对身份")
	sayNoUndo        = msg.Define("scan.nothingToUndo", "{desk} 号签到台没有可撤销的签到")
	sayUndoMoved     = msg.Define("scan.undoMoved", "{desk} 号签到台的上一次签到已变为 {name}，未撤销，请重新确认")

	// The exhibitor's phone: a badge scanned at a booth.
	sayLeadKept  = msg.Define("lead.kept", "已记录：{name} · {org}")
	sayLeadNoted = msg.Define("lead.noted", "已保存备注和评分：{name} · {org}")
	sayLeadAgain = msg.Define("lead.again", "已更新：{name} · {org}（此前已扫过）")

	// The table: a badge scanned beside a meeting.
	sayNotAtTable  = msg.Define("table.notHere", "{name}（{org}）在 {table} 号桌没有安排洽谈，请查看其日程")
	sayBothArrived = msg.Define("table.held", "双方已到场，洽谈记为“已举行”（{slot}）")
	sayArrived     = msg.Define("table.arrived", "{name} 已到场，等待对方扫码")

	// The event's details and logo.
	sayEventName      = msg.Define("event.nameMissing", "请填写活动名称")
	sayStartDate      = msg.Define("event.startMissing", "请填写开始日期（格式 2026-05-20）")
	sayBadStartDate   = msg.Define("event.startInvalid", "开始日期“{value}”不是有效日期")
	sayEndBeforeStart = msg.Define("event.endBeforeStart", "结束日期早于开始日期")
	sayFileExists     = msg.Define("event.fileExists", "文件 {path} 已存在，请换一个名称或位置")
	sayLogoTooBig     = msg.Define("logo.tooBig", "标志图片太大（{kb} KB），请用不超过 {max} KB 的 PNG 或 JPEG")
	sayLogoNotImage   = msg.Define("logo.notImage", "标志应为 PNG 或 JPEG 图片")
	sayLogoSize       = msg.Define("logo.badSize", "标志图片尺寸 {w}×{h} 不合适，应在 16 到 2000 像素之间")
	sayLogoBroken     = msg.Define("logo.broken", "标志图片已损坏，无法读取：请重新导出后再上传")
	sayLogoPNGTooBig  = msg.Define("logo.pngTooBig", "标志图片转为 PNG 后超过 {max} KB，请缩小尺寸后再上传")

	// The matchmaking session and its schedule.
	sayKeepWhatHappened = msg.Define("session.keepWhatHappened", "有 {n} 场已举行、缺席、锁定或现场加约的洽谈在要去掉的时段或洽谈桌上：至少要保留 {slots} 个时段、{tables} 张洽谈桌，时段数和桌数不能少于此")
	saySlotsRange       = msg.Define("session.slotsRange", "时段数应在 1 到 {max} 之间")
	sayMinutesRange     = msg.Define("session.minutesRange", "每场洽谈时长应在 5 到 240 分钟之间")
	sayTablesRange      = msg.Define("session.tablesRange", "洽谈桌数应在 1 到 2000 之间")
	sayTooManyFixed     = msg.Define("session.tooManyFixed", "固定桌位（{n} 个）多于洽谈桌（{tables} 张）")
	sayBadStart         = msg.Define("session.badStart", "开始时间“{value}”格式不对，应为 2026-05-20 14:00")
	sayNoSession        = msg.Define("schedule.noSession", "请先设置对接场次的时段和洽谈桌")
	sayNothingToPlace   = msg.Define("schedule.nothingAccepted", "还没有已接受的洽谈请求可排")
	sayNoDraft          = msg.Define("schedule.noDraft", "没有待发布的排程：请先“一键排程”")
	sayOnlyNoShow       = msg.Define("meeting.onlyNoShowReplaced", "只有未到场的洽谈才能重新安排")
	sayNoLaterTable     = msg.Define("meeting.noLaterTable", "之后的时段里没有两人都空闲的洽谈桌")
	sayNoWishFits       = msg.Define("meeting.noWishFits", "愿望清单里没有此时段双方都有空的请求")
	sayNegativeAmount   = msg.Define("outcome.negativeAmount", "金额不能为负数")
	saySignedAgreement  = msg.Define("outcome.signedIsAgreement", "已签约的洽谈，结果应为“达成协议”")
	sayLockedOrHeld     = msg.Define("meeting.lockedOrHeld", "该洽谈已锁定或已举行")
)
