// Fuzhi Event Desk (赋智会务台), the desktop window. This file is only the
// shell: it binds the app services into a Wails window. Everything the
// window does, `fuzhi serve` does too, without GTK.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/fuzhi/eventdesk/app"
	"github.com/fuzhi/eventdesk/app/web"
	"github.com/fuzhi/eventdesk/frontend"
	"github.com/fuzhi/eventdesk/internal/logfile"
)

// wailsEmitter forwards service events to the window.
type wailsEmitter struct{ ctx context.Context }

func (e wailsEmitter) Emit(name string, data any) { runtime.EventsEmit(e.ctx, name, data) }

func main() {
	args, startPage := os.Args[1:], ""
	if len(args) >= 2 && args[0] == "--page" {
		startPage, args = args[1], args[2:]
	}
	dataDir := app.DefaultDataDir()
	logger, logs, err := logfile.Open(dataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "日志文件无法创建，继续运行但不记录日志:", err)
		logger = logfile.Discard()
	} else {
		defer logs.Close()
	}
	a := app.New(app.Options{DataDir: dataDir, UI: frontend.Dist(), StartPage: startPage, Logger: logger})
	ws, svc := a.Workspace, &a.Services
	err = wails.Run(&options.App{
		Title:            "赋智会务台 Fuzhi Event Desk",
		Width:            1360,
		Height:           860,
		MinWidth:         1024,
		MinHeight:        640,
		AssetServer:      &assetserver.Options{Assets: frontend.Dist()},
		BackgroundColour: &options.RGBA{R: 245, G: 247, B: 250, A: 255},
		OnStartup: func(ctx context.Context) {
			ws.SetEmitter(wailsEmitter{ctx})
			openAtStart(svc, args)
		},
		OnShutdown: func(context.Context) { ws.CloseEvent() },
		Bind:       svc.All(),
		// The window gets a refusal as the API does: sentence, code, parameters.
		ErrorFormatter: web.ErrorBody,
		Linux:          &linux.Options{ProgramName: "fuzhi-desk", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "赋智会务台无法启动:", err)
		os.Exit(1)
	}
}

// openAtStart opens the file given on the command line, else the most
// recent event, else the built-in demo, so the window is never empty.
func openAtStart(svc *app.Services, args []string) {
	if len(args) > 0 {
		if _, err := svc.Event.Open(args[0]); err == nil {
			return
		} else {
			fmt.Fprintln(os.Stderr, "打开活动失败:", err)
		}
	}
	if recent, _ := svc.Event.Recent(); len(recent) > 0 {
		for _, r := range recent {
			if !r.Missing {
				if _, err := svc.Event.Open(r.Path); err == nil {
					return
				}
			}
		}
	}
	if _, err := svc.Event.OpenDemo(); err != nil {
		fmt.Fprintln(os.Stderr, "打开示例活动失败:", err)
	}
}
