package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sync"
	"time"
)

// Broker fans service events out to browsers over server-sent events; it is
// the HTTP server's implementation of app.Emitter.
type Broker struct {
	mu   sync.Mutex
	subs map[chan []byte]struct{}
}

// NewBroker makes an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[chan []byte]struct{}{}} }

// Emit sends an event to every connected browser; a slow one misses it
// rather than holding up the service that emitted.
func (b *Broker) Emit(name string, data any) {
	msg, err := json.Marshal(map[string]any{"name": name, "data": data})
	if err != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- msg:
		default:
		}
	}
}

func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := make(chan []byte, 16)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.subs, ch)
		b.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	ping := time.NewTicker(25 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-ch:
			fmt.Fprintf(w, "data: %s\n\n", msg)
			flusher.Flush()
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			flusher.Flush()
		}
	}
}

// Handler serves the UI, the API and the event stream behind the guard.
func Handler(ui fs.FS, broker *Broker, guard *Guard, services ...any) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/events", broker)
	mux.Handle("/api/", NewRPC(services...))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	static := http.FileServerFS(ui)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, err := fs.Stat(ui, "index.html"); err != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><title>赋智会务台</title><p>界面尚未构建：请在项目目录运行 <code>bash scripts/run.sh serve</code>（或 <code>cd frontend && npm install && npm run build</code>）后重新编译。</p>`)
			return
		}
		static.ServeHTTP(w, r)
	})
	return securityHeaders(guard.Wrap(mux))
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "no-referrer") // the launch link carries the key
		next.ServeHTTP(w, r)
	})
}
