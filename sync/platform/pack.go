package platform

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// A data package is what an organizer without a network hands to the
// platform later: a zip of ops.jsonl (the same projected ops an upload
// sends, so importing it deduplicates against uploads), CSV tables for
// people to read, summary.json, and manifest.json listing every file's
// SHA-256. The signature is an HMAC-SHA256, keyed by the organizer's token,
// over every byte of the archive before it; it is stored as the archive's
// comment (the last 64 bytes), so changing any byte is detected.
type Manifest struct {
	Schema    int               `json:"schema"`
	Event     string            `json:"event"`
	EventName string            `json:"eventName"`
	Organizer string            `json:"organizer"` // the token's public id
	Created   string            `json:"created"`
	Ops       int               `json:"ops"`
	Upto      map[string]uint64 `json:"upto"`
	Files     map[string]string `json:"files"` // name -> sha256 hex
}

// Package is a verified package, ready to import.
type Package struct {
	Manifest Manifest
	Ops      []store.Op
}

// MaxPackageBytes bounds a package upload.
const MaxPackageBytes = 512 << 20

// SigningKey derives the HMAC key from an organizer token's secret; the
// platform stores the same digest, so it can check without the secret.
func SigningKey(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// WritePackage writes a signed package. files are extra tables (CSV, JSON).
func WritePackage(w io.Writer, m Manifest, ops []store.Op, files map[string][]byte, key []byte) error {
	var jl bytes.Buffer
	enc := json.NewEncoder(&jl)
	enc.SetEscapeHTML(false)
	for _, op := range ops {
		if err := enc.Encode(op); err != nil {
			return fmt.Errorf("write package ops: %w", err)
		}
	}
	all := map[string][]byte{"ops.jsonl": jl.Bytes()}
	for k, v := range files {
		all[k] = v
	}
	m.Ops, m.Files = len(ops), map[string]string{}
	names := make([]string, 0, len(all))
	for name, data := range all {
		sum := sha256.Sum256(data)
		m.Files[name] = hex.EncodeToString(sum[:])
		names = append(names, name)
	}
	sort.Strings(names)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	write := func(name string, data []byte) error {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	if err := write("manifest.json", manifest); err != nil {
		return fmt.Errorf("write package: %w", err)
	}
	for _, name := range names {
		if err := write(name, all[name]); err != nil {
			return fmt.Errorf("write package: %w", err)
		}
	}
	if err := zw.SetComment(strings.Repeat("0", sigLen)); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write package: %w", err)
	}
	data := out.Bytes()
	mac := hmac.New(sha256.New, key)
	mac.Write(data[:len(data)-sigLen])
	copy(data[len(data)-sigLen:], hex.EncodeToString(mac.Sum(nil)))
	_, err = w.Write(data)
	return err
}

const sigLen = 64

// ErrTampered means the package's contents do not match its signature.
var ErrTampered = errors.New("数据包校验失败：内容被修改或已损坏")

// ReadPackage opens and verifies a package. keyFor returns the signing key
// of the organizer the manifest names.
func ReadPackage(data []byte, keyFor func(organizer string) ([]byte, error)) (*Package, error) {
	if len(data) > MaxPackageBytes {
		return nil, fmt.Errorf("%w：数据包超过 %d MB", wire.ErrTooLarge, MaxPackageBytes>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w（%v）", ErrTampered, err)
	}
	files := map[string][]byte{}
	var total int64
	for _, f := range zr.File {
		if strings.Contains(f.Name, "..") || strings.HasPrefix(f.Name, "/") {
			return nil, fmt.Errorf("%w：非法文件名 %q", ErrTampered, clip(f.Name))
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w（%v）", ErrTampered, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, MaxPackageBytes-total+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%w（%s：%v）", ErrTampered, clip(f.Name), err)
		}
		total += int64(len(b))
		if total > MaxPackageBytes {
			return nil, fmt.Errorf("%w：解压后超过 %d MB", wire.ErrTooLarge, MaxPackageBytes>>20)
		}
		files[f.Name] = b
	}
	manifest := files["manifest.json"]
	if manifest == nil || len(zr.Comment) != sigLen || len(data) < sigLen || string(data[len(data)-sigLen:]) != zr.Comment {
		return nil, fmt.Errorf("%w：缺少清单或签名", ErrTampered)
	}
	var m Manifest
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, fmt.Errorf("%w：manifest 无法读取", ErrTampered)
	}
	if m.Schema != wire.SchemaVersion {
		return nil, fmt.Errorf("数据包版本 %d，平台只接受 %d", m.Schema, wire.SchemaVersion)
	}
	key, err := keyFor(m.Organizer)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(data[:len(data)-sigLen])
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(zr.Comment)) {
		return nil, fmt.Errorf("%w：签名不符", ErrTampered)
	}
	for name, h := range m.Files {
		sum := sha256.Sum256(files[name])
		if files[name] == nil || hex.EncodeToString(sum[:]) != h {
			return nil, fmt.Errorf("%w：%s 与清单不符", ErrTampered, clip(name))
		}
	}
	p := &Package{Manifest: m}
	sc := bufio.NewScanner(bytes.NewReader(files["ops.jsonl"]))
	sc.Buffer(make([]byte, 0, 1<<20), wire.MaxPayloadBytes*2)
	for n := 1; sc.Scan(); n++ {
		var op store.Op
		if err := json.Unmarshal(sc.Bytes(), &op); err != nil {
			return nil, fmt.Errorf("ops.jsonl 第 %d 行：%w", n, err)
		}
		if err := wire.CheckOp(op); err != nil {
			return nil, fmt.Errorf("ops.jsonl 第 %d 行（%s）：%w", n, clip(op.ID()), err)
		}
		p.Ops = append(p.Ops, op)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ops.jsonl：%w", err)
	}
	if len(p.Ops) != m.Ops {
		return nil, fmt.Errorf("%w：清单写 %d 条，实际 %d 条", ErrTampered, m.Ops, len(p.Ops))
	}
	return p, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
