// Command fuzhi is Fuzhi Event Desk without a window: the same services as
// the desktop app, as CLI verbs and as an HTTP server for browsers.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fuzhi/eventdesk/app"
	"github.com/fuzhi/eventdesk/app/schedule"
	"github.com/fuzhi/eventdesk/app/web"
	"github.com/fuzhi/eventdesk/frontend"
	"github.com/fuzhi/eventdesk/internal/buildinfo"
	"github.com/fuzhi/eventdesk/internal/cli"
	"github.com/fuzhi/eventdesk/internal/logfile"
	"github.com/fuzhi/eventdesk/internal/netlimit"
	"github.com/fuzhi/eventdesk/internal/safefile"
)

const usage = `赋智会务台 fuzhi — 命令行与浏览器服务

用法:
  fuzhi serve [--event FILE] [--addr 127.0.0.1:8787] [--data DIR]
        在浏览器中使用（不指定 --event 时打开内置示例活动）
  fuzhi event create --name 名称 --date 2026-05-20 [--city 城市] [--venue 场馆] [--out FILE]
  fuzhi import participants --event FILE --file 报名表.csv|报名表.xlsx
  fuzhi import achievements|demands --event FILE --file 成果库.xlsx|需求库.xlsx
  fuzhi export participants --event FILE --out 参会人.xlsx [--unmasked]
  fuzhi backup --event FILE --out 备份.fzevent
  fuzhi badges --event FILE --layout a6|4x3|label60x40 --out 胸卡.pdf [--role sme] [--unprinted] [--id P1,P2]
  fuzhi checkin --event FILE --code 胸卡码 [--desk 1]
  fuzhi code --event FILE --id 参会人编号        打印某人的胸卡码
  fuzhi demo [--practice] [--data DIR]             创建（或找到）内置示例活动（--practice：尚未开始的练习活动），打印其路径
  fuzhi schedule --in instance.json --out schedule.json [--seconds N] [--seed N] [--iterations N] [--lp model.lp]
        对接排程：在时段与洽谈桌中安排一对一洽谈，使总权重最大
  fuzhi schedule --generate P,R,S,T [--seed N] --out instance.json   生成测试用排程实例
  fuzhi hub --event FILE [--listen :8443] [--codes N --codes-out FILE]
        作为主控机运行：分站与展商经局域网（TLS）配对、同步
  fuzhi hub --promote --event 分站文件 [--listen :端口]
        主控机损坏时由本分站接替（其他分站自动跟随，无需重新配对）
  fuzhi station join --pair 配对链接 [--name 签到台2] [--data DIR]   作为分站加入，打印本机活动文件路径
  fuzhi station run --event FILE [--until-synced]                  运行分站（后台与主控机同步）
  fuzhi summary --event FILE [--pdf 总结.pdf] [--xlsx 总结.xlsx]       活动总结（打印数字，写报告与表格）
  fuzhi platform upload --event FILE --url URL [--token -]          上传到国家平台（断点续传；令牌取自 FUZHI_PLATFORM_TOKEN 或标准输入）
  fuzhi platform package --event FILE [--token -] --out 数据包.zip   无网络时导出签名数据包
  fuzhi restore --list 备份文件夹                                   列出文件夹中的活动备份及其内容
  fuzhi restore --from 备份.fzevent [--data DIR]                   将备份复制到本机数据文件夹（成为新的副本）并打印其路径
  fuzhi version                                                     版本与构建信息
  （国家平台参考实现是单独的程序 fuzhi-platform：serve / token）
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "错误:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(out, usage)
		return nil
	}
	verb := args[0]
	if len(args) > 1 && !strings.HasPrefix(args[1], "-") {
		verb += " " + args[1]
		args = args[1:]
	}
	rest := args[1:]
	switch verb {
	case "serve":
		return serve(ctx, rest, out)
	case "event create":
		return eventCreate(ctx, rest, out)
	case "import participants":
		return importParticipants(ctx, rest, out)
	case "import achievements", "import demands":
		return importCatalog(ctx, strings.TrimPrefix(verb, "import "), rest, out)
	case "export participants":
		return exportParticipants(ctx, rest, out)
	case "backup":
		return backup(ctx, rest, out)
	case "badges":
		return badges(ctx, rest, out)
	case "checkin":
		return checkin(ctx, rest, out)
	case "code":
		return badgeCode(ctx, rest, out)
	case "demo":
		return demoEvent(ctx, rest, out)
	case "schedule":
		return scheduleVerb(ctx, rest, out)
	case "hub":
		return hubVerb(ctx, rest, out)
	case "station join":
		return stationJoin(ctx, rest, out)
	case "station run":
		return stationRun(ctx, rest, out)
	case "platform upload":
		return platformClient(ctx, rest, out, "upload")
	case "platform package":
		return platformClient(ctx, rest, out, "package")
	case "summary":
		return summaryVerb(ctx, rest, out)
	case "restore":
		return restoreVerb(ctx, rest, out)
	case "version", "--version":
		_, err := fmt.Fprintln(out, "fuzhi", buildinfo.Read())
		return err
	}
	return fmt.Errorf("未知命令 %q\n\n%s", verb, usage)
}

// withEvent opens one event file for a one-shot verb, runs fn and closes it.
func withEvent(ctx context.Context, path string, fn func(*app.Services, *app.Workspace) error) error {
	a := app.New(app.Options{Context: ctx, DataDir: filepath.Dir(path)})
	if _, err := a.Workspace.OpenFile(path); err != nil {
		return err
	}
	defer a.Workspace.CloseEvent()
	return fn(&a.Services, a.Workspace)
}

func printJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func serve(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("serve")
	event := fs.String("event", "", "event file")
	addr := fs.String("addr", "127.0.0.1:8787", "listen address")
	data := fs.String("data", app.DefaultDataDir(), "data folder")
	public := fs.Bool("public", false, "listen beyond this machine (needs FUZHI_SERVE_PASSWORD)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	// Beyond loopback only on purpose, and never without a password: the
	// API changes the event and hands out pairing codes.
	password := os.Getenv("FUZHI_SERVE_PASSWORD")
	if !web.IsLoopback(*addr) {
		if !*public {
			return fmt.Errorf("%s 不是本机地址：其他电脑也能打开会务台。确需如此，请加 --public 并在环境变量 FUZHI_SERVE_PASSWORD 中设置至少 8 位的访问密码", *addr)
		}
		if len([]rune(password)) < 8 {
			return fmt.Errorf("--public 需要访问密码：请在环境变量 FUZHI_SERVE_PASSWORD 中设置至少 8 位的密码")
		}
	} else if *public {
		return fmt.Errorf("--public 只用于非本机地址；%s 只有本机能访问", *addr)
	}
	broker := web.NewBroker()
	logger, logs, err := logfile.Open(*data)
	if err != nil {
		return fmt.Errorf("无法创建日志文件：%w", err)
	}
	defer logs.Close()
	a := app.New(app.Options{Context: ctx, DataDir: *data, Emitter: broker, UI: frontend.Dist(), Logger: logger})
	defer a.Workspace.CloseEvent()
	svc := &a.Services
	var info *app.EventInfo
	if *event == "" {
		// A restart reopens the event the desks were working on; the demo
		// is only for a first start.
		*event = lastEvent(svc)
	}
	if *event != "" {
		info, err = svc.Event.Open(*event)
	} else {
		info, err = svc.Event.OpenDemo()
	}
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%w", *addr, err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	guard, err := web.LoadGuard(*data, port, *public, password)
	if err != nil {
		return err
	}
	ln = netlimit.Wrap(ln, netlimit.Local)
	srv := netlimit.Server(web.Handler(frontend.Dist(), broker, guard, svc.All()...), netlimit.Local)
	host := ln.Addr().String()
	if web.IsLoopback(*addr) {
		host = net.JoinHostPort("127.0.0.1", port)
	}
	fmt.Fprintf(out, "赋智会务台已启动：http://%s/?k=%s  活动：%s（%d 人）\n", host, guard.Key(), info.Event.Name, info.Participants)
	fmt.Fprintln(out, "请用上面的完整链接打开（其中含本次启动的密钥，其他网页无法调用会务台）")
	return cli.Serve(ctx, ln, srv)
}

// lastEvent is the most recently opened event file that still exists, or "".
func lastEvent(svc *app.Services) string {
	recent, _ := svc.Event.Recent()
	for _, r := range recent {
		if !r.Missing {
			if _, err := os.Stat(r.Path); err == nil {
				return r.Path
			}
		}
	}
	return ""
}

func eventCreate(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("event create")
	in := app.EventInput{}
	fs.StringVar(&in.Name, "name", "", "")
	fs.StringVar(&in.StartDate, "date", "", "")
	fs.StringVar(&in.EndDate, "end", "", "")
	fs.StringVar(&in.City, "city", "", "")
	fs.StringVar(&in.Province, "province", "", "")
	fs.StringVar(&in.Venue, "venue", "", "")
	fs.StringVar(&in.Organizer, "organizer", "", "")
	fs.StringVar(&in.Path, "out", "", "")
	data := fs.String("data", app.DefaultDataDir(), "")
	if err := cli.Parse(fs, args, "name", "date"); err != nil {
		return err
	}
	a := app.New(app.Options{Context: ctx, DataDir: *data})
	defer a.Workspace.CloseEvent()
	info, err := a.Event.Create(in)
	if err != nil {
		return err
	}
	return printJSON(out, info)
}

func importParticipants(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("import participants")
	event := fs.String("event", "", "")
	file := fs.String("file", "", "")
	if err := cli.Parse(fs, args, "event", "file"); err != nil {
		return err
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("读取 %s 失败：%w", *file, err)
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		sum, err := svc.Roster.Import(app.ImportRequest{FileName: filepath.Base(*file), Data: data})
		if err != nil {
			return err
		}
		return printJSON(out, sum)
	})
}

func exportParticipants(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("export participants")
	event := fs.String("event", "", "")
	dst := fs.String("out", "", "")
	unmasked := fs.Bool("unmasked", false, "")
	if err := cli.Parse(fs, args, "event", "out"); err != nil {
		return err
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		raw, err := svc.Roster.Export(app.ExportRequest{Unmasked: *unmasked})
		if err != nil {
			return err
		}
		if err := safefile.Write(*dst, raw, 0o600); err != nil {
			return fmt.Errorf("写入 %s 失败：%w", *dst, err)
		}
		return printJSON(out, map[string]any{"out": *dst, "bytes": len(raw)})
	})
}

func backup(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("backup")
	event := fs.String("event", "", "")
	dst := fs.String("out", "", "")
	if err := cli.Parse(fs, args, "event", "out"); err != nil {
		return err
	}
	return withEvent(ctx, *event, func(_ *app.Services, ws *app.Workspace) error {
		st, err := ws.Store()
		if err != nil {
			return err
		}
		n, err := st.BackupFile(*dst)
		if err != nil {
			return err
		}
		return printJSON(out, map[string]any{"out": *dst, "bytes": n})
	})
}

// restoreVerb lists a backup folder, or copies one backup into the data
// folder as this laptop's own replica (app.BackupService.Restore).
func restoreVerb(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("restore")
	list := fs.String("list", "", "")
	from := fs.String("from", "", "")
	data := fs.String("data", app.DefaultDataDir(), "")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if (*list == "") == (*from == "") {
		return fmt.Errorf("restore: 请给出 --list 备份文件夹 或 --from 备份文件（二选一）")
	}
	a := app.New(app.Options{Context: ctx, DataDir: *data})
	if *list != "" {
		entries, err := a.Backup.List(*list)
		if err != nil {
			return err
		}
		return printJSON(out, entries)
	}
	defer a.Workspace.CloseEvent()
	info, err := a.Backup.Restore(*from)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, info.Path)
	return nil
}

func badges(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("badges")
	event := fs.String("event", "", "")
	layout := fs.String("layout", "a6", "")
	dst := fs.String("out", "", "")
	role := fs.String("role", "", "")
	unprinted := fs.Bool("unprinted", false, "")
	ids := fs.String("id", "", "")
	if err := cli.Parse(fs, args, "event", "out"); err != nil {
		return err
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		req := app.BadgeRequest{Layout: *layout, Role: *role, Unprinted: *unprinted}
		if *ids != "" {
			req.IDs = strings.Split(*ids, ",")
		}
		printed, err := svc.Badge.Print(req)
		if err != nil {
			return err
		}
		// Marked printed only once the file is whole on disk.
		if err := safefile.Write(*dst, printed.PDF, 0o600); err != nil {
			return fmt.Errorf("写入 %s 失败：%w", *dst, err)
		}
		if err := svc.Badge.MarkPrinted(printed.Badges); err != nil {
			return err
		}
		return printJSON(out, map[string]any{"out": *dst, "bytes": len(printed.PDF), "layout": *layout})
	})
}

func checkin(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("checkin")
	event := fs.String("event", "", "")
	code := fs.String("code", "", "")
	desk := fs.String("desk", "cli", "")
	if err := cli.Parse(fs, args, "event", "code"); err != nil {
		return err
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		ans, err := svc.Checkin.Scan(*code, *desk)
		if err != nil {
			return err
		}
		return printJSON(out, ans)
	})
}

func badgeCode(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("code")
	event := fs.String("event", "", "")
	id := fs.String("id", "", "")
	if err := cli.Parse(fs, args, "event", "id"); err != nil {
		return err
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		code, err := svc.Checkin.BadgeCode(*id)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, code)
		return nil
	})
}

func demoEvent(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("demo")
	data := fs.String("data", app.DefaultDataDir(), "")
	practice := fs.Bool("practice", false, "")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	a := app.New(app.Options{Context: ctx, DataDir: *data})
	defer a.Workspace.CloseEvent()
	open := a.Event.OpenDemo
	if *practice {
		open = a.Event.OpenPractice // the same people, nobody checked in yet
	}
	info, err := open()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, info.Path)
	return nil
}

func scheduleVerb(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("schedule")
	inPath := fs.String("in", "", "")
	outPath := fs.String("out", "", "")
	seconds := fs.Float64("seconds", 10, "")
	seed := fs.Int64("seed", 1, "")
	iterations := fs.Int("iterations", 0, "")
	lpPath := fs.String("lp", "", "")
	gen := fs.String("generate", "", "")
	if err := cli.Parse(fs, args, "out"); err != nil {
		return err
	}
	if *gen != "" {
		var p, r, s, t int
		if _, err := fmt.Sscanf(*gen, "%d,%d,%d,%d", &p, &r, &s, &t); err != nil {
			return fmt.Errorf("schedule: --generate 需要 参会人,请求,时段,洽谈桌，例如 300,1500,16,60")
		}
		inst := schedule.Generate(schedule.GenerateOptions{Seed: *seed, Participants: p, Requests: r, Slots: s, Tables: t, MaxMeetings: 6, CappedShare: 0.5})
		return writeJSONFile(*outPath, inst)
	}
	if *inPath == "" {
		return fmt.Errorf("schedule: 缺少参数 --in")
	}
	raw, err := os.ReadFile(*inPath)
	if err != nil {
		return fmt.Errorf("读取 %s 失败：%w", *inPath, err)
	}
	var inst schedule.Instance
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&inst); err != nil {
		return fmt.Errorf("%s 不是有效的排程实例：%w", *inPath, err)
	}
	if *lpPath != "" {
		f, err := os.Create(*lpPath)
		if err != nil {
			return err
		}
		if err := schedule.WriteLP(f, &inst); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	sched, stats, err := schedule.Solve(ctx, &inst, schedule.Options{Seed: *seed, Iterations: *iterations, Budget: time.Duration(*seconds * float64(time.Second))})
	if err != nil {
		return fmt.Errorf("排程实例有误：%w", err)
	}
	if err := schedule.Verify(&inst, sched); err != nil {
		return fmt.Errorf("internal: the schedule breaks a rule: %w", err)
	}
	if err := writeJSONFile(*outPath, sched); err != nil {
		return err
	}
	return printJSON(out, stats)
}

func writeJSONFile(path string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := safefile.Write(path, raw, 0o600); err != nil {
		return fmt.Errorf("写入 %s 失败：%w", path, err)
	}
	return nil
}

func importCatalog(ctx context.Context, what string, args []string, out io.Writer) error {
	fs := cli.NewFlags("import " + what)
	event := fs.String("event", "", "")
	file := fs.String("file", "", "")
	if err := cli.Parse(fs, args, "event", "file"); err != nil {
		return err
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("读取 %s 失败：%w", *file, err)
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		req := app.ImportRequest{FileName: filepath.Base(*file), Data: data}
		var sum *app.CatalogImportSummary
		if what == "achievements" {
			sum, err = svc.Catalog.ImportAchievements(req)
		} else {
			sum, err = svc.Catalog.ImportDemands(req)
		}
		if err != nil {
			return err
		}
		return printJSON(out, sum)
	})
}
