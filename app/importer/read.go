// Package importer turns registration spreadsheets into participants. It
// reads bytes and returns results; it does no I/O of its own, so the desktop
// window, the CLI and the HTTP server all import exactly the same way.
package importer

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/fuzhi/eventdesk/model"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Limits keep a wrong file (a video renamed .csv) or a hostile one (a
// workbook that unpacks to gigabytes) from eating the laptop. Each is
// checked while reading, before the next row is kept.
const (
	MaxFileBytes = 64 << 20
	// MaxRows is the number of data rows, not counting the header and the
	// title lines above it.
	MaxRows = 200_000
	// MaxCellChars is Excel's own limit for one cell.
	MaxCellChars = 32_767
	// MaxColumns is far beyond any registration form.
	MaxColumns = 512
	// maxLeadRows is how many lines may come before the first data row
	// (title lines and the header; see newTable).
	maxLeadRows = 6

	// A workbook's parts, as they unpack: all together, the sheet and the
	// shared strings (each read whole by excelize), and how many parts.
	MaxUnpackedBytes     = 512 << 20
	maxSharedStringBytes = 128 << 20
	maxWorkbookParts     = 2_000
)

// ErrUnreadable is the cause under every "this file cannot be read"
// sentence (errors.Is finds it); people see the sentence, never this text.
var ErrUnreadable = errors.New("file unreadable")

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
		return nil, sayEmptyFile.Wrap(ErrUnreadable)
	}
	if len(data) > MaxFileBytes {
		return nil, sayFileTooBig.Wrap(ErrUnreadable, "mb", MaxFileBytes>>20)
	}
	ext := strings.ToLower(filepath.Ext(name))
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ReadXLSX(data)
	}
	if ext == ".xlsx" || ext == ".xlsm" {
		return nil, sayBadWorkbook.Wrap(ErrUnreadable, "name", name)
	}
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return nil, sayOldExcel.Wrap(ErrUnreadable)
	}
	if err := notASpreadsheet(data); err != nil {
		return nil, err
	}
	return ReadCSV(data)
}

// notASpreadsheet names what a file is when its first bytes say it is a
// picture, a PDF, an archive or media: a renamed file deserves that answer,
// not a complaint about its text encoding.
func notASpreadsheet(data []byte) error {
	ct := http.DetectContentType(data)
	switch {
	case strings.HasPrefix(ct, "image/"):
		return sayPicture.Wrap(ErrUnreadable, "format", strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(ct, "image/"), "x-")))
	case ct == "application/pdf" || ct == "application/postscript":
		return sayPDF.Wrap(ErrUnreadable)
	case strings.HasPrefix(ct, "audio/"), strings.HasPrefix(ct, "video/"):
		return sayMedia.Wrap(ErrUnreadable)
	case ct == "application/x-gzip", ct == "application/x-rar-compressed", ct == "application/zip":
		return sayArchive.Wrap(ErrUnreadable)
	case strings.HasPrefix(ct, "font/"), ct == "application/wasm":
		return sayProgram.Wrap(ErrUnreadable)
	}
	return nil
}

// decodeText returns UTF-8 text and the encoding it was found in. Excel in
// China saves "CSV" as GBK; GB18030 is its superset, so it decodes both.
// UTF-8 comes back as the file's own bytes, not a copy: a 35 MB file read
// for a 200,000-row import is then held once (the CSV reader copies every
// field it keeps).
func decodeText(data []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], "UTF-8 BOM", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, _, err := transform.Bytes(dec, data)
		if err != nil {
			return nil, "", sayUTF16.Wrap(ErrUnreadable, "detail", err.Error())
		}
		return out, "UTF-16", nil
	case utf8.Valid(data):
		return data, "UTF-8", nil
	}
	out, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), data)
	if err != nil {
		return nil, "", sayNotUTF8OrGBK.Wrap(ErrUnreadable)
	}
	if bad := bytes.Count(out, []byte("\uFFFD")); bad > len(out)/50+2 {
		return nil, "", sayGarbled.Wrap(ErrUnreadable, "n", bad)
	}
	return out, "GB18030", nil
}

