package importer

import "github.com/fuzhi/eventdesk/model/msg"

// What the importer says about a row or a file (model/msg: the Chinese
// here, the English in the frontend's catalog).
var (
	sayMissingName      = msg.Define("import.missingName", "缺少姓名")
	sayMissingNameAt    = msg.Define("import.missingNameAt", "缺少姓名（单位：{org}）")
	sayInvalidEmail     = msg.Define("import.invalidEmail", "邮箱“{value}”格式不正确")
	sayDuplicateRow     = msg.Define("import.duplicateRow", "与第 {first} 行是同一人（姓名、手机号相同），已跳过")
	sayMissingTitle     = msg.Define("import.missingAchievementTitle", "缺少成果名称")
	sayMissingDemand    = msg.Define("import.missingDemandTitle", "缺少需求名称")
	sayBadTRL           = msg.Define("import.badTRL", "技术成熟度“{value}”应为 1–9 级（GB/T 22900）")
	sayBadPatents       = msg.Define("import.badPatents", "专利数“{value}”不是整数")
	sayBadPrice         = msg.Define("import.badPrice", "意向价格“{value}”不是金额（万元）")
	sayBadBudget        = msg.Define("import.badBudget", "预算“{value}”不是金额（万元）")
	sayBadDeadline      = msg.Define("import.badDeadline", "揭榜截止日期“{value}”不是日期，应写成 2026-06-30")
	sayNoTitleColumn    = msg.Define("import.noAchievementColumn", "没有找到“成果名称”列，无法导入成果")
	sayNoDemandColumn   = msg.Define("import.noDemandColumn", "没有找到“需求名称”列，无法导入需求")
	sayNoRequestColumns = msg.Define("import.noRequestColumns", "没有找到“发起人”和“对接对象”列，无法导入洽谈请求")
	sayMissingPerson    = msg.Define("import.missingPerson", "缺少发起人或对接对象")
	sayBadPriority      = msg.Define("import.badPriority", "优先级“{value}”无法识别（应为 必须/希望/可以）")
	sayEmptyFile        = msg.Define("import.emptyFile", "无法读取文件：文件是空的")
	sayFileTooBig       = msg.Define("import.fileTooBig", "无法读取文件：文件超过 {mb} MB")
	sayBadWorkbook      = msg.Define("import.badWorkbook", "无法读取文件：{name} 不是有效的 Excel 文件（可能已损坏，或是旧版 .xls，请在 Excel 中另存为 .xlsx）")
	sayOldExcel         = msg.Define("import.oldExcel", "无法读取文件：这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入")
	sayNotUTF8OrGBK     = msg.Define("import.unknownEncoding", "无法读取文件：既不是 UTF-8 也不是 GBK 编码")
	sayGarbled          = msg.Define("import.garbled", "无法读取文件：既不是 UTF-8 也不是 GBK 编码（{n} 处乱码）")
	sayNotText          = msg.Define("import.notText", "无法读取文件：这不是文本文件")
	sayNoData           = msg.Define("import.noData", "无法读取文件：文件中没有数据")
	sayTooManyRows      = msg.Define("import.tooManyRows", "无法读取文件：超过 {max} 行，请拆分文件")

	// A renamed file is named for what it is (notASpreadsheet).
	sayPicture = msg.Define("import.renamedPicture", "无法读取文件：这不是表格文件（看起来是图片（{format}），只是改了扩展名）。请导入 Excel（.xlsx）或 CSV 文件")
	sayPDF     = msg.Define("import.renamedPDF", "无法读取文件：这不是表格文件（看起来是 PDF 文档，只是改了扩展名）。请导入 Excel（.xlsx）或 CSV 文件")
	sayMedia   = msg.Define("import.renamedMedia", "无法读取文件：这不是表格文件（看起来是音频或视频，只是改了扩展名）。请导入 Excel（.xlsx）或 CSV 文件")
	sayArchive = msg.Define("import.renamedArchive", "无法读取文件：这不是表格文件（看起来是压缩包，只是改了扩展名）。请导入 Excel（.xlsx）或 CSV 文件")
	sayProgram = msg.Define("import.renamedProgram", "无法读取文件：这不是表格文件（看起来是程序或字体文件，只是改了扩展名）。请导入 Excel（.xlsx）或 CSV 文件")

	// What makes a file unreadable, in detail.
	sayUTF16               = msg.Define("import.badUTF16", "无法读取文件：UTF-16 内容有误：{detail}")
	sayCSVLine             = msg.Define("import.badCSVLine", "无法读取文件：第 {line} 行格式错误：{detail}")
	sayExcelBroken         = msg.Define("import.excelBroken", "无法读取文件：Excel 文件已损坏")
	sayNotExcel            = msg.Define("import.notExcel", "无法读取文件：不是有效的 Excel 文件：{detail}")
	sayNoVisibleSheet      = msg.Define("import.noVisibleSheet", "无法读取文件：工作簿中没有可见的工作表")
	saySheetUnreadable     = msg.Define("import.sheetUnreadable", "无法读取文件：读取工作表 {sheet}：{detail}")
	sayRowUnreadable       = msg.Define("import.rowUnreadable", "无法读取文件：第 {line} 行：{detail}")
	sayTooManyColumns      = msg.Define("import.tooManyColumns", "无法读取文件：第 {line} 行有 {n} 列，最多 {max} 列")
	sayCellTooLong         = msg.Define("import.cellTooLong", "无法读取文件：第 {line} 行第 {column} 列超过 {max} 个字符（Excel 单元格的上限），请检查文件")
	sayTooManyParts        = msg.Define("import.tooManyParts", "无法读取文件：Excel 文件由 {n} 个部分组成，不像报名表（最多 {max} 个）")
	saySharedStringsTooBig = msg.Define("import.sharedStringsTooBig", "无法读取文件：Excel 文件的文字表解压后超过 {mb} MB，请另存为 CSV 或拆分文件")
	sayUnpackedTooBig      = msg.Define("import.unpackedTooBig", "无法读取文件：Excel 文件解压后超过 {mb} MB，请另存为 CSV 或拆分文件")
	sayMappedTwice         = msg.Define("import.mappedTwice", "“{field}”被映射到了多列，请只保留一列")
	sayNameNotMapped       = msg.Define("import.nameNotMapped", "没有映射“姓名”列，无法导入")
)
