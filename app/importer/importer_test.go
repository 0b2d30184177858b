package importer

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/model"
)

type expected struct {
	Rows       int        `json:"rows"`
	Valid      int        `json:"valid"`
	Rejected   []Rejected `json:"rejected"`
	Duplicates []int      `json:"duplicates"`
}

func loadExpected(t *testing.T, name string) expected {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func checkAgainst(t *testing.T, res *Result, e expected) {
	t.Helper()
	if res.Rows != e.Rows || len(res.Valid) != e.Valid {
		t.Errorf("rows %d valid %d, want rows %d valid %d", res.Rows, len(res.Valid), e.Rows, e.Valid)
	}
	type rr struct {
		Row    int
		Reason string
	}
	var got, want []rr
	for _, r := range res.Rejected {
		got = append(got, rr{r.Row, r.Reason})
		if r.Message.Text == "" || r.Message.Code == "" {
			t.Errorf("row %d rejected without a message", r.Row)
		}
	}
	for _, r := range e.Rejected {
		want = append(want, rr{r.Row, r.Reason})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rejected\n got %v\nwant %v", got, want)
	}
	var dups []int
	for _, d := range res.Duplicates {
		dups = append(dups, d.Row)
	}
	sort.Ints(dups)
	if !reflect.DeepEqual(dups, e.Duplicates) {
		t.Errorf("duplicates got %v want %v", dups, e.Duplicates)
	}
	for _, c := range res.Valid {
		p := c.Participant
		if p.Name != strings.TrimSpace(p.Name) || p.Name == "" {
			t.Errorf("row %d: name not cleaned: %q", c.Row, p.Name)
		}
		if p.Mobile != "" && (len(p.Mobile) != 11 || strings.Trim(p.Mobile, "0123456789") != "") {
			t.Errorf("row %d: mobile not normalised: %q", c.Row, p.Mobile)
		}
	}
}

func readSample(t *testing.T, name string) *Table {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Read(name, raw)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestSamplesMatchExpectedReports(t *testing.T) {
	for _, tc := range []struct{ file, enc string }{
		{"participants-gbk.csv", "GB18030"},
		{"participants-utf8bom.csv", "UTF-8 BOM"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			tab := readSample(t, tc.file)
			if tab.Encoding != tc.enc {
				t.Errorf("encoding %s, want %s", tab.Encoding, tc.enc)
			}
			if tab.Headers[1] != "姓名" {
				t.Errorf("header not decoded: %q", tab.Headers)
			}
			res, err := Validate(tab, GuessMapping(tab.Headers))
			if err != nil {
				t.Fatal(err)
			}
			checkAgainst(t, res, loadExpected(t, strings.TrimSuffix(tc.file, ".csv")+".expected.json"))
		})
	}
}

// The same rows saved as XLSX (as Excel users send them) give the same report.
func TestXLSXGivesSameReportAsCSV(t *testing.T) {
	csvTab := readSample(t, "participants-utf8bom.csv")
	f := excelize.NewFile()
	all := append([][]string{csvTab.Headers}, csvTab.Rows...)
	for i, r := range all {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Read("报名表.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if tab.Format != "xlsx" {
		t.Fatalf("format %s", tab.Format)
	}
	res, err := Validate(tab, GuessMapping(tab.Headers))
	if err != nil {
		t.Fatal(err)
	}
	checkAgainst(t, res, loadExpected(t, "participants-utf8bom.expected.json"))
}

func TestMessyButValidRowsAreAccepted(t *testing.T) {
	csv := "报名表（第二批）\n姓名,单位,手机,统一社会信用代码,参会类型\n" +
		" 郭梅俊 ,中国海洋大学,+86 147 6018 9555,,高校\n" +
		"张三,青岛某某科技有限公司,１３８１２３４５６７８,91350100M000100Y43,中小企业\n" +
		"李四,某银行,138-1234-5679,,神秘嘉宾\n"
	tab, err := Read("x.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if tab.HeaderRow != 2 {
		t.Fatalf("title line not skipped, header row %d", tab.HeaderRow)
	}
	res, err := Validate(tab, GuessMapping(tab.Headers))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Valid) != 3 {
		t.Fatalf("valid %d rejected %+v", len(res.Valid), res.Rejected)
	}
	if p := res.Valid[0]; p.Row != 3 || p.Participant.Name != "郭梅俊" || p.Participant.Mobile != "14760189555" || p.Participant.Role != "university" {
		t.Errorf("row 3: %+v", p)
	}
	if p := res.Valid[1].Participant; p.Mobile != "13812345678" || p.CreditCode != "91350100M000100Y43" {
		t.Errorf("row 4: %+v", p)
	}
	if c := res.Valid[2]; c.UnknownRole != "神秘嘉宾" || c.Participant.Role != "" {
		t.Errorf("unknown role should be kept aside, not rejected: %+v", c)
	}
}

func TestBadRowsEachGetTheirReason(t *testing.T) {
	csv := "姓名,单位,手机,统一社会信用代码,邮箱\n" +
		",无名单位,13800000000,,\n" +
		"王五,单位,1380000,,\n" +
		"赵六,单位,13800000001,91350100M000100Y44,\n" +
		"钱七,单位,13800000002,,not-an-email\n" +
		"孙八,单位,13800000003,,\n" +
		"孙八,单位,138 0000 0003,,\n"
	tab, _ := Read("bad.csv", []byte(csv))
	res, err := Validate(tab, GuessMapping(tab.Headers))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2:missing name", "3:invalid mobile", "4:bad credit code", "5:invalid email"}
	var got []string
	for _, r := range res.Rejected {
		got = append(got, strconv.Itoa(r.Row)+":"+r.Reason)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
	if len(res.Duplicates) != 1 || res.Duplicates[0].Row != 7 || res.Duplicates[0].FirstRow != 6 {
		t.Errorf("duplicates %+v", res.Duplicates)
	}
}

func TestUnreadableFilesGetClearMessages(t *testing.T) {
	cases := map[string][]byte{
		"empty.csv":  nil,
		"old.xls":    {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1},
		"fake.xlsx":  []byte("PK\x03\x04 this is not really a zip"),
		"named.xlsx": []byte("姓名,手机\n"),
		"binary.csv": {0x81, 0x30, 0x00, 0xFF, 0xFE, 0x00, 0x00, 0x81},
	}
	for name, data := range cases {
		_, err := Read(name, data)
		if !errors.Is(err, ErrUnreadable) {
			t.Errorf("%s: want ErrUnreadable, got %v", name, err)
		}
	}
}

// A picture or a PDF renamed to .csv is called what it is, not "既不是
// UTF-8 也不是 GBK 编码".
func TestRenamedFilesAreNamedForWhatTheyAre(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F'}, make([]byte, 64)...)
	cases := map[string]struct {
		data []byte
		want string
	}{
		"签到表.csv":    {png, "图片（PNG）"},
		"报名.csv":     {jpeg, "图片（JPEG）"},
		"名单.csv":     {[]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "PDF 文档"},
		"backup.csv": {[]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"), "压缩包"},
	}
	for name, c := range cases {
		_, err := Read(name, c.data)
		if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "这不是表格文件") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A GBK CSV is still a CSV.
	gbk, _ := os.ReadFile(filepath.Join("testdata", "participants-gbk.csv"))
	if _, err := Read("participants.csv", gbk); err != nil {
		t.Fatalf("the GBK file: %v", err)
	}
}

func TestMappingWithoutNameIsRefused(t *testing.T) {
	tab, _ := Read("x.csv", []byte("单位,手机\nA,13800000000\n"))
	if _, err := Validate(tab, GuessMapping(tab.Headers)); err == nil || !strings.Contains(err.Error(), "姓名") {
		t.Fatalf("want a message about the name column, got %v", err)
	}
}

// FuzzRead feeds arbitrary bytes as CSV and as XLSX: whatever comes in, the
// importer answers with rows or an error, never a panic.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"participants-gbk.csv", "participants-utf8bom.csv"} {
		raw, _ := os.ReadFile(filepath.Join("testdata", name))
		f.Add(raw[:min(len(raw), 600)])
	}
	f.Add([]byte("姓名,手机\n张三,138\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("发起人,对接对象,优先级\n张三,李四,必须\n王五,,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"f.csv", "f.xlsx"} {
			tab, err := Read(name, data)
			if err != nil {
				if !errors.Is(err, ErrUnreadable) {
					t.Fatalf("error without ErrUnreadable: %v", err)
				}
				continue
			}
			if rows, rej, err := Requests(tab); err == nil && len(rows)+len(rej) != len(tab.Rows) {
				t.Fatalf("request rows lost: %d read, %d refused of %d", len(rows), len(rej), len(tab.Rows))
			}
			m := GuessMapping(tab.Headers)
			if len(tab.Headers) > 0 {
				m[0] = FieldName
			}
			res, err := Validate(tab, m)
			if err != nil {
				continue
			}
			if len(res.Valid)+len(res.Rejected)+len(res.Duplicates) != res.Rows {
				t.Fatalf("rows lost: %d valid %d rejected %d dup of %d", len(res.Valid), len(res.Rejected), len(res.Duplicates), res.Rows)
			}
		}
	})
}