// ReadCSV reads comma- or tab-separated text in any encoding decodeText knows.
func ReadCSV(data []byte) (*Table, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return nil, sayNotText.Wrap(ErrUnreadable)
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	firstLine, _, _ := bytes.Cut(text, []byte("\n"))
	if bytes.Count(firstLine, []byte("\t")) > bytes.Count(firstLine, []byte(",")) {
		r.Comma = '\t'
	}
	// Sized once from the line count (an upper bound: a quoted field may
	// hold a line break), not doubled as it grows.
	rows := make([][]string, 0, min(bytes.Count(text, []byte("\n"))+1, MaxRows+maxLeadRows+1))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := r.FieldPos(0)
			return nil, sayCSVLine.Wrap(ErrUnreadable, "line", line, "detail", err.Error())
		}
		if err := checkLimits(len(rows), rec); err != nil {
			return nil, err
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
			t, err = nil, sayExcelBroken.Wrap(ErrUnreadable)
		}
	}()
	if err := checkWorkbookSize(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: MaxUnpackedBytes})
	if err != nil {
		return nil, sayNotExcel.Wrap(ErrUnreadable, "detail", err.Error())
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
		return nil, sayNoVisibleSheet.Wrap(ErrUnreadable)
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, saySheetUnreadable.Wrap(ErrUnreadable, "sheet", sheet, "detail", err.Error())
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, sayRowUnreadable.Wrap(ErrUnreadable, "line", len(rows)+1, "detail", err.Error())
		}
		if err := checkLimits(len(rows), cols); err != nil {
			return nil, err
		}
		rows = append(rows, cols)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("%w：%v", ErrUnreadable, err)
	}
	return newTable("xlsx", "XLSX", rows)
}

// checkLimits refuses the row about to be kept as rows[n] when the file has
// too many rows, or the row too many columns or too long a cell.
//
// It also drops control characters from every cell (model.CleanText).
func checkLimits(n int, cells []string) error {
	for i, c := range cells {
		cells[i] = model.CleanText(c)
	}
	if n >= MaxRows+maxLeadRows {
		return sayTooManyRows.Wrap(ErrUnreadable, "max", MaxRows)
	}
	if len(cells) > MaxColumns {
		return sayTooManyColumns.Wrap(ErrUnreadable, "line", n+1, "n", len(cells), "max", MaxColumns)
	}
	for i, c := range cells {
		if len(c) > MaxCellChars && utf8.RuneCountInString(c) > MaxCellChars {
			return sayCellTooLong.Wrap(ErrUnreadable, "line", n+1, "column", i+1, "max", MaxCellChars)
		}
	}
	return nil
}

// checkWorkbookSize reads a workbook's directory, not its contents: the
// sizes its parts declare are what archive/zip then holds them to, so a
// part that claims little and unpacks to more is refused while reading.
func checkWorkbookSize(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return sayNotExcel.Wrap(ErrUnreadable, "detail", err.Error())
	}
	if len(zr.File) > maxWorkbookParts {
		return sayTooManyParts.Wrap(ErrUnreadable, "n", len(zr.File), "max", maxWorkbookParts)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if strings.EqualFold(f.Name, "xl/sharedStrings.xml") && f.UncompressedSize64 > maxSharedStringBytes {
			return saySharedStringsTooBig.Wrap(ErrUnreadable, "mb", maxSharedStringBytes>>20)
		}
	}
	if total > MaxUnpackedBytes {
		return sayUnpackedTooBig.Wrap(ErrUnreadable, "mb", MaxUnpackedBytes>>20)
	}
	return nil
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
		return nil, sayNoData.Wrap(ErrUnreadable)
	}
	t := &Table{Format: format, Encoding: enc, HeaderRow: header + 1,
		Rows: make([][]string, 0, len(rows)-header-1), RowNums: make([]int, 0, len(rows)-header-1)}
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
	if len(t.Rows) > MaxRows {
		return nil, sayTooManyRows.Wrap(ErrUnreadable, "max", MaxRows)
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
