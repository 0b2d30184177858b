// Package arch states which packages may depend on which, and checks it
// against what `go list` reports, so the shape drawn in DESIGN.md and
// docs/architecture.md cannot rot quietly: the sync tree and the pure
// packages never reach into app, the store never reaches into app or sync,
// and the organizer's binary never links the platform's database driver.
package arch

import (
	"fmt"
	"sort"
	"strings"
)

// Module is this repository's module path.
const Module = "github.com/fuzhi/eventdesk"

// Rule forbids every package matched by From from depending (directly or
// not) on any package whose path starts with one of Not.
type Rule struct {
	From string   // a go list pattern, relative to the module: "./sync/..."
	Not  []string // import path prefixes
	Why  string
}

// Rules are the project's dependency directions.
var Rules = []Rule{
	{From: "./sync/...", Not: []string{Module + "/app"}, Why: "sync works against small interfaces; app depends on sync, never the reverse"},
	{From: "./store/...", Not: []string{Module + "/app", Module + "/sync"}, Why: "the store is the bottom layer"},
	{From: "./model/...", Not: []string{Module + "/app", Module + "/sync", Module + "/store"}, Why: "the domain words depend on nothing of ours"},
	{From: "./app/ticket", Not: []string{Module + "/app/", Module + "/store", Module + "/sync"}, Why: "pure logic does no I/O"},
	{From: "./app/schedule", Not: []string{Module + "/app/", Module + "/store", Module + "/sync"}, Why: "pure logic does no I/O"},
	{From: "./app/recommend", Not: []string{Module + "/app/", Module + "/store", Module + "/sync"}, Why: "pure logic does no I/O"},
	{From: "./app/importer", Not: []string{Module + "/app/", Module + "/store", Module + "/sync"}, Why: "pure logic does no I/O"},
	{From: "./app/pdf", Not: []string{Module + "/app/", Module + "/store", Module + "/sync"}, Why: "pure logic does no I/O"},
	{From: "./app/figures", Not: []string{Module + "/app/", Module + "/store", Module + "/sync"}, Why: "the report's arithmetic is pure: lists in, figures out"},
	{From: "./cmd/fuzhi", Not: []string{"github.com/jackc/pgx", Module + "/sync/platform/server"}, Why: "the organizer's app links no database driver; the reference platform is cmd/fuzhi-platform"},
	{From: ".", Not: []string{"github.com/jackc/pgx", Module + "/sync/platform/server"}, Why: "the desktop window links no database driver"},
}

// Package is one package as go list reports it.
type Package struct {
	ImportPath string
	Deps       []string
}

// Violations lists every (package, dependency) pair that breaks rule. A
// prefix matches whole path elements: "…/app" names app and app/ticket,
// never "…/application".
func Violations(rule Rule, pkgs []Package) []string {
	var out []string
	for _, p := range pkgs {
		for _, d := range p.Deps {
			if d == p.ImportPath {
				continue
			}
			for _, not := range rule.Not {
				if d == strings.TrimSuffix(not, "/") || strings.HasPrefix(d, strings.TrimSuffix(not, "/")+"/") {
					out = append(out, fmt.Sprintf("%s imports %s (%s)", p.ImportPath, d, rule.Why))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
