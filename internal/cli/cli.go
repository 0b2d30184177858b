// Package cli holds what both command-line programs (fuzhi and
// fuzhi-platform) need the same way: quiet flag sets with required flags
// named in Chinese, and an HTTP server that runs until the command is
// interrupted.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// NewFlags is a flag set that reports errors to the caller instead of printing.
func NewFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// Parse parses args and refuses a missing required flag by name.
func Parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s: %w", fs.Name(), err)
	}
	for _, r := range required {
		if fs.Lookup(r).Value.String() == "" {
			return fmt.Errorf("%s: 缺少参数 --%s", fs.Name(), r)
		}
	}
	return nil
}

// Serve answers on ln until ctx ends (Ctrl-C, SIGTERM), then shuts down
// gracefully within five seconds.
func Serve(ctx context.Context, ln net.Listener, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
