package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg"
	"image/png"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Layout is a badge size in millimetres.
type Layout struct {
	ID    string  `json:"id"`
	Label string  `json:"label"`
	W     float64 `json:"w"`
	H     float64 `json:"h"`
	// Mono is for thermal label printers: black and white only.
	Mono bool `json:"mono"`
}

// Layouts are the badge sizes organizers print on.
var Layouts = []Layout{
	{ID: "a6", Label: "A6 胸卡（105×148 mm）", W: 105, H: 148},
	{ID: "4x3", Label: "4×3 英寸胸卡（102×76 mm）", W: 101.6, H: 76.2},
	{ID: "label60x40", Label: "60×40 mm 热敏标签", W: 60, H: 40, Mono: true},
}

// LayoutByID finds a layout; unknown ids are an error naming the choices.
func LayoutByID(id string) (Layout, error) {
	for _, l := range Layouts {
		if l.ID == id {
			return l, nil
		}
	}
	return Layout{}, fmt.Errorf("未知的胸卡版式“%s”，可选：a6、4x3、label60x40", id)
}

// Badge is what one badge shows.
type Badge struct {
	Name      string
	Org       string
	Title     string
	Category  string // the band: 嘉宾, 代表, 媒体, 工作人员 (the role when empty)
	RoleLabel string // which kind of organization, printed small
	Color     [3]int // the band's colour
	Code      string // signed badge code, drawn as QR
	// Turn is the person's own turn on stage, printed on the back ("路演
	// 09:38", "嘉宾"); empty for most.
	Turn string
}

// Sheet is what every badge of a print run shares.
type Sheet struct {
	Layout string
	Event  string
	Logo   []byte // the organizer's PNG or JPEG mark, or nothing
	// Progress, if set, hears how many pages are drawn (every 100, and at
	// the end): a run of thousands takes many seconds.
	Progress func(done, total int)
	// Back, when set, is the day's programme printed on the back of each
	// A6 badge (a page after each, for double-sided printing); the smaller
	// sizes have no room and print none.
	Back []ProgrammeLine
}

// Badges writes one page per badge.
func Badges(w io.Writer, layoutID, eventName string, badges []Badge) error {
	return PrintBadges(w, Sheet{Layout: layoutID, Event: eventName}, badges)
}

// PrintBadges writes one page per badge of the sheet.
func PrintBadges(w io.Writer, sheet Sheet, badges []Badge) error {
	layoutID, eventName, progress := sheet.Layout, sheet.Event, sheet.Progress
	l, err := LayoutByID(layoutID)
	if err != nil {
		return err
	}
	if len(badges) == 0 {
		return fmt.Errorf("没有需要打印的胸卡")
	}
	// fpdf swaps the sides of a landscape ("L") size, so give the exact
	// size as portrait and let the numbers say which way round it is.
	const orientation = "P"
	raw := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orientation, UnitStr: "mm", Size: fpdf.SizeType{Wd: l.W, Ht: l.H}})
	raw.SetAutoPageBreak(false, 0)
	raw.SetMargins(0, 0, 0)
	raw.SetTitle("胸卡 "+Printable(eventName), true)
	raw.SetCreator("赋智会务台 Fuzhi Event Desk", true)
	raw.SetCompression(false)
	doc, err := newDocument(raw)
	if err != nil {
		return fmt.Errorf("load badge font: %w", err)
	}
	event := Printable(eventName)
	logo := ""
	if len(sheet.Logo) > 0 && (l.ID == "a6" || l.ID == "4x3") { // a thermal label has no room for it
		if logo, err = registerLogo(doc, sheet.Logo); err != nil {
			return err
		}
	}
	enc := newQREncoder()
	for i, b := range badges {
		doc.AddPageFormat(orientation, fpdf.SizeType{Wd: l.W, Ht: l.H})
		img, err := qrImage(doc, enc, fmt.Sprintf("qr%d", i), b.Code)
		if err != nil {
			return fmt.Errorf("badge %d (%s): %w", i+1, b.Name, err)
		}
		switch l.ID {
		case "a6":
			drawA6(doc, l, event, b, img, logo)
			if len(sheet.Back) > 0 {
				doc.AddPageFormat(orientation, fpdf.SizeType{Wd: l.W, Ht: l.H})
				drawBack(doc, l, event, b, sheet.Back)
			}
		case "4x3":
			drawLandscape(doc, l, event, b, img, logo)
		default:
			drawLabel(doc, l, b, img)
		}
		if err := doc.Error(); err != nil {
			return fmt.Errorf("badge %d (%s): %w", i+1, b.Name, err)
		}
		if progress != nil && (i+1)%100 == 0 {
			progress(i+1, len(badges))
		}
	}
	if err := doc.Output(w); err != nil {
		return err
	}
	if progress != nil {
		progress(len(badges), len(badges))
	}
	return nil
}

