package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/app"
	"github.com/fuzhi/eventdesk/frontend"
	"github.com/fuzhi/eventdesk/internal/cli"
	"github.com/fuzhi/eventdesk/internal/logfile"
)

// hubVerb runs an event as the hub of the venue network until interrupted.
func hubVerb(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("hub")
	event := fs.String("event", "", "event file")
	listen := fs.String("listen", ":8443", "LAN address for stations and exhibitors (TLS)")
	codes := fs.Int("codes", 1, "station pairing codes to make")
	codesOut := fs.String("codes-out", "", "write the pairing links to this file, one per line")
	promote := fs.Bool("promote", false, "this station's file takes over as hub (the hub laptop is lost)")
	if err := cli.Parse(fs, args, "event"); err != nil {
		return err
	}
	listenSet := false
	fs.Visit(func(f *flag.Flag) { listenSet = listenSet || f.Name == "listen" })
	logger, logs, err := logfile.Open(dirOf(*event))
	if err != nil {
		return fmt.Errorf("无法创建日志文件：%w", err)
	}
	defer logs.Close()
	a := app.New(app.Options{Context: ctx, DataDir: dirOf(*event), UI: frontend.Dist(), Logger: logger})
	ws, svc := a.Workspace, &a.Services
	if _, err := svc.Event.Open(*event); err != nil {
		return err
	}
	defer ws.CloseEvent()
	start := svc.Network.StartHub
	if *promote {
		// On the lost hub's port unless told otherwise: the desks look there.
		start = svc.Network.Promote
		if !listenSet {
			*listen = ""
		}
	}
	st, err := start(*listen)
	if err != nil {
		return err
	}
	var links []string
	for i := 0; i < *codes; i++ {
		c, err := svc.Network.NewPairingCode("station", "")
		if err != nil {
			return err
		}
		links = append(links, c.Link)
	}
	if *codesOut != "" {
		if err := os.WriteFile(*codesOut+".tmp", []byte(strings.Join(links, "\n")+"\n"), 0o600); err != nil {
			return err
		}
		if err := os.Rename(*codesOut+".tmp", *codesOut); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "主控服务已启动：%s\n证书指纹：%s\n", st.Address, st.Fingerprint)
	for _, l := range links {
		fmt.Fprintln(out, "分站配对：", l)
	}
	<-ctx.Done()
	return nil
}

// stationJoin pairs with a hub and copies the event into a new file.
func stationJoin(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("station join")
	pair := fs.String("pair", "", "the hub's pairing link, or \"address code fingerprint\"")
	name := fs.String("name", "", "this station's name, e.g. 签到台2")
	data := fs.String("data", app.DefaultDataDir(), "data folder")
	if err := cli.Parse(fs, args, "pair"); err != nil {
		return err
	}
	a := app.New(app.Options{Context: ctx, DataDir: *data})
	ws, svc := a.Workspace, &a.Services
	info, err := svc.Network.Join(*pair, *name)
	if err != nil {
		return err
	}
	defer ws.CloseEvent()
	fmt.Fprintln(out, info.Path)
	return nil
}

// stationRun opens a station's event, syncs with its hub in the
// background and, for tests and drills, checks random people in, printing
// "ACK <scan id>" only after each check-in is durable.
func stationRun(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("station run")
	event := fs.String("event", "", "station event file")
	desk := fs.String("desk", "", "desk name")
	checkins := fs.Int("checkins", 0, "random check-ins to make")
	every := fs.Duration("every", 20*time.Millisecond, "pause between check-ins")
	seed := fs.Int64("seed", 1, "")
	untilSynced := fs.Bool("until-synced", false, "exit once nothing is waiting in either direction")
	if err := cli.Parse(fs, args, "event"); err != nil {
		return err
	}
	a := app.New(app.Options{Context: ctx, DataDir: dirOf(*event)})
	ws, svc := a.Workspace, &a.Services
	if _, err := svc.Event.Open(*event); err != nil {
		return err
	}
	defer ws.CloseEvent()
	list, err := svc.Roster.List(app.ParticipantQuery{Limit: 100000})
	if err != nil {
		return err
	}
	r := rand.New(rand.NewSource(*seed))
	for i := 0; i < *checkins && len(list.Items) > 0; i++ {
		p := list.Items[r.Intn(len(list.Items))]
		ans, err := svc.Checkin.CheckIn(p.ID, *desk)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "ACK %s\n", ans.ScanID)
		if f, ok := out.(*os.File); ok {
			_ = f.Sync()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(*every):
		}
	}
	if *untilSynced {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			st, err := svc.Network.SyncNow()
			if err == nil && st.Pending == 0 {
				// one more round so what the hub just sent is in too
				if _, err := svc.Network.SyncNow(); err == nil {
					fmt.Fprintln(out, "SYNCED")
					return nil
				}
			}
			time.Sleep(200 * time.Millisecond)
		}
		return fmt.Errorf("未能在 60 秒内与主控机同步")
	}
	<-ctx.Done()
	return nil
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i]
	}
	return "."
}
