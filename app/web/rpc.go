// Package web serves the app services over HTTP for browsers: the same
// methods the Wails window binds, called as POST /api/<Service>/<Method>
// with the arguments as a JSON array, so the frontend's API layer has one
// shape for both.
package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/fuzhi/eventdesk/model/msg"
)

// MaxRequestBytes bounds one call; imports of large spreadsheets fit.
const MaxRequestBytes = 96 << 20

var errorType = reflect.TypeOf((*error)(nil)).Elem()

type method struct {
	fn   reflect.Value
	args []reflect.Type
	outs int
}

// RPC routes calls to the exported methods of the given services.
type RPC struct {
	methods map[string]method
}

// NewRPC indexes every exported method of every service by "Type/Method".
func NewRPC(services ...any) *RPC {
	r := &RPC{methods: map[string]method{}}
	for _, svc := range services {
		v := reflect.ValueOf(svc)
		typeName := reflect.Indirect(v).Type().Name()
		for i := 0; i < v.NumMethod(); i++ {
			m := v.Type().Method(i)
			ft := m.Type
			var args []reflect.Type
			for j := 1; j < ft.NumIn(); j++ {
				args = append(args, ft.In(j))
			}
			r.methods[typeName+"/"+m.Name] = method{fn: v.Method(i), args: args, outs: ft.NumOut()}
		}
	}
	return r
}

// Methods lists the routes, for the API document and tests.
func (r *RPC) Methods() []string {
	out := make([]string, 0, len(r.methods))
	for k := range r.methods {
		out = append(out, k)
	}
	return out
}

// errorBody is how a refusal travels to the page: the Chinese sentence,
// and its code and parameters when it has them (model/msg), so a page in
// English can say it in English.
type errorBody struct {
	Error  string         `json:"error"`
	Code   string         `json:"code,omitempty"`
	Params map[string]any `json:"params,omitempty"`
}

// ErrorBody is the JSON an error of a service becomes, for the API here
// and for the Wails window's ErrorFormatter alike.
func ErrorBody(err error) any {
	t := msg.Of(err)
	return errorBody{Error: t.Text, Code: t.Code, Params: t.Params}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (r *RPC) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "请使用 POST 调用接口"})
		return
	}
	name := strings.TrimPrefix(req.URL.Path, "/api/")
	m, ok := r.methods[name]
	if !ok {
		writeJSON(w, http.StatusNotFound, errorBody{Error: fmt.Sprintf("没有这个接口：%s", name)})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, MaxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: fmt.Sprintf("请求超过 %d MB", MaxRequestBytes>>20)})
			return
		}
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "读取请求失败：" + err.Error()})
		return
	}
	var raw []json.RawMessage
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &raw); err != nil {
			writeJSON(w, http.StatusBadRequest, errorBody{Error: "请求体应为 JSON 数组：" + err.Error()})
			return
		}
	}
	if len(raw) != len(m.args) {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: fmt.Sprintf("%s 需要 %d 个参数，收到 %d 个", name, len(m.args), len(raw))})
		return
	}
	in := make([]reflect.Value, len(m.args))
	for i, t := range m.args {
		p := reflect.New(t)
		if err := json.Unmarshal(raw[i], p.Interface()); err != nil {
			writeJSON(w, http.StatusBadRequest, errorBody{Error: fmt.Sprintf("第 %d 个参数格式不对：%v", i+1, err)})
			return
		}
		in[i] = p.Elem()
	}
	out := m.fn.Call(in)
	if len(out) > 0 && out[len(out)-1].Type() == errorType {
		if e := out[len(out)-1]; !e.IsNil() {
			writeJSON(w, http.StatusUnprocessableEntity, ErrorBody(e.Interface().(error)))
			return
		}
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		writeJSON(w, http.StatusOK, nil)
		return
	}
	writeJSON(w, http.StatusOK, out[0].Interface())
}