// pngBuffers lets every badge reuse one deflate writer: a fresh one per
// badge allocated a megabyte each and dominated the time of a large print run.
type pngBuffers struct{ b *png.EncoderBuffer }

func (p *pngBuffers) Get() *png.EncoderBuffer  { return p.b }
func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.b = b }

// qrEncoder draws QR codes as small PNG images, reusing its buffers.
type qrEncoder struct {
	png png.Encoder
	buf bytes.Buffer
}

// newQREncoder stores the image uncompressed: a 1-bit code of 37×37
// modules is about 200 bytes either way, and deflating it cost more than
// the rest of the badge.
func newQREncoder() *qrEncoder {
	return &qrEncoder{png: png.Encoder{CompressionLevel: png.NoCompression, BufferPool: &pngBuffers{}}}
}

// quietZone is the light margin a scanner needs around a code, in modules.
const quietZone = 4

var blackAndWhite = color.Palette{color.White, color.Black}

// qrImage registers the code as a 1-bit image, one pixel per module, quiet
// zone included (PDF viewers and printers scale it without smoothing):
// about 200 bytes per badge, where drawing modules as vectors costs
// kilobytes (see qr.go for the code itself).
func qrImage(doc *document, enc *qrEncoder, name, code string) (string, error) {
	img, err := qrPicture(code)
	if err != nil {
		return "", err
	}
	enc.buf.Reset()
	if err := enc.png.Encode(&enc.buf, img); err != nil {
		return "", fmt.Errorf("encode QR: %w", err)
	}
	doc.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &enc.buf)
	return name, doc.Error()
}

// fit returns the largest size (down to min) at which s fits width w.
func fit(doc *document, s string, w, max, min float64) float64 {
	for size := max; size > min; size -= 1 {
		doc.SetFontSize(size)
		if doc.GetStringWidth(s) <= w {
			return size
		}
	}
	return min
}

// lines breaks s into at most n lines of width w, rune by rune (Chinese
// has no spaces to break at); the last line ends with "…" if cut.
func lines(doc *document, s string, w float64, n int) []string {
	var out []string
	cur := []rune{}
	for _, r := range s {
		next := append(cur, r)
		// Closing punctuation never starts a line (禁则): it stays, slightly over.
		closing := strings.ContainsRune("）)，,。.、；;：:！!？?」』”’》", r)
		if doc.GetStringWidth(string(next)) > w && len(cur) > 0 && !closing {
			out = append(out, string(cur))
			cur = []rune{r}
			if len(out) == n {
				last := []rune(out[n-1])
				out[n-1] = string(last[:max(0, len(last)-1)]) + "…"
				return out
			}
			continue
		}
		cur = next
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}

func centered(doc *document, s string, x, y, w float64) {
	doc.Text(x+(w-doc.GetStringWidth(s))/2, y, s)
}

// registerLogo adds the logo to the document once; every page refers to it.
func registerLogo(doc *document, data []byte) (string, error) {
	_, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return "", fmt.Errorf("活动标志应为 PNG 或 JPEG 图片")
	}
	kind := map[string]string{"png": "PNG", "jpeg": "JPG"}[format]
	info := doc.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: kind}, bytes.NewReader(data))
	if err := doc.Error(); err != nil || info == nil {
		return "", fmt.Errorf("活动标志无法放入胸卡：%v", err)
	}
	return "logo", nil
}

