package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

func addPerson(t *testing.T, svc *Services, name, mobile string) model.Participant {
	t.Helper()
	p, err := svc.Roster.Save(model.Participant{Name: name, Org: "青岛大学", Mobile: mobile, Role: model.RoleUniversity})
	if err != nil {
		t.Fatal(err)
	}
	return *p
}

func autoFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if strings.Contains(e.Name(), "-"+autoBackupTag+"-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// A USB stick is set as the backup folder: a verified backup is written at
// once, the header hears of it, an unchanged event is not copied again, a
// changed one is, and only the newest Keep of this event's backups stay
// (other events' files and hand-made copies on the stick are left alone).
func TestBackupsAreWrittenVerifiedAndRotated(t *testing.T) {
	svc, ws, em := newTestServices(t)
	createEvent(t, svc)
	addPerson(t, svc, "张三", "13800000001")
	stick := filepath.Join(t.TempDir(), "U盘 E", "会务备份")
	other := filepath.Join(stick, "别的活动-EOTHER-自动备份-20260101-090000.fzevent")
	mine := filepath.Join(stick, "手工备份.fzevent")
	os.MkdirAll(stick, 0o700)
	os.WriteFile(other, []byte("another event's backup"), 0o600)
	os.WriteFile(mine, []byte("a copy made by hand"), 0o600)

	minute := 0
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 9, minute, 0, 0, time.Local) })
	st, err := svc.Backup.Configure(BackupSettings{Folder: stick, EveryMinutes: 5, Keep: 2})
	if err != nil {
		t.Fatal(err)
	}
	if st.State != "ok" || st.LastGood == "" || !strings.HasPrefix(st.LastPath, stick) || len(autoFiles(t, stick)) != 2 {
		t.Fatalf("after configure: %+v, files %v", st, autoFiles(t, stick))
	}
	if !em.saw(BackupChanged) {
		t.Fatal("the header was not told of the backup")
	}
	sum, err := store.Inspect(st.LastPath)
	if err != nil || sum.Counts[store.KindParticipant] != 1 {
		t.Fatalf("the backup holds %+v (%v)", sum, err)
	}

	// Nothing changed: a tick writes nothing.
	minute = 5
	cur, _ := ws.Store()
	if err := svc.Backup.backup(cur, false); err != nil {
		t.Fatal(err)
	}
	if n := len(autoFiles(t, stick)); n != 2 || svc.Backup.Status().LastPath != st.LastPath {
		t.Fatalf("an unchanged event was copied again: %v", autoFiles(t, stick))
	}
	// Two changes, two ticks: the oldest backup of this event goes.
	for i, name := range []string{"李四", "王五"} {
		minute = 10 + 5*i
		addPerson(t, svc, name, "1380000001"+string(rune('2'+i)))
		if err := svc.Backup.backup(cur, false); err != nil {
			t.Fatal(err)
		}
	}
	files := autoFiles(t, stick)
	var ours []string
	for _, f := range files {
		if !strings.Contains(f, "EOTHER") {
			ours = append(ours, f)
		}
	}
	if len(ours) != 2 || !strings.HasSuffix(ours[1], "20260520-091500.fzevent") || !strings.HasSuffix(ours[0], "20260520-091000.fzevent") {
		t.Fatalf("kept %v, want the 09:10 and 09:15 backups", ours)
	}
	for _, f := range []string{other, mine} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("rotation removed %s", f)
		}
	}
	latest, _ := store.Inspect(svc.Backup.Status().LastPath)
	if latest.Counts[store.KindParticipant] != 3 {
		t.Fatalf("the newest backup holds %d people, want 3", latest.Counts[store.KindParticipant])
	}
}

// The stick is pulled out mid-event: the next backup fails loudly (the
// header turns red with the reason), the event goes on, and when the stick
// is back the next backup succeeds.
func TestAPulledStickFailsLoudlyAndRecovers(t *testing.T) {
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	stick := filepath.Join(t.TempDir(), "stick")
	if _, err := svc.Backup.Configure(BackupSettings{Folder: stick}); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(stick)
	os.WriteFile(stick, []byte("the drive letter now names something else"), 0o600)
	addPerson(t, svc, "张三", "13800000001")
	if _, err := svc.Backup.BackupNow(); err == nil {
		t.Fatal("a backup into a pulled stick succeeded")
	}
	st := svc.Backup.Status()
	if st.State != "failing" || !strings.Contains(st.LastError, "备份到") || st.LastGood == "" {
		t.Fatalf("status after the failure: %+v", st)
	}
	if _, err := svc.Roster.Save(model.Participant{Name: "李四", Org: "山东大学", Mobile: "13800000002"}); err != nil {
		t.Fatalf("the event stopped working with the stick gone: %v", err)
	}
	os.Remove(stick)
	if _, err := svc.Backup.BackupNow(); err != nil {
		t.Fatal(err)
	}
	if st := svc.Backup.Status(); st.State != "ok" || st.LastError != "" {
		t.Fatalf("after the stick came back: %+v", st)
	}
}

