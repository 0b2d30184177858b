package app

import (
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

func TestAgendaPDFShowsTheDayAndItsQRReadsBack(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s (poppler-utils) is required in CI", tool)
			}
			t.Skip(tool + " not installed")
		}
	}
	svc, smes, unis := matchFixture(t)
	svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 4, Tables: 4, Fixed: []string{unis[0].ID}})
	for k := 0; k < 3; k++ {
		svc.Request.Create(smes[0].ID, unis[k].ID, "must", "激光焊接质量检测合作", true)
	}
	if _, err := svc.Match.ScheduleAll(1); err != nil {
		t.Fatal(err)
	}
	svc.Match.Publish()
	pdfBytes, err := svc.Table.Agendas(AgendaRequest{IDs: []string{smes[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "agenda.pdf")
	os.WriteFile(path, pdfBytes, 0o644)
	text, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{smes[0].Name, unis[0].Name, unis[1].Name, unis[2].Name, "14:00", "1 号桌", "共 3 场洽谈", "激光焊接", "2026年5月20日", "济南国际会展中心"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("agenda lacks %q:\n%s", want, text)
		}
	}
	if pages := strings.Count(string(text), "\f"); pages != 1 {
		t.Errorf("one person's agenda has %d pages, want 1", pages)
	}
	// The QR read back from the rendered page. gozxing misreads a finder
	// pattern now and then at one resolution (seen once in about forty
	// runs here): a phone would simply try again closer, and so
	// does the test, at three resolutions.
	var res *gozxing.Result
	var readErr error
	for _, dpi := range []string{"150", "200", "300"} {
		if out, err := exec.Command("pdftoppm", "-r", dpi, "-png", "-singlefile", path, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		f, _ := os.Open(filepath.Join(dir, "p.png"))
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
		if res, readErr = qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}); readErr == nil {
			break
		}
	}
	if readErr != nil {
		t.Fatalf("agenda QR unreadable at 150, 200 and 300 dpi: %v", readErr)
	}
	code, _ := svc.Checkin.BadgeCode(smes[0].ID)
	if res.GetText() != code {
		t.Fatalf("agenda QR %q, want %q", res.GetText(), code)
	}
	if os.Getenv("FUZHI_KEEP_PNG") != "" {
		raw, _ := os.ReadFile(filepath.Join(dir, "p.png"))
		os.WriteFile(os.Getenv("FUZHI_KEEP_PNG"), raw, 0o644)
	}
	if tents, err := svc.Table.TableTents(); err != nil || !strings.HasPrefix(string(tents), "%PDF") {
		t.Fatalf("table tents: %v", err)
	}
}