// drawLogo puts the logo in a box, keeping its proportions.
func drawLogo(doc *document, logo string, x, y, maxW, maxH float64) float64 {
	info := doc.GetImageInfo(logo)
	if info == nil || info.Width() <= 0 || info.Height() <= 0 {
		return 0
	}
	w, h := maxW, maxW*info.Height()/info.Width()
	if h > maxH {
		w, h = maxH*info.Width()/info.Height(), maxH
	}
	doc.ImageOptions(logo, x, y+(maxH-h)/2, w, h, false, fpdf.ImageOptions{}, 0, "")
	return w
}

// bandText is the band's word: the category, or the role when there is none.
func bandText(b Badge) string {
	if c := Printable(b.Category); c != "" {
		return c
	}
	return Printable(b.RoleLabel)
}

// roleLine is the role under the band, when the band shows the category.
func roleLine(b Badge) string {
	if Printable(b.Category) == "" {
		return ""
	}
	return Printable(b.RoleLabel)
}

func nameOf(b Badge) string {
	if n := Printable(b.Name); n != "" {
		return n
	}
	return "?"
}

func drawA6(doc *document, l Layout, event string, b Badge, img, logo string) {
	m := 8.0
	w := l.W - 2*m
	x := m
	if logo != "" {
		used := drawLogo(doc, logo, m, 5, 22, 14) + 3
		x, w = m+used, w-used
	}
	doc.SetTextColor(90, 90, 90)
	doc.SetFont(fontFamily, "", 9)
	for i, ln := range lines(doc, event, w, 2) {
		centered(doc, ln, x, 12+float64(i)*4.5, w)
	}
	w = l.W - 2*m
	doc.SetFillColor(b.Color[0], b.Color[1], b.Color[2])
	doc.Rect(0, 22, l.W, 13, "F")
	doc.SetTextColor(255, 255, 255)
	doc.SetFont(fontFamily, "", 15)
	centered(doc, bandText(b), 0, 31, l.W)
	if r := roleLine(b); r != "" {
		doc.SetTextColor(110, 110, 110)
		doc.SetFontSize(9)
		centered(doc, r, m, 40.5, w)
	}

	name := nameOf(b)
	doc.SetTextColor(20, 20, 20)
	fit(doc, name, w, 40, 16)
	centered(doc, name, m, 56, w)
	doc.SetFont(fontFamily, "", 13)
	for i, ln := range lines(doc, Printable(b.Org), w, 2) {
		centered(doc, ln, m, 67+float64(i)*6, w)
	}
	if t := Printable(b.Title); t != "" {
		doc.SetTextColor(100, 100, 100)
		doc.SetFontSize(10)
		centered(doc, t, m, 81, w)
	}
	q := 46.0
	doc.ImageOptions(img, (l.W-q)/2, 88, q, q, false, fpdf.ImageOptions{}, 0, "")
	doc.SetTextColor(140, 140, 140)
	doc.SetFontSize(5.5)
	centered(doc, b.Code, 0, 140, l.W)
}