// A 胸卡类别 column fills the badge category; an unknown word leaves it to
// follow from the role.
func TestCategoryColumnIsRead(t *testing.T) {
	tab, err := Read("x.csv", []byte("姓名,单位,参会类型,胸卡类别\n张三,青岛大学,高校,特邀嘉宾\n李四,大众日报,媒体,记者\n王五,会务组,,志愿者\n赵六,山东大学,高校,随便\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := GuessMapping(tab.Headers)
	if m[3] != FieldCategory || m[2] != FieldRole {
		t.Fatalf("mapping %v", m)
	}
	res, err := Validate(tab, m)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Valid {
		got = append(got, string(c.Participant.Category))
	}
	if strings.Join(got, ",") != "guest,media,staff," {
		t.Fatalf("categories %v", got)
	}
}

// A sheet's 企业资质 column sets each SME's level; a word it does not know
// leaves the level unset rather than guessed.
func TestTheLevelColumnSetsTheTier(t *testing.T) {
	csv := "姓名,单位,手机,参会类型,企业资质\n" +
		"张三,甲精工,13900000001,中小企业,国家级专精特新“小巨人”\n" +
		"李四,乙材料,13900000002,中小企业,省级专精特新\n" +
		"王五,丙软件,13900000003,中小企业,创新型中小企业\n" +
		"赵六,丁科技,13900000004,中小企业,高新技术企业\n" +
		"钱七,戊公司,13900000005,中小企业,\n"
	tab, err := Read("报名表.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	mapping := GuessMapping(tab.Headers)
	if mapping[4] != FieldTier {
		t.Fatalf("企业资质 mapped to %q", mapping[4])
	}
	res, err := Validate(tab, mapping)
	if err != nil || len(res.Valid) != 5 {
		t.Fatalf("%+v %v", res, err)
	}
	want := []model.Tier{model.TierLittleGiant, model.TierProvincialSRDI, model.TierInnovative, "", ""}
	for i, c := range res.Valid {
		if c.Participant.Tier != want[i] {
			t.Errorf("row %d: %q, want %q", c.Row, c.Participant.Tier, want[i])
		}
	}
}

// ValidateOnce finds what Validate finds, and lets the table's rows go: a
// table read only to be imported is not held twice. The file's bytes are
// not copied for UTF-8, so the rows must not change when the caller's
// buffer is reused afterwards.
func TestValidateOnceMatchesValidateAndLetsRowsGo(t *testing.T) {
	csv := "报名表\n姓名,单位,手机,统一社会信用代码,参会类型\n" +
		"张三,青岛某某科技有限公司,13812345678,91350100M000100Y43,中小企业\n" +
		",没有名字的单位,13812345670,,高校\n" +
		"李四,某银行,138-1234-5679,,投资机构\n" +
		"张三,青岛某某科技有限公司,13812345678,,中小企业\n" +
		"王五,山东大学,12345,,高校\n"
	data := []byte(csv)
	read := func() *Table {
		tab, err := Read("x.csv", data)
		if err != nil {
			t.Fatal(err)
		}
		return tab
	}
	want, err := Validate(read(), GuessMapping(read().Headers))
	if err != nil {
		t.Fatal(err)
	}
	tab := read()
	for i := range data {
		data[i] = 'x' // the caller reuses its buffer
	}
	got, err := ValidateOnce(tab, GuessMapping(tab.Headers))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ValidateOnce:\n%+v\nValidate:\n%+v", got, want)
	}
	if len(want.Valid) != 2 || len(want.Rejected) != 2 || len(want.Duplicates) != 1 {
		t.Fatalf("the file's rows were not all found: %+v", want)
	}
	if tab.Rows != nil || tab.RowNums != nil {
		t.Fatalf("rows kept after ValidateOnce: %d", len(tab.Rows))
	}
}
