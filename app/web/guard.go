package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/fuzhi/eventdesk/internal/safefile"
)

// Guard is the door of `fuzhi serve`. Only the app's own page may call the
// API: it holds this launch's secret in a SameSite=Strict, HttpOnly cookie,
// set when the organizer opens the link printed at start (…/?k=<secret>).
// A page from another origin is refused by its Origin; one that gets
// around Origin (an old browser, a plain HTTP client) has no cookie; a
// rebinding DNS name is refused by its Host; and a cross-origin POST must
// be JSON, which a browser only sends after a preflight nobody answers.
//
// Listening beyond this machine (Public) also requires HTTP Basic
// authentication with the organizer's password on every request.
type Guard struct {
	key      string
	cookie   string
	public   bool
	password string
}

// KeyFile is where a data folder keeps serve's secret (mode 0600). It is
// kept so that restarting `fuzhi serve` mid-shift leaves every open desk
// page working; deleting the file revokes every page that holds the key.
const KeyFile = "serve.key"

// LoadGuard is NewGuard with the data folder's secret, made on first use.
func LoadGuard(dataDir, port string, public bool, password string) (*Guard, error) {
	g := NewGuard(port, public, password)
	path := filepath.Join(dataDir, KeyFile)
	raw, err := os.ReadFile(path)
	if err == nil {
		if k := strings.TrimSpace(string(raw)); len(k) == 48 && isHex(k) {
			g.key = k
			return g, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("save %s: %w", path, err)
	}
	if err := safefile.Write(path, []byte(g.key+"\n"), 0o600); err != nil {
		return nil, err
	}
	return g, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// NewGuard makes a guard with a fresh secret. port names the cookie, so two
// servers on one machine do not overwrite each other's.
func NewGuard(port string, public bool, password string) *Guard {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return &Guard{key: hex.EncodeToString(b), cookie: "fuzhi_" + port, public: public, password: password}
}

// Key is this launch's secret, for the link printed at start.
func (g *Guard) Key() string { return g.key }

// IsLoopback reports whether a listen address only reaches this machine.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func refuse(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

// Wrap puts the guard in front of the UI, the API and the event stream.
func (g *Guard) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.public && !loopbackHost(r.Host) {
			refuse(w, http.StatusMisdirectedRequest, "会务台只接受本机地址（127.0.0.1 或 localhost）的访问")
			return
		}
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		if g.public {
			_, pw, ok := r.BasicAuth()
			if !ok || !same(pw, g.password) {
				w.Header().Set("WWW-Authenticate", `Basic realm="fuzhi", charset="UTF-8"`)
				refuse(w, http.StatusUnauthorized, "请输入会务台的访问密码")
				return
			}
		}
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			// The UI itself holds no data; opening it with the launch link
			// hands this browser the key for the API.
			if k := r.URL.Query().Get("k"); k != "" && same(k, g.key) {
				http.SetCookie(w, &http.Cookie{Name: g.cookie, Value: g.key, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			}
			next.ServeHTTP(w, r)
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" {
			u, err := url.Parse(origin)
			if err != nil || u.Host != r.Host {
				refuse(w, http.StatusForbidden, "拒绝来自其他网页的调用")
				return
			}
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			refuse(w, http.StatusForbidden, "拒绝来自其他网页的调用")
			return
		}
		c, err := r.Cookie(g.cookie)
		if err != nil || !same(c.Value, g.key) {
			refuse(w, http.StatusUnauthorized, "请用启动会务台时显示的链接打开（链接中含本次启动的密钥）")
			return
		}
		if r.Method == http.MethodPost {
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				refuse(w, http.StatusUnsupportedMediaType, "接口只接受 JSON（Content-Type: application/json）")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
