// Package msg is what the product says to people, kept as a code with
// named parameters beside the Chinese sentence. Chinese stays the default
// (the CLI, logs, PDFs and a page in Chinese show the sentence as it is);
// a page in English shows the code's English sentence, from a catalog the
// frontend contract generates out of every Define here, so a new sentence
// without its English fails the frontend's type check instead of leaving
// Chinese on an English screen.
package msg

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind is one sentence: a stable code ("import.invalidMobile") and its
// Chinese with {name} placeholders.
type Kind struct {
	Code string
	Zh   string
}

var kinds = map[string]*Kind{}

// Define declares a sentence once, at package level. Two packages
// claiming one code is a programming error found at start-up by every
// test, never by a user.
func Define(code, zh string) *Kind {
	if _, dup := kinds[code]; dup {
		panic("msg: code defined twice: " + code)
	}
	k := &Kind{Code: code, Zh: zh}
	kinds[code] = k
	return k
}

// Kinds lists every defined sentence by code, for the generated catalog.
func Kinds() []Kind {
	out := make([]Kind, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, *k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Text is one sentence said: its code, its parameters and the Chinese.
type Text struct {
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
	Text   string         `json:"text"`
}

func (t Text) String() string { return t.Text }

// Say fills the sentence's placeholders from name, value pairs:
// invalidMobile.Say("value", raw).
func (k *Kind) Say(pairs ...any) Text {
	t := Text{Code: k.Code}
	if len(pairs) > 0 {
		t.Params = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			t.Params[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
	}
	t.Text = render(k.Zh, t.Params)
	return t
}

// render puts each {name} parameter into a template; an unknown name is
// left as written so a mistake shows instead of vanishing.
func render(tmpl string, params map[string]any) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	walk(tmpl, func(lit string) { b.WriteString(lit) }, func(whole, name string) {
		if v, ok := params[name]; ok {
			fmt.Fprint(&b, v)
		} else {
			b.WriteString(whole)
		}
	})
	return b.String()
}

// Placeholders lists a template's parameter names, for the check that
// every translation takes the same ones.
func Placeholders(tmpl string) []string {
	var out []string
	walk(tmpl, func(string) {}, func(_, name string) { out = append(out, name) })
	sort.Strings(out)
	return out
}

// walk splits a template into literal runs and {name} placeholders, in order.
func walk(tmpl string, literal func(string), placeholder func(whole, name string)) {
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			break
		}
		literal(tmpl[:open])
		placeholder(tmpl[open:open+end+1], tmpl[open+1:open+end])
		tmpl = tmpl[open+end+1:]
	}
	literal(tmpl)
}

// Error is a refusal or failure told to a person: Error() is the Chinese
// sentence, and the code and parameters travel to the page beside it.
type Error struct {
	Text
	cause error
}

func (e *Error) Error() string { return e.Text.Text }
func (e *Error) Unwrap() error { return e.cause }

// Err is the sentence as an error.
func (k *Kind) Err(pairs ...any) *Error { return &Error{Text: k.Say(pairs...)} }

// Wrap is the sentence as an error caused by err, kept for errors.Is and
// As. A {cause} placeholder says the cause, itself a Text, so the page
// can say both parts in its language.
func (k *Kind) Wrap(err error, pairs ...any) *Error {
	if err != nil && strings.Contains(k.Zh, "{cause}") {
		pairs = append(pairs, "cause", Of(err))
	}
	return &Error{Text: k.Say(pairs...), cause: err}
}

// Is reports whether err says this sentence anywhere in its chain.
func (k *Kind) Is(err error) bool {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return false
		}
		if e.Code == k.Code {
			return true
		}
		err = e.cause
	}
	return false
}

// Of is the sentence an error carries: the outermost msg.Error of its
// chain, or the plain error's text with no code (shown as it is).
func Of(err error) Text {
	var e *Error
	if errors.As(err, &e) {
		if e.Error() == err.Error() {
			return e.Text
		}
		// Wrapped with more words (fmt.Errorf("…：%w")): the page gets the
		// whole Chinese and the code of the part it can translate.
		t := e.Text
		t.Text = err.Error()
		return t
	}
	return Text{Text: err.Error()}
}
