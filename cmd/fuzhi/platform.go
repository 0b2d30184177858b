package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/fuzhi/eventdesk/app"
	"github.com/fuzhi/eventdesk/platform/server"
)

// platformServe runs the reference national platform on PostgreSQL.
func platformServe(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("platform serve")
	db := fs.String("db", os.Getenv("FUZHI_PLATFORM_DB"), "PostgreSQL URL")
	listen := fs.String("listen", "127.0.0.1:8900", "")
	if err := parse(fs, args, "db"); err != nil {
		return err
	}
	pool, err := server.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer pool.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%w", *listen, err)
	}
	srv := &http.Server{Handler: (&server.Server{DB: pool}).Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "国家平台（参考实现）已启动：http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// platformToken registers an organizer and prints its token once.
func platformToken(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("platform token")
	db := fs.String("db", os.Getenv("FUZHI_PLATFORM_DB"), "PostgreSQL URL")
	name := fs.String("name", "", "organizer")
	province := fs.String("province", "", "")
	if err := parse(fs, args, "db", "name"); err != nil {
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

func platformClient(ctx context.Context, args []string, out io.Writer, verb string) error {
	fs := newFlags("platform " + verb)
	event := fs.String("event", "", "event file")
	url := fs.String("url", "", "platform address, e.g. https://platform.example.cn")
	token := fs.String("token", os.Getenv("FUZHI_PLATFORM_TOKEN"), "organizer token")
	outFile := fs.String("out", "", "package file (package)")
	required := []string{"event", "token"}
	if verb == "upload" {
		required = append(required, "url")
	} else {
		required = append(required, "out")
	}
	if err := parse(fs, args, required...); err != nil {
		return err
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		u := *url
		if u == "" {
			u = "http://localhost"
		}
		if err := svc.Platform.SetConfig(app.PlatformConfig{URL: u, Token: *token}); err != nil {
			return err
		}
		if verb == "upload" {
			res, err := svc.Platform.Upload()
			if err != nil {
				return err
			}
			return printJSON(out, res)
		}
		data, err := svc.Platform.ExportPackage()
		if err != nil {
			return err
		}
		if err := os.WriteFile(*outFile, data, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(out, "数据包已写入 %s（%d 字节）\n", *outFile, len(data))
		return nil
	})
}

// summaryVerb writes the post-event report and workbook.
func summaryVerb(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("summary")
	event := fs.String("event", "", "event file")
	pdfOut := fs.String("pdf", "", "")
	xlsxOut := fs.String("xlsx", "", "")
	if err := parse(fs, args, "event"); err != nil {
		return err
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		if *pdfOut != "" {
			data, err := svc.Summary.SummaryPDF()
			if err != nil {
				return err
			}
			if err := os.WriteFile(*pdfOut, data, 0o644); err != nil {
				return err
			}
		}
		if *xlsxOut != "" {
			data, err := svc.Summary.SummaryXLSX()
			if err != nil {
				return err
			}
			if err := os.WriteFile(*xlsxOut, data, 0o644); err != nil {
				return err
			}
		}
		sum, err := svc.Summary.Summary()
		if err != nil {
			return err
		}
		return printJSON(out, sum)
	})
}
