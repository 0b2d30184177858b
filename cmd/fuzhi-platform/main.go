// Command fuzhi-platform is the reference national matchmaking platform
// on PostgreSQL (sync/platform/server): the API hubs upload to and a
// national dashboard. It is its own binary so the organizer's app does not
// link a database driver it never uses.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/fuzhi/eventdesk/internal/cli"
	"github.com/fuzhi/eventdesk/internal/netlimit"
	"github.com/fuzhi/eventdesk/sync/platform/server"
)

const usage = `fuzhi-platform — 国家平台参考实现（PostgreSQL）

用法:
  fuzhi-platform serve --db postgres://… [--listen 127.0.0.1:8900]   运行平台接口与全国看板
  fuzhi-platform token --db postgres://… --name 组织方 [--province 省]  为组织方发放令牌（只显示一次）
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
	if len(args) == 0 || strings.TrimLeft(args[0], "-") == "help" || args[0] == "-h" {
		fmt.Fprint(out, usage)
		return nil
	}
	switch args[0] {
	case "serve":
		return platformServe(ctx, args[1:], out)
	case "token":
		return platformToken(ctx, args[1:], out)
	}
	return fmt.Errorf("未知命令 %q\n\n%s", args[0], usage)
}

// platformServe runs the reference national platform on PostgreSQL.
func platformServe(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("serve")
	db := fs.String("db", os.Getenv("FUZHI_PLATFORM_DB"), "PostgreSQL URL")
	listen := fs.String("listen", "127.0.0.1:8900", "")
	if err := cli.Parse(fs, args, "db"); err != nil {
		return err
	}
	pool, err := server.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer pool.Close()
	ln, err := netlimit.Listen(*listen, netlimit.Platform)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%w", *listen, err)
	}
	srv := netlimit.Server((&server.Server{DB: pool}).Handler(), netlimit.Platform)
	fmt.Fprintf(out, "国家平台（参考实现）已启动：http://%s\n", ln.Addr())
	return cli.Serve(ctx, ln, srv)
}

// platformToken registers an organizer and prints its token once.
func platformToken(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("token")
	db := fs.String("db", os.Getenv("FUZHI_PLATFORM_DB"), "PostgreSQL URL")
	name := fs.String("name", "", "organizer")
	province := fs.String("province", "", "")
	if err := cli.Parse(fs, args, "db", "name"); err != nil {
		return err
	}
	pool, err := server.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer pool.Close()
	token, err := server.CreateOrganizer(ctx, pool, *name, *province)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, token)
	return nil
}
