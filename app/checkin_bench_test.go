package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	bolt "go.etcd.io/bbolt"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// seedEvent creates an event of n people with realistic Chinese names and
// opens it, as the desk would find it on the morning of the event.
func seedEvent(tb testing.TB, n int) (*Services, *Workspace, []model.Participant) {
	tb.Helper()
	dir := tb.TempDir()
	wsApp := New(Options{Context: context.Background(), DataDir: dir})
	ws := wsApp.Workspace
	svc := &wsApp.Services
	path := filepath.Join(dir, "bench.fzevent")
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given := []rune("伟芳娜敏静磊洋艳勇军杰娟涛明超秀英华鹏辉玲丹建志强晓东海燕国栋文博思远雨萱子涵浩然欣怡宇航梓俊嘉立新春梅红霞振晨颖昊琳凯悦峰蕾")
	titles := []string{"总经理", "技术总监", "研究员", "教授", "副总经理", "工程师", "投资经理", "主任"}
	r := rand.New(rand.NewSource(1))
	ppl := make([]model.Participant, n)
	var seed []store.Change
	for i := range ppl {
		name := string(surnames[r.Intn(len(surnames))]) + string(given[r.Intn(len(given))])
		if r.Intn(2) == 0 {
			name += string(given[r.Intn(len(given))])
		}
		ppl[i] = model.Participant{ID: fmt.Sprintf("P%07d", i), Name: name, Org: fmt.Sprintf("山东第%d精工科技有限公司", i%5000),
			Mobile: fmt.Sprintf("13%09d", r.Intn(1_000_000_000)), Role: model.Roles[i%len(model.Roles)],
			Title: titles[i%len(titles)], Email: fmt.Sprintf("u%d@mail%d.example.cn", i, i%97)}
		seed = append(seed, store.Participants.Put(ppl[i].ID, ppl[i]))
	}
	if err := createEventFile(ws, path, model.Event{ID: "EBENCH", Name: "基准活动", StartDate: "2026-05-20"}, seed); err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.Event.Open(path); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ws.CloseEvent() })
	return svc, ws, ppl
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(float64(len(s)-1)*p)]
}

// BenchmarkScan50k: scan → verified, durably written answer, against the
// floor of the same disk: a bare bbolt Update writing one key with fsync.
func BenchmarkScan50k(b *testing.B) {
	svc, _, ppl := seedEvent(b, 50_000)
	codes := make([]string, len(ppl))
	for i, p := range ppl {
		codes[i], _ = svc.Checkin.BadgeCode(p.ID)
	}
	floorDB, err := bolt.Open(filepath.Join(b.TempDir(), "floor.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer floorDB.Close()
	var scan, floor []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		a, err := svc.Checkin.Scan(codes[i%len(codes)], "1")
		scan = append(scan, time.Since(t0))
		if err != nil || (a.Result != ResultOK && a.Result != ResultDuplicate) {
			b.Fatalf("scan: %v %+v", err, a)
		}
		t0 = time.Now()
		err = floorDB.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("k"))
			if err != nil {
				return err
			}
			return bk.Put([]byte(fmt.Sprintf("%08d", i)), []byte("x"))
		})
		floor = append(floor, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(scan, 0.5).Microseconds()), "scan-p50-µs")
	b.ReportMetric(float64(percentile(scan, 0.99).Microseconds()), "scan-p99-µs")
	b.ReportMetric(float64(percentile(floor, 0.5).Microseconds()), "floor-p50-µs")
	b.ReportMetric(float64(percentile(floor, 0.99).Microseconds()), "floor-p99-µs")
	b.ReportMetric(float64(percentile(scan, 0.99))/float64(percentile(floor, 0.99)), "p99-ratio")
}

// BenchmarkSearch50k: search as you type at the desk (Chinese, pinyin,
// initials, phone tail) over 50,000 people.
func BenchmarkSearch50k(b *testing.B) {
	svc, _, ppl := seedEvent(b, 50_000)
	svc.Checkin.Search("warm", 1) // the index is built once, after opening
	var queries []string
	for i := 0; i < 200; i++ {
		p := ppl[(i*997)%len(ppl)]
		full, initials := pinyinKeys(p.Name)
		name := []rune(p.Name)
		queries = append(queries, string(name[:1]), p.Name, full[:min(4, len(full))], full, initials, p.Mobile[7:], "精工")
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := svc.Checkin.Search(queries[i%len(queries)], 20); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.5).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-µs")
}

// BenchmarkBadgesA6_5000: one PDF of 5,000 A6 badges on one core
// (GOMAXPROCS=1: the laptop at the printer is busy with the desk too).
// Its reference, in the same run, is the least a PDF of 5,000 pages costs
// with the same library: a line of text and a prepared image per page,
// nothing encoded, measured or fitted (pdfFloor).
func BenchmarkBadgesA6_5000(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	svc, _, _ := seedEvent(b, 5_000)
	var size int
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		printed, err := svc.Badge.Print(BadgeRequest{Layout: "a6"})
		if err != nil || !bytes.HasPrefix(printed.PDF, []byte("%PDF")) {
			b.Fatal(err)
		}
		size = len(printed.PDF)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	perRun := b.Elapsed() / time.Duration(b.N)
	ref := pdfFloor(b, 5000)
	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/1e6, "MB-alloc/run")
	b.ReportMetric(ref.Seconds(), "ref-s")
	b.ReportMetric(float64(perRun)/float64(ref), "x-ref")
}

// pdfFloor is how long fpdf takes to write pages of one line of text and
// one small PNG each (made beforehand), uncompressed like the badges.
func pdfFloor(b *testing.B, pages int) time.Duration {
	pngs := make([][]byte, pages)
	for i := range pngs {
		img := image.NewGray(image.Rect(0, 0, 37, 37))
		for j := range img.Pix {
			img.Pix[j] = byte((i + j) % 2 * 255)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			b.Fatal(err)
		}
		pngs[i] = buf.Bytes()
	}
	t0 := time.Now()
	doc := fpdf.New("P", "mm", "A6", "")
	doc.SetCompression(false)
	doc.SetFont("Helvetica", "", 12)
	for i, data := range pngs {
		doc.AddPage()
		doc.Text(10, 20, fmt.Sprintf("Participant %d", i))
		name := fmt.Sprintf("qr%d", i)
		doc.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(data))
		doc.ImageOptions(name, 30, 60, 45, 45, false, fpdf.ImageOptions{}, 0, "")
	}
	if err := doc.Output(io.Discard); err != nil {
		b.Fatal(err)
	}
	return time.Since(t0)
}
