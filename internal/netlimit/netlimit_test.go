package netlimit

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// dribble opens a connection that sends headers announcing a body and
// then one byte, and returns when the server closes it.
func dribble(t *testing.T, addr string, cut chan<- time.Time) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nx")
	go func() {
		_, _ = io.Copy(io.Discard, c) // returns when the server closes
		cut <- time.Now()
	}()
	return c
}

// Slow bodies are cut after ReadTimeout, and while MaxConns connections
// are held no further connection is served: the next request is answered
// only after a dribbler was cut.
func TestSlowBodiesAreCutAndConnectionsCapped(t *testing.T) {
	l := Limits{MaxConns: 2, ReadTimeout: 300 * time.Millisecond, IdleTimeout: time.Second}
	ln, err := Listen("127.0.0.1:0", l)
	if err != nil {
		t.Fatal(err)
	}
	srv := Server(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		fmt.Fprintln(w, "ok")
	}), l)
	go srv.Serve(ln)
	defer srv.Close()
	cut := make(chan time.Time, 2)
	start := time.Now()
	a, b := dribble(t, ln.Addr().String(), cut), dribble(t, ln.Addr().String(), cut)
	defer a.Close()
	defer b.Close()
	// A third client: it connects (the kernel queues it) but is served
	// only once a slot is free.
	served := make(chan time.Time, 1)
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Error(err)
			served <- time.Now()
			return
		}
		defer c.Close()
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		_, _ = bufio.NewReader(c).ReadString('\n')
		served <- time.Now()
	}()
	var firstCut time.Time
	select {
	case firstCut = <-cut:
	case <-time.After(30 * time.Second):
		t.Fatal("a dribbling body was never cut")
	}
	if held := firstCut.Sub(start); held < l.ReadTimeout {
		t.Errorf("cut after %v, before the %v deadline", held, l.ReadTimeout)
	}
	select {
	case at := <-served:
		// No slot frees before a dribbler's deadline.
		if at.Sub(start) < l.ReadTimeout {
			t.Errorf("a third connection was served after %v, while %d were held", at.Sub(start), l.MaxConns)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the third client was never served after a slot freed")
	}
}