// The ticker itself runs: with a short tick, a change is backed up without
// anyone asking.
func TestTheTickerBacksUpChanges(t *testing.T) {
	svc, _, _ := newTestServices(t)
	svc.Backup.tick = 20 * time.Millisecond
	createEvent(t, svc)
	stick := t.TempDir()
	if _, err := svc.Backup.Configure(BackupSettings{Folder: stick}); err != nil {
		t.Fatal(err)
	}
	first := svc.Backup.Status().LastPath
	addPerson(t, svc, "张三", "13800000001")
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := svc.Backup.Status()
		if sum, err := store.Inspect(st.LastPath); err == nil && sum.Counts[store.KindParticipant] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no backup of the change; status %+v (first %s)", st, first)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBackupSettingsRefuseWhatCannotWork(t *testing.T) {
	svc, _, _ := newTestServices(t)
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	for _, bad := range []BackupSettings{
		{Folder: "会务备份"}, // relative: where would it go?
		{Folder: file},   // not a folder
		{Folder: t.TempDir(), EveryMinutes: 61},
		{Folder: t.TempDir(), EveryMinutes: -1},
		{Folder: t.TempDir(), Keep: 1},
	} {
		if _, err := svc.Backup.Configure(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if got := svc.Backup.Settings(); got.Folder != "" {
		t.Fatalf("a refused setting was kept: %+v", got)
	}
	if _, err := svc.Backup.BackupNow(); err == nil {
		t.Fatal("backup without an event or a folder succeeded")
	}
}

// The hub laptop dies; its last backup is on the stick. Another laptop lists
// the stick, sees what each backup holds, and opens a copy: the copy is a new
// replica holding the backup's people, and the stick's file is unchanged.
func TestRestoreOnAnotherLaptopOpensACopy(t *testing.T) {
	svc, _, _ := newTestServices(t)
	info := createEvent(t, svc)
	for i, name := range []string{"张三", "李四", "王五"} {
		addPerson(t, svc, name, "1380000000"+string(rune('1'+i)))
	}
	stick := t.TempDir()
	st, err := svc.Backup.Configure(BackupSettings{Folder: stick})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(st.LastPath)
	os.WriteFile(filepath.Join(stick, "假的.fzevent"), []byte("not an event"), 0o600)

	other, ws2, _ := newTestServices(t)
	list, err := other.Backup.List(stick)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("listed %d files, want the backup and the fake", len(list))
	}
	var good, fake BackupEntry
	for _, e := range list {
		if e.Problem == "" {
			good = e
		} else {
			fake = e
		}
	}
	if good.EventID != info.Event.ID || good.EventName != "深度行·青岛站" || good.Counts[store.KindParticipant] != 3 || !good.Auto {
		t.Fatalf("the backup listed as %+v", good)
	}
	if fake.Problem == "" || !strings.Contains(fake.Problem, "不是赋智会务台的活动文件") {
		t.Fatalf("the fake listed as %+v", fake)
	}
	if _, err := other.Backup.Restore(fake.Path); err == nil {
		t.Fatal("a fake file was restored")
	}
	opened, err := other.Backup.Restore(good.Path)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(opened.Path) != ws2.DataDir() || opened.Event.ID != info.Event.ID || opened.Participants != 3 {
		t.Fatalf("restored as %+v", opened)
	}
	cur, _ := ws2.Store()
	if cur.Station() == good.Station {
		t.Fatal("the copy kept the lost laptop's station id")
	}
	if after, _ := os.ReadFile(good.Path); string(after) != string(before) {
		t.Fatal("restoring changed the backup on the stick")
	}
	if _, err := other.Backup.Restore(opened.Path); err == nil {
		t.Fatal("restoring the open file over itself succeeded")
	}
}

// saw says whether the emitter was sent the named UI event.
func (r *recordingEmitter) saw(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if e == name {
			return true
		}
	}
	return false
}

// A station's backup restored on another laptop does not try to sync as
// that station (its token is bound to the old replica id: every batch
// would be refused), nor does a hub's backup start listening by itself.
func TestARestoredCopyDoesNotRejoinTheVenueByItself(t *testing.T) {
	v := newVenue(t)
	stick := t.TempDir()
	for _, s := range []*Services{v.station, v.hub} {
		if _, err := s.Backup.Configure(BackupSettings{Folder: stick}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := v.hub.Backup.List(stick)
	if err != nil || len(list) != 2 {
		t.Fatalf("backups %v %v", list, err)
	}
	for _, e := range list {
		spare, _, _ := newTestServices(t)
		if _, err := spare.Backup.Restore(e.Path); err != nil {
			t.Fatal(err)
		}
		st, err := spare.Network.Status()
		if err != nil || st.Role != "standalone" {
			t.Fatalf("a restored copy of %s came back as %+v (%v)", e.Path, st, err)
		}
	}
}