func drawLandscape(doc *document, l Layout, event string, b Badge, img, logo string) {
	doc.SetFillColor(b.Color[0], b.Color[1], b.Color[2])
	doc.Rect(0, 0, l.W, 11, "F")
	doc.SetTextColor(255, 255, 255)
	doc.SetFont(fontFamily, "", 12)
	band := bandText(b)
	if r := roleLine(b); r != "" {
		band += " · " + r
	}
	doc.Text(6, 7.6, band)
	if logo != "" {
		drawLogo(doc, logo, 6, 66, 24, 8)
	}
	doc.SetFontSize(7)
	ev := lines(doc, event, l.W-50, 1)
	if len(ev) > 0 {
		doc.Text(l.W-6-doc.GetStringWidth(ev[0]), 7, ev[0])
	}
	q := 34.0
	textW := l.W - q - 16
	name := nameOf(b)
	doc.SetTextColor(20, 20, 20)
	fit(doc, name, textW, 30, 12)
	doc.Text(6, 32, name)
	doc.SetFont(fontFamily, "", 11)
	for i, ln := range lines(doc, Printable(b.Org), textW, 3) {
		doc.Text(6, 44+float64(i)*5.5, ln)
	}
	if t := Printable(b.Title); t != "" {
		doc.SetTextColor(100, 100, 100)
		doc.SetFontSize(9)
		doc.Text(6, 64, t)
	}
	doc.ImageOptions(img, l.W-q-5, 20, q, q, false, fpdf.ImageOptions{}, 0, "")
	doc.SetTextColor(140, 140, 140)
	doc.SetFontSize(4.5)
	doc.Text(l.W-q-5, 71, b.Code)
}

func drawLabel(doc *document, l Layout, b Badge, img string) {
	// Thermal printers print black only: the role is a black band with white text.
	doc.SetFillColor(0, 0, 0)
	doc.Rect(0, 0, l.W, 7, "F")
	doc.SetTextColor(255, 255, 255)
	doc.SetFont(fontFamily, "", 8)
	band := bandText(b)
	if r := roleLine(b); r != "" {
		band += " · " + r
	}
	doc.Text(2.5, 5, band)
	q := 24.0
	textW := l.W - q - 5
	name := nameOf(b)
	doc.SetTextColor(0, 0, 0)
	fit(doc, name, textW, 18, 8)
	doc.Text(2.5, 17, name)
	doc.SetFont(fontFamily, "", 7)
	for i, ln := range lines(doc, Printable(b.Org), textW, 3) {
		doc.Text(2.5, 24+float64(i)*3.4, ln)
	}
	doc.ImageOptions(img, l.W-q-1.5, 10, q, q, false, fpdf.ImageOptions{}, 0, "")
}

// drawBack is the back of an A6 badge: the day's programme, as many
// sessions as the card holds, and the wearer's own turn on stage.
func drawBack(doc *document, l Layout, event string, b Badge, programme []ProgrammeLine) {
	doc.SetTextColor(20, 20, 20)
	doc.SetFont(fontFamily, "", 12)
	centered(doc, "会议议程", 0, 12, l.W)
	doc.SetFont(fontFamily, "", 7.5)
	doc.SetTextColor(120, 120, 120)
	centered(doc, line(doc, event, l.W-12), 0, 17, l.W)
	y := 24.0
	if b.Turn != "" {
		doc.SetFillColor(248, 240, 238)
		doc.Rect(6, y, l.W-12, 8, "F")
		doc.SetTextColor(192, 57, 43)
		doc.SetFont(fontFamily, "", 9.5)
		doc.Text(8, y+5.5, line(doc, "您的安排："+Printable(b.Turn), l.W-16))
		y += 11
	}
	for i, p := range programme {
		if y > l.H-14 {
			doc.SetTextColor(120, 120, 120)
			doc.SetFont(fontFamily, "", 7.5)
			doc.Text(8, y+3, fmt.Sprintf("…… 另有 %d 个环节，见会场议程大屏", len(programme)-i))
			break
		}
		doc.SetTextColor(20, 20, 20)
		doc.SetFont(fontFamily, "", 8.5)
		doc.Text(8, y+4, p.Time)
		doc.SetTextColor(192, 57, 43)
		doc.SetFont(fontFamily, "", 7.5)
		doc.Text(30, y+4, line(doc, Printable(p.Kind), 18))
		doc.SetTextColor(20, 20, 20)
		doc.SetFont(fontFamily, "", 8.5)
		doc.Text(49, y+4, line(doc, Printable(p.Title), l.W-55))
		doc.SetTextColor(110, 110, 110)
		doc.SetFont(fontFamily, "", 7)
		doc.Text(49, y+7.5, line(doc, Printable(p.Room), l.W-55))
		y += 10
	}
}
