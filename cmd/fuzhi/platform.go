package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fuzhi/eventdesk/app"
	"github.com/fuzhi/eventdesk/internal/cli"
	"github.com/fuzhi/eventdesk/internal/safefile"
)

func platformClient(ctx context.Context, args []string, out io.Writer, verb string) error {
	fs := cli.NewFlags("platform " + verb)
	event := fs.String("event", "", "event file")
	url := fs.String("url", "", "platform address, e.g. https://platform.example.cn")
	token := fs.String("token", os.Getenv("FUZHI_PLATFORM_TOKEN"), "organizer token: - reads it from standard input (default: $FUZHI_PLATFORM_TOKEN)")
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
	if err := readToken(fs, token, os.Stdin); err != nil {
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

// readToken keeps the organizer token off the command line, where every
// user of the machine can read it in the process list: it comes from
// $FUZHI_PLATFORM_TOKEN or, with --token -, from standard input.
func readToken(fs *flag.FlagSet, token *string, stdin io.Reader) error {
	literal := false
	fs.Visit(func(f *flag.Flag) { literal = literal || f.Name == "token" && f.Value.String() != "-" })
	if literal {
		return errors.New("令牌不能写在命令行上（本机其他用户可在进程列表中看到）：请设置环境变量 FUZHI_PLATFORM_TOKEN，或用 --token - 从标准输入读取")
	}
	if *token != "-" {
		return nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("从标准输入读取令牌：%w", err)
	}
	if *token = strings.TrimSpace(line); *token == "" {
		return errors.New("标准输入中没有令牌")
	}
	return nil
}
