package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/fuzhi/eventdesk/app"
	"github.com/fuzhi/eventdesk/internal/cli"
	"github.com/fuzhi/eventdesk/internal/safefile"
)

func platformClient(ctx context.Context, args []string, out io.Writer, verb string) error {
	fs := cli.NewFlags("platform " + verb)
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
	if err := cli.Parse(fs, args, required...); err != nil {
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
		if err := safefile.Write(*outFile, data, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(out, "数据包已写入 %s（%d 字节）\n", *outFile, len(data))
		return nil
	})
}

// summaryVerb writes the post-event report and workbook.
func summaryVerb(ctx context.Context, args []string, out io.Writer) error {
	fs := cli.NewFlags("summary")
	event := fs.String("event", "", "event file")
	pdfOut := fs.String("pdf", "", "")
	xlsxOut := fs.String("xlsx", "", "")
	if err := cli.Parse(fs, args, "event"); err != nil {
		return err
	}
	return withEvent(ctx, *event, func(svc *app.Services, _ *app.Workspace) error {
		if *pdfOut != "" {
			data, err := svc.Summary.SummaryPDF()
			if err != nil {
				return err
			}
			if err := safefile.Write(*pdfOut, data, 0o600); err != nil {
				return err
			}
		}
		if *xlsxOut != "" {
			data, err := svc.Summary.SummaryXLSX()
			if err != nil {
				return err
			}
			if err := safefile.Write(*xlsxOut, data, 0o600); err != nil {
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
