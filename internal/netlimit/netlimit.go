// Package netlimit gives every listener of the product the same defences
// against clients that hold connections open: a cap on connections at
// once, and deadlines for the headers, the whole request and idle
// keep-alives, so 300 connections dribbling a body one byte a minute are
// cut instead of holding the hub, the local server or the platform.
package netlimit

import (
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// Limits are one listener's bounds.
type Limits struct {
	// MaxConns is how many connections are served at once; more wait to
	// be accepted until one closes.
	MaxConns int
	// ReadTimeout bounds reading one request, body included. A handler
	// that takes large uploads extends it for its own request
	// (http.ResponseController.SetReadDeadline).
	ReadTimeout time.Duration
	// IdleTimeout closes a keep-alive connection with no request.
	IdleTimeout time.Duration
}

var (
	// Venue is the hub on the venue network: stations, exhibitors' phones.
	Venue = Limits{MaxConns: 256, ReadTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	// Local is fuzhi serve for the organizer's own browser.
	Local = Limits{MaxConns: 128, ReadTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	// Platform is the national platform's API.
	Platform = Limits{MaxConns: 512, ReadTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
)

// Listen listens on addr and accepts at most l.MaxConns connections at once.
func Listen(addr string, l Limits) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return Wrap(ln, l), nil
}

// Wrap caps an existing listener.
func Wrap(ln net.Listener, l Limits) net.Listener {
	if l.MaxConns <= 0 {
		return ln
	}
	return netutil.LimitListener(ln, l.MaxConns)
}

// Server is an http.Server for h with l's deadlines.
func Server(h http.Handler, l Limits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       l.ReadTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}
