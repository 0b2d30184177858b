package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/internal/memtest"
	"github.com/xuri/excelize/v2"
)

// smallWorkbook is a real one-sheet workbook with a header and one person.
func smallWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "手机"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"张三", "13800000000"})
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withPart rewrites a workbook with one part replaced by n repetitions of
// fill (deflated), whose header declares `declare` bytes (0: the truth),
// and extra empty parts added.
func withPart(t *testing.T, book []byte, name, head string, fill byte, n int64, declare uint64, extra int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == name {
			continue
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestSpeed)
	fw.Write([]byte(head))
	io.CopyN(fw, memtest.Repeat(fill), n)
	fw.Close()
	size := uint64(len(head)) + uint64(n)
	if declare != 0 {
		size = declare
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(packed.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	for i := range extra {
		zw.Create(fmt.Sprintf("xl/media/x%d.bin", i))
	}
	zw.Close()
	return out.Bytes()
}

// A small workbook that unpacks to far more than a registration form is
// refused from its directory, before excelize unpacks anything; one that
// lies about its sizes is refused when a part passes what it declared.
func TestWorkbookBombsAreRefusedWithinAMemoryBound(t *testing.T) {
	book := smallWorkbook(t)
	if tab, err := Read("ok.xlsx", book); err != nil || len(tab.Rows) != 1 {
		t.Fatalf("the plain workbook: %v", err)
	}
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	cases := []struct {
		name  string
		data  []byte
		says  string
		bound uint64
	}{
		// The first two are refused from the sizes the directory declares;
		// what the parts really hold (1 MB here) is never read.
		{"a sheet declaring 600 MB", withPart(t, book, "xl/worksheets/sheet1.xml", sheet, ' ', 1<<20, 600<<20, 0), "解压后超过", 16 << 20},
		{"shared strings declaring 200 MB", withPart(t, book, "xl/sharedStrings.xml", `<sst>`, ' ', 1<<20, 200<<20, 0), "文字表", 16 << 20},
		{"a sheet that declares 1 KB and holds 100 MB", withPart(t, book, "xl/worksheets/sheet1.xml", sheet, ' ', 100<<20, 1024, 0), "", 64 << 20},
		{"3,000 parts", withPart(t, book, "xl/worksheets/sheet1.xml", sheet+"</sheetData></worksheet>", ' ', 1, 0, 3000), "3", 64 << 20},
	}
	for _, c := range cases {
		var err error
		used := memtest.Allocated(func() { _, err = Read("bomb.xlsx", c.data) })
		t.Logf("%s: %d KB file, %d MB allocated: %v", c.name, len(c.data)>>10, used>>20, err)
		if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v", c.name, err)
		}
		if used > c.bound {
			t.Errorf("%s: %d MB allocated, bound %d MB", c.name, used>>20, c.bound>>20)
		}
	}
}

func TestCellColumnAndRowLimitsAreExcelsOwn(t *testing.T) {
	long := strings.Repeat("长", MaxCellChars+1)
	if _, err := Read("long.csv", []byte("姓名,备注\n张三,"+long+"\n")); err == nil || !strings.Contains(err.Error(), "第 2 行第 2 列超过 32767 个字符") {
		t.Errorf("a cell of %d characters in a CSV: %v", MaxCellChars+1, err)
	}
	if _, err := Read("edge.csv", []byte("姓名,备注\n张三,"+long[:len(long)-len("长")]+"\n")); err != nil {
		t.Errorf("a cell of exactly %d characters: %v", MaxCellChars, err)
	}
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "备注"})
	f.SetCellStr("Sheet1", "A2", "张三")
	// excelize itself refuses to write more than 32767 characters, so the
	// long cell goes in as raw XML.
	buf, _ := f.WriteToBuffer()
	book := withPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml",
		`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>备注</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2" t="inlineStr"><is><t>`+long+`</t></is></c></row></sheetData></worksheet>`, ' ', 0, 0, 0)
	if _, err := Read("long.xlsx", book); err == nil || !strings.Contains(err.Error(), "超过 32767 个字符") {
		t.Errorf("a long cell in a workbook: %v", err)
	}
	wide := "姓名" + strings.Repeat(",x", MaxColumns) + "\n"
	if _, err := Read("wide.csv", []byte(wide)); err == nil || !strings.Contains(err.Error(), "列") {
		t.Errorf("%d columns: %v", MaxColumns+1, err)
	}
}

// Exactly MaxRows people, under a title line and a header, is accepted;
// one more is refused.
func TestExactlyMaxRowsRegistrationsAreAccepted(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("2026年深度行报名表\n姓名,手机\n")
	for i := range MaxRows {
		fmt.Fprintf(&b, "人%d,139%08d\n", i, i)
	}
	tab, err := Read("full.csv", b.Bytes())
	if err != nil || len(tab.Rows) != MaxRows {
		t.Fatalf("%d rows: %v", MaxRows, err)
	}
	fmt.Fprintf(&b, "多一人,13999999999\n")
	if _, err := Read("over.csv", b.Bytes()); err == nil || !strings.Contains(err.Error(), "超过 200000 行") {
		t.Fatalf("%d rows: %v", MaxRows+1, err)
	}
}

func TestControlCharactersAreDroppedOnImport(t *testing.T) {
	tab, err := Read("nul.csv", []byte("姓名,单位\n张\x1b三,甲\x07公司\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows[0][0] != "张三" || tab.Rows[0][1] != "甲公司" {
		t.Errorf("CSV cells %q", tab.Rows[0])
	}
	f := excelize.NewFile()
	buf, _ := f.WriteToBuffer()
	book := withPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml",
		`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>单位</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>王_x0000_五</t></is></c><c r="B2" t="inlineStr"><is><t>乙公司</t></is></c></row></sheetData></worksheet>`, ' ', 0, 0, 0)
	tab, err = Read("nul.xlsx", book)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows[0][0] != "王五" {
		t.Errorf("XLSX cell %q", tab.Rows[0][0])
	}
}

// The row array is sized from the file's line count, but never beyond the
// row limit: a 60 MB file of nothing but line breaks is refused having
// allocated little more than the row limit's array (sized by its lines
// alone, 1.5 GB).
func TestLineBreaksDoNotSizeTheRowsBeyondTheLimit(t *testing.T) {
	data := bytes.Repeat([]byte("\n"), 60<<20)
	var err error
	used := memtest.Allocated(func() { _, err = Read("blank.csv", data) })
	if err == nil {
		t.Fatal("a file of line breaks was read as a table")
	}
	if limit := uint64(MaxRows+maxLeadRows+1)*24 + 1<<20; used > limit {
		t.Fatalf("reading line breaks allocated %d bytes, want ≤ %d", used, limit)
	}
}
