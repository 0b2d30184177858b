package pdf

import (
	"bytes"
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

func TestPrintableDropsWhatTheFontCannotDraw(t *testing.T) {
	cases := map[string]string{
		"张三":           "张三",
		"欧阳🫠娜娜":        "欧阳娜娜",
		"  李\t四 ":      "李 四",
		"𠮷野家":          "𠮷野家", // outside the BMP, drawn by HanaMinB
		"🫠🫠":           "",
		"Zhang San 3号": "Zhang San 3号",
	}
	for in, want := range cases {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLayoutsAndRefusals(t *testing.T) {
	if _, err := LayoutByID("a5"); err == nil || !strings.Contains(err.Error(), "a6") {
		t.Fatalf("unknown layout: %v", err)
	}
	if err := Badges(&bytes.Buffer{}, "a6", "活动", nil); err == nil {
		t.Fatal("empty badge list accepted")
	}
}

// TestBadgeQRDecodesToItsCode renders each layout to PNG with pdftoppm, as a
// printer would see it, and reads the QR back.
func TestBadgeQRDecodesToItsCode(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftoppm (poppler-utils) is required in CI")
		}
		t.Skip("pdftoppm not installed")
	}
	code := "FZ1.EDEMO2026.PDEMO0001.3.ABCDEFGHIJKLMNOP"
	badges := []Badge{{Name: "张三🫠", Org: "青岛大学", Title: "教授", RoleLabel: "高校", Color: [3]int{22, 160, 93}, Code: code}}
	for _, l := range Layouts {
		t.Run(l.ID, func(t *testing.T) {
			dir := t.TempDir()
			var buf bytes.Buffer
			if err := Badges(&buf, l.ID, "科技成果赋智中小企业深度行", badges); err != nil {
				t.Fatal(err)
			}
			pdfPath := filepath.Join(dir, "b.pdf")
			os.WriteFile(pdfPath, buf.Bytes(), 0o644)
			out, err := exec.Command("pdftoppm", "-r", "200", "-png", "-singlefile", pdfPath, filepath.Join(dir, "b")).CombinedOutput()
			if err != nil {
				t.Fatalf("pdftoppm: %v %s", err, out)
			}
			f, err := os.Open(filepath.Join(dir, "b.png"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, _, err := image.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Dx() * 254 / 200 / 10; got < int(l.W)-2 || got > int(l.W)+2 {
				t.Errorf("page is %d mm wide, want %.0f", got, l.W)
			}
			bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
			res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
			if err != nil {
				t.Fatalf("QR not readable on the %s badge: %v", l.ID, err)
			}
			if res.GetText() != code {
				t.Fatalf("QR reads %q, want %q", res.GetText(), code)
			}
		})
	}
}
