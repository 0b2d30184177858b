#!/usr/bin/env bash
# Sets up and runs every test of Fuzhi Event Desk. CI calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
# What the clone looked like before the run: the run must leave it so.
before=$(git status --porcelain 2>/dev/null || true)
bash scripts/setup.sh
export PATH="/usr/local/go/bin:$PATH"
# A bare machine has no locale; the tests read and write Chinese file names.
case "${LC_ALL:-${LANG:-}}" in *UTF-8*|*utf8*) ;; *) export LANG=C.UTF-8 LC_ALL=C.UTF-8 ;; esac
mkdir -p artifacts
# The reference platform's tests need PostgreSQL: a throwaway cluster, owned
# by the postgres user (it will not run as root), on loopback.
FUZHI_TEST_PG=$(bash scripts/pg-test.sh)
export FUZHI_TEST_PG CI_REQUIRE_PG=1
passed=0
stage() {
  local name=$1; shift
  echo
  echo "==> $name"
  local t0=$SECONDS
  "$@"
  passed=$((passed + 1))
  echo "<== $name: ok ($((SECONDS - t0)) s)"
}

stage "frontend typecheck and build" bash -c 'cd frontend && npm run build --silent'
stage "frontend lint (oxlint, warnings fail)" bash -c 'cd frontend && npm run lint --silent'
stage "go vet" go vet ./...
stage "gofmt (no file left unformatted)" bash -c 'out=$(gofmt -l $(git ls-files "*.go")); [ -z "$out" ] || { echo "gofmt would change:"; echo "$out"; exit 1; }'
stage "go.mod and go.sum tidy" go mod tidy -diff
stage "staticcheck" go tool staticcheck ./...
stage "frontend contract generated from Go is current" bash -c 'go run ./internal/contract/gen && git diff --exit-code -- frontend/src/api/generated.ts || { echo "frontend/src/api/generated.ts is stale: run go run ./internal/contract/gen and commit it"; exit 1; }'

stage "go test -race" go test -race -count=1 ./...
# Fuzz budgets are input counts, not seconds: a duration -fuzztime can fail
# with a bare "context deadline exceeded" at the end (a race in Go's fuzz
# coordinator, golang/go#75804, fixed only in Go 1.27), which CI hit once.
stage "importer fuzz (60,000 inputs)" go test -run '^$' -fuzz FuzzRead -fuzztime 60000x ./app/importer
stage "badge code fuzz (1,000,000 inputs)" go test -run '^$' -fuzz FuzzParse -fuzztime 1000000x ./app/ticket
stage "platform ingest decoder fuzz (300,000 inputs)" go test -run '^$' -fuzz FuzzDecodeBatch -fuzztime 300000x ./sync/wire
stage "pairing link fuzz (150,000 inputs)" go test -run '^$' -fuzz FuzzParsePairing -fuzztime 150000x ./sync/wire
stage "station batch fuzz (100,000 inputs)" go test -run '^$' -fuzz FuzzStationBatch -fuzztime 100000x ./sync/hub
stage "data package fuzz (200,000 inputs)" go test -run '^$' -fuzz FuzzReadPackage -fuzztime 200000x ./sync/platform
stage "badge text fuzz (1,000 inputs)" go test -run '^$' -fuzz FuzzBadgeText -fuzztime 1000x ./app/pdf
stage "benchmarks compile and run once" go test -short -run '^$' -bench . -benchtime 1x ./...
stage "vitest" bash -c 'cd frontend && npx vitest run'
stage "build fuzhi and fuzhi-platform" bash -c 'go build -o bin/fuzhi ./cmd/fuzhi && go build -o bin/fuzhi-platform ./cmd/fuzhi-platform'
stage "soak: a hub and three stations as processes, one cut off and back" bash -c 'FUZHI_BIN=$PWD/bin/fuzhi go test -count=1 -run Soak -v ./internal/soak'
stage "playwright against fuzhi serve" bash -c 'cd frontend && node --test e2e/*.test.mjs'
stage "desktop build (webkit2_41)" go tool wails build -tags webkit2_41 -skipbindings -s -m
stage "real window under Xvfb (first start, scanner typing into the desk)" bash scripts/smoke-window.sh
stage "Windows: the pure-Go test packages as Windows programs under Wine (paths with Chinese and spaces)" bash scripts/wine-test.sh
stage "release: installer, portable zip, .deb, tarball, checksums, signed with a throwaway certificate, then checked" bash -c '
  d=$(mktemp -d); trap "rm -rf $d" EXIT
  openssl req -x509 -newkey rsa:2048 -nodes -keyout $d/key.pem -out $d/cert.pem -days 2 -subj "/CN=Fuzhi Event Desk CI (throwaway)" -addext extendedKeyUsage=codeSigning 2>/dev/null
  FUZHI_SIGN_CERT=$d/cert.pem FUZHI_SIGN_KEY=$d/key.pem bash scripts/release.sh --skip-frontend
  FUZHI_SIGN_CERT=$d/cert.pem bash scripts/release-check.sh'
stage "the run left the clone as it found it (no lock file, go.mod or test data rewritten)" bash -c '[ "$(git status --porcelain)" = "$1" ] || { echo "changed by the run:"; git status --porcelain; exit 1; }' _ "$before"
echo
echo "stages: $passed passed, 0 failed"
