package app

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/model"
)

// TestLongBadgeRunsSayHowFarTheyAre: a run of hundreds of badges reports its
// pages as it draws them, ending at the total; a short one says nothing.
func TestLongBadgeRunsSayHowFarTheyAre(t *testing.T) {
	svc, _, em := newTestServices(t)
	createEvent(t, svc)
	if _, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: sample(t, "participants-gbk.csv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Badge.Print(BadgeRequest{Layout: "label60x40"}); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(em.progress)
	if got != "[{100 188} {188 188}]" {
		t.Fatalf("progress of 188 badges: %s", got)
	}
	em.progress = nil
	page, _ := svc.Roster.List(ParticipantQuery{Limit: 3})
	if _, err := svc.Badge.Print(BadgeRequest{IDs: []string{page.Items[0].ID, page.Items[1].ID}}); err != nil {
		t.Fatal(err)
	}
	if len(em.progress) != 0 {
		t.Fatalf("two badges reported progress: %v", em.progress)
	}
}

// A badge's band says 嘉宾, 代表, 媒体 or 工作人员 (set, or following from the
// role), the role is printed under it, and the event's logo is on every
// badge once the organizer has set it. Only a real PNG or JPEG is taken.
func TestBadgesCarryTheCategoryAndTheLogo(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	var ids []string
	for _, p := range []model.Participant{
		{Name: "周强", Org: "山东省工业和信息化厅", Role: model.RoleGovernment},
		{Name: "刘洋", Org: "青岛恒达精密机械有限公司", Role: model.RoleSME},
		{Name: "孙悦", Org: "大众日报", Role: model.RoleMedia},
		{Name: "何静", Org: "会务组", Category: model.CategoryStaff},
		{Name: "吴昊", Org: "山东大学", Role: model.RoleUniversity, Category: model.CategoryGuest},
	} {
		saved, err := svc.Roster.Save(p)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, saved.ID)
	}
	if _, err := svc.Roster.Save(model.Participant{Name: "某人", Category: "vip"}); err == nil {
		t.Fatal("an unknown category was saved")
	}
	var logo bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 120, 60))
	for x := 0; x < 120; x++ {
		for y := 0; y < 60; y++ {
			img.Set(x, y, color.RGBA{200, 30, 40, 255})
		}
	}
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{[]byte("not a picture"), append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, model.MaxLogoBytes)...)} {
		if _, err := svc.Event.SetLogo(bad); err == nil {
			t.Fatalf("a bad logo of %d bytes was taken", len(bad))
		}
	}
	if _, err := svc.Event.SetLogo(logo.Bytes()); err != nil {
		t.Fatal(err)
	}
	for _, layout := range []string{"a6", "4x3", "label60x40"} {
		out, err := svc.Badge.Print(BadgeRequest{Layout: layout, IDs: ids})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), layout+".pdf")
		if dir := os.Getenv("FUZHI_KEEP_PDF"); dir != "" {
			path = filepath.Join(dir, "badges-category-"+layout+".pdf") // to look at
		}
		os.WriteFile(path, out.PDF, 0o600)
		text, err := exec.Command("pdftotext", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(string(text), "\f")
		for i, want := range []string{"嘉宾", "代表", "媒体", "工作人员", "嘉宾"} {
			if !strings.Contains(pages[i], want) {
				t.Errorf("%s page %d lacks %s:\n%s", layout, i+1, want, pages[i])
			}
		}
		if !strings.Contains(pages[1], "中小企业") || !strings.Contains(pages[4], "高校") {
			t.Errorf("%s: the role is not under the band", layout)
		}
		// The logo is one image in the file, drawn on the A6 and 4×3 badges.
		want := len(ids) + 1
		if layout == "label60x40" {
			want = len(ids)
		}
		if bytes.Count(out.PDF, []byte("/Subtype /Image")) != want {
			t.Errorf("%s: %d images for %d badges and a logo", layout, bytes.Count(out.PDF, []byte("/Subtype /Image")), len(ids))
		}
	}
	if info, _ := svc.Event.SetLogo(nil); len(info.Event.Logo) != 0 {
		t.Fatal("the logo was not removed")
	}
}

// A logo whose header reads as a picture but whose body is broken (what a
// hostile or damaged file would be) is refused when it is set, and badges
// still print.
func TestABrokenLogoIsRefusedAndBadgesStillPrint(t *testing.T) {
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	p, err := svc.Roster.Save(model.Participant{Name: "周强", Org: "青岛大学"})
	if err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	png.Encode(&good, image.NewRGBA(image.Rect(0, 0, 40, 20)))
	broken := append([]byte{}, good.Bytes()[:40]...) // IHDR intact, the pixels cut off
	broken = append(broken, bytes.Repeat([]byte{0xFF}, 64)...)
	if _, err := svc.Event.SetLogo(broken); err == nil {
		t.Fatal("a logo with broken pixels was taken")
	}
	if _, err := svc.Badge.Print(BadgeRequest{Layout: "a6", IDs: []string{p.ID}}); err != nil {
		t.Fatalf("badges after a refused logo: %v", err)
	}
	// A JPEG is kept as a plain PNG, and the badges print with it.
	var photo bytes.Buffer
	jpeg.Encode(&photo, image.NewRGBA(image.Rect(0, 0, 64, 32)), nil)
	info, err := svc.Event.SetLogo(photo.Bytes())
	if err != nil || !bytes.HasPrefix(info.Event.Logo, []byte("\x89PNG")) {
		t.Fatalf("a JPEG logo: %v", err)
	}
	if _, err := svc.Badge.Print(BadgeRequest{Layout: "4x3", IDs: []string{p.ID}}); err != nil {
		t.Fatalf("badges with the JPEG logo: %v", err)
	}
}
