// Package importer turns registration spreadsheets into participants. It
// reads bytes and returns results; it does no I/O of its own, so the desktop
// window, the CLI and the HTTP server all import exactly the same way.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Limits keep a wrong file (a video renamed .csv) from eating the laptop.
const (
	MaxFileBytes = 64 << 20
	MaxRows      = 200_000
)

// ErrUnreadable wraps every "this file cannot be read" answer.
var ErrUnreadable = errors.New("无法读取文件")

// Table is a spreadsheet as rows of text. Row numbers are the spreadsheet's
// own (the first line is row 1), so a report can say "第 27 行".
type Table struct {
	Format    string     `json:"format"`   // csv or xlsx
	Encoding  string     `json:"encoding"` // UTF-8, UTF-8 BOM, GB18030, UTF-16
	HeaderRow int        `json:"headerRow"`
	Headers   []string   `json:"headers"`
	Rows      [][]string `json:"-"`
	RowNums   []int      `json:"-"`
}

// Read detects the format from the content (an XLSX is a zip) and the name.
func Read(name string, data []byte) (*Table, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w：文件是空的", ErrUnreadable)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%w：文件超过 %d MB", ErrUnreadable, MaxFileBytes>>20)
	}
	ext := strings.ToLower(filepath.Ext(name))
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ReadXLSX(data)
	}
	if ext == ".xlsx" || ext == ".xlsm" {
		return nil, fmt.Errorf("%w：%s 不是有效的 Excel 文件（可能已损坏，或是旧版 .xls，请在 Excel 中另存为 .xlsx）", ErrUnreadable, name)
	}
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return nil, fmt.Errorf("%w：这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入", ErrUnreadable)
	}
	return ReadCSV(data)
}

// DecodeText returns UTF-8 text and the encoding it was found in. Excel in
// China saves "CSV" as GBK; GB18030 is its superset, so it decodes both.
func DecodeText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:]), "UTF-8 BOM", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, _, err := transform.Bytes(dec, data)
		if err != nil {
			return "", "", fmt.Errorf("%w：UTF-16 内容有误：%v", ErrUnreadable, err)
		}
		return string(out), "UTF-16", nil
	case utf8.Valid(data):
		return string(data), "UTF-8", nil
	}
	out, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), data)
	if err != nil {
		return "", "", fmt.Errorf("%w：既不是 UTF-8 也不是 GBK 编码", ErrUnreadable)
	}
	text := string(out)
	if bad := strings.Count(text, "\uFFFD"); bad > len(text)/50+2 {
		return "", "", fmt.Errorf("%w：既不是 UTF-8 也不是 GBK 编码（%d 处乱码）", ErrUnreadable, bad)
	}
	return text, "GB18030", nil
}

// ReadCSV reads comma- or tab-separated text in any encoding DecodeText knows.
func ReadCSV(data []byte) (*Table, error) {
	text, enc, err := DecodeText(data)
	if err != nil {
		return nil, err
	}
	if strings.IndexByte(text, 0) >= 0 {
		return nil, fmt.Errorf("%w：这不是文本文件", ErrUnreadable)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	firstLine, _, _ := strings.Cut(text, "\n")
	if strings.Count(firstLine, "\t") > strings.Count(firstLine, ",") {
		r.Comma = '\t'
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("%w：第 %d 行格式错误：%v", ErrUnreadable, line, err)
		}
		if len(rows) >= MaxRows {
			return nil, fmt.Errorf("%w：超过 %d 行，请拆分文件", ErrUnreadable, MaxRows)
		}
		rows = append(rows, rec)
	}
	return newTable("csv", enc, rows)
}

// ReadXLSX reads the first visible sheet of a workbook.
func ReadXLSX(data []byte) (t *Table, err error) {
	// excelize is not hardened against hostile zips; a panic inside it must
	// become a message, not take the desk down.
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("%w：Excel 文件已损坏", ErrUnreadable)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%w：不是有效的 Excel 文件：%v", ErrUnreadable, err)
	}
	defer f.Close()
	sheet := ""
	for _, name := range f.GetSheetList() {
		if visible, _ := f.GetSheetVisible(name); visible {
			sheet = name
			break
		}
	}
	if sheet == "" {
		return nil, fmt.Errorf("%w：工作簿中没有可见的工作表", ErrUnreadable)
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%w：读取工作表 %s：%v", ErrUnreadable, sheet, err)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) >= MaxRows {
			return nil, fmt.Errorf("%w：超过 %d 行，请拆分文件", ErrUnreadable, MaxRows)
		}
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%w：第 %d 行：%v", ErrUnreadable, len(rows)+1, err)
		}
		rows = append(rows, cols)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("%w：%v", ErrUnreadable, err)
	}
	return newTable("xlsx", "XLSX", rows)
}

// newTable finds the header row: organizers often put a title line such as
// "2026年深度行报名表" above it, so the first of the top rows that names at
// least two known columns wins; otherwise the first non-empty row.
func newTable(format, enc string, rows [][]string) (*Table, error) {
	header := -1
	for i := 0; i < len(rows) && i < 6; i++ {
		known := 0
		for _, cell := range rows[i] {
			if guessField(cell) != FieldIgnore {
				known++
			}
		}
		if known >= 2 {
			header = i
			break
		}
	}
	if header < 0 {
		for i, r := range rows {
			if !blank(r) {
				header = i
				break
			}
		}
	}
	if header < 0 {
		return nil, fmt.Errorf("%w：文件中没有数据", ErrUnreadable)
	}
	t := &Table{Format: format, Encoding: enc, HeaderRow: header + 1}
	for _, h := range rows[header] {
		t.Headers = append(t.Headers, strings.TrimSpace(h))
	}
	for i := header + 1; i < len(rows); i++ {
		if blank(rows[i]) {
			continue
		}
		t.Rows = append(t.Rows, rows[i])
		t.RowNums = append(t.RowNums, i+1)
	}
	return t, nil
}

func blank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
