package pdf

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png"
	"math/rand"
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

// TestQRCodesRead reads back 300 badge codes of every shape the app makes
// (event and participant ids of several lengths, signature characters),
// drawn four pixels per module, without the decoder's extra effort: the
// encoder keeps one mask for every code, and no code may come out hard to read.
func TestQRCodesRead(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	const sig = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	for i := 0; i < 300; i++ {
		s := make([]byte, 20+r.Intn(30))
		for j := range s {
			s[j] = sig[r.Intn(len(sig))]
		}
		code := fmt.Sprintf("FZ1.E%d.P%07d.%d.%s", r.Intn(1e6), r.Intn(1e7), r.Intn(9), s)
		pic, err := qrPicture(code)
		if err != nil {
			t.Fatal(err)
		}
		const px = 4
		big := image.NewGray(image.Rect(0, 0, pic.Rect.Dx()*px, pic.Rect.Dy()*px))
		for y := range big.Rect.Dy() {
			for x := range big.Rect.Dx() {
				if pic.ColorIndexAt(x/px, y/px) == 0 {
					big.Pix[y*big.Stride+x] = 0xff
				}
			}
		}
		bmp, _ := gozxing.NewBinaryBitmapFromImage(big)
		res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil || res.GetText() != code {
			t.Fatalf("code %d (%s) reads %v, %v", i, code, res, err)
		}
	}
}

// TestABadgePageSelectsItsFontOnlyWhenItChanges: fpdf writes a font
// operator on every size change, and fitting a name tries many sizes. The
// badges are written uncompressed (a deflate writer per page cost 1 MB and
// most of the time of 5,000 badges), so every operator is bytes on paper.
func TestABadgePageSelectsItsFontOnlyWhenItChanges(t *testing.T) {
	var buf bytes.Buffer
	badges := []Badge{{Name: "欧阳娜娜", Org: "山东省济南市历城区第十二精密机械制造科技有限责任公司", Title: "总经理", RoleLabel: "企业", Code: "FZ1.E1.P1.1.ABCD"}}
	if err := Badges(&buf, "a6", "2026 山东省科技成果转化深度行（济南站）", badges); err != nil {
		t.Fatal(err)
	}
	page := buf.Bytes()[bytes.Index(buf.Bytes(), []byte("stream")):]
	page = page[:bytes.Index(page, []byte("endstream"))]
	if n := bytes.Count(page, []byte(" Tf ")); n > 10 {
		t.Fatalf("the page selects a font %d times:\n%s", n, page)
	}
	if len(page) > 2500 {
		t.Fatalf("a badge page is %d bytes", len(page))
	}
}
