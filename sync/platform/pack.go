package platform

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
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
// SHA-256.
//
// The archive's comment, its last bytes, is "FZP2 <organizer> <signature>":
// an Ed25519 signature (pre-hashed with SHA-512) over every byte before the
// signature, by a key derived from the organizer's token secret. The
// platform keeps only the public half, so a copy of its database cannot
// sign a package, and it checks the signature from the archive's tail
// before it unpacks anything: a stranger's package costs a hash of its
// bytes, never a decompression.
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

const (
	// MaxPackageBytes bounds a package upload as sent.
	MaxPackageBytes = 512 << 20
	// MaxUnpackedBytes bounds what a signed package may unpack to (a
	// 300,000-op event is about 150 MB of ops.jsonl).
	MaxUnpackedBytes = 1 << 30
	// MaxPackageFiles bounds the archive's entries: a package has a
	// manifest, the ops and a handful of tables.
	MaxPackageFiles = 32
)

// packageSigningContext separates this key from every other use of the
// token secret (the platform's token check hashes the secret itself).
const packageSigningContext = "fuzhi data package signing key v2"

// SigningKey derives the Ed25519 key that signs an organizer's packages
// from the token's secret.
func SigningKey(secret string) ed25519.PrivateKey {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(packageSigningContext))
	return ed25519.NewKeyFromSeed(mac.Sum(nil))
}

// VerifyingKey is the public half of SigningKey, what the platform stores.
func VerifyingKey(secret string) ed25519.PublicKey {
	return SigningKey(secret).Public().(ed25519.PublicKey)
}

const (
	commentTag = "FZP2"
	sigHexLen  = 2 * ed25519.SignatureSize
)

// WritePackage writes a signed package. files are extra tables (CSV, JSON).
func WritePackage(w io.Writer, m Manifest, ops []store.Op, files map[string][]byte, key ed25519.PrivateKey) error {
	if !wire.ValidID(m.Organizer) {
		return fmt.Errorf("write package: organizer id %q is not valid", clip(m.Organizer))
	}
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
	if err := zw.SetComment(commentTag + " " + m.Organizer + " " + strings.Repeat("0", sigHexLen)); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write package: %w", err)
	}
	data := out.Bytes()
	if err := sign(data, key); err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// sign fills the placeholder at the end of an archive whose comment is
// "FZP2 <organizer> 000…" with the signature of every byte before it.
func sign(data []byte, key ed25519.PrivateKey) error {
	digest := sha512.Sum512(data[:len(data)-sigHexLen])
	sig, err := key.Sign(nil, digest[:], &ed25519.Options{Hash: crypto.SHA512})
	if err != nil {
		return fmt.Errorf("sign package: %w", err)
	}
	copy(data[len(data)-sigHexLen:], hex.EncodeToString(sig))
	return nil
}

// ErrTampered means the package's contents do not match its signature.
var ErrTampered = errors.New("数据包校验失败：内容被修改或已损坏")

// ReadPackage verifies and opens a package of size bytes. keyFor returns
// the verifying key of the organizer the archive's comment names. The
// signature is checked first, from the archive's tail and one pass of
// SHA-512, so nothing is unpacked for a package nobody signed; a signed
// package is then unpacked within MaxPackageFiles and MaxUnpackedBytes,
// checked against the sizes it declares and against what it really holds.
func ReadPackage(r io.ReaderAt, size int64, keyFor func(organizer string) (ed25519.PublicKey, error)) (*Package, error) {
	if size > MaxPackageBytes {
		return nil, fmt.Errorf("%w：数据包超过 %d MB", wire.ErrTooLarge, MaxPackageBytes>>20)
	}
	organizer, sig, err := readSignature(r, size)
	if err != nil {
		return nil, err
	}
	key, err := keyFor(organizer)
	if err != nil {
		return nil, err
	}
	h := sha512.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size-sigHexLen)); err != nil {
		return nil, fmt.Errorf("read package: %w", err)
	}
	if len(key) != ed25519.PublicKeySize || ed25519.VerifyWithOptions(key, h.Sum(nil), sig, &ed25519.Options{Hash: crypto.SHA512}) != nil {
		return nil, fmt.Errorf("%w：签名不符", ErrTampered)
	}
	files, err := unpack(r, size)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		return nil, fmt.Errorf("%w：manifest 无法读取", ErrTampered)
	}
	if m.Schema != wire.SchemaVersion {
		return nil, fmt.Errorf("数据包版本 %d，平台只接受 %d", m.Schema, wire.SchemaVersion)
	}
	if m.Organizer != organizer {
		return nil, fmt.Errorf("%w：清单与签名的组织方不同", ErrTampered)
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

// readSignature finds the archive's comment in its last bytes (the zip
// end record is 22 bytes, then the comment) and reads the organizer and
// the signature from it.
func readSignature(r io.ReaderAt, size int64) (organizer string, sig []byte, err error) {
	const endRecord = 22
	maxComment := int64(len(commentTag) + 2 + 64 + sigHexLen)
	n := min(size, endRecord+maxComment)
	tail := make([]byte, n)
	if _, err := r.ReadAt(tail, size-n); err != nil {
		return "", nil, fmt.Errorf("%w（%v）", ErrTampered, err)
	}
	for i := len(tail) - endRecord; i >= 0; i-- {
		if !bytes.Equal(tail[i:i+4], []byte("PK\x05\x06")) {
			continue
		}
		comment := tail[i+endRecord:]
		if int(binary.LittleEndian.Uint16(tail[i+20:])) != len(comment) {
			continue
		}
		f := strings.Fields(string(comment))
		if len(f) == 1 && len(f[0]) == 64 {
			return "", nil, errors.New("这是旧版赋智会务台导出的数据包，请升级后重新导出")
		}
		if len(f) != 3 || f[0] != commentTag || !wire.ValidID(f[1]) || len(f[2]) != sigHexLen || !strings.HasSuffix(string(comment), f[2]) {
			break
		}
		sig, err := hex.DecodeString(f[2])
		if err != nil || hex.EncodeToString(sig) != f[2] {
			break // one spelling per signature: lowercase hex only
		}
		return f[1], sig, nil
	}
	return "", nil, fmt.Errorf("%w：缺少签名", ErrTampered)
}

// unpack reads a signed archive's files within the package bounds.
func unpack(r io.ReaderAt, size int64) (map[string][]byte, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w（%v）", ErrTampered, err)
	}
	if len(zr.File) > MaxPackageFiles {
		return nil, fmt.Errorf("%w：数据包含 %d 个文件，最多 %d 个", wire.ErrTooLarge, len(zr.File), MaxPackageFiles)
	}
	var declared uint64
	for _, f := range zr.File {
		if strings.Contains(f.Name, "..") || strings.HasPrefix(f.Name, "/") {
			return nil, fmt.Errorf("%w：非法文件名 %q", ErrTampered, clip(f.Name))
		}
		declared += f.UncompressedSize64
	}
	if declared > MaxUnpackedBytes {
		return nil, fmt.Errorf("%w：解压后超过 %d MB", wire.ErrTooLarge, MaxUnpackedBytes>>20)
	}
	files := map[string][]byte{}
	var total int64
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			return nil, fmt.Errorf("%w：文件 %q 出现两次", ErrTampered, clip(f.Name))
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w（%v）", ErrTampered, err)
		}
		// The reader also stops at the declared size (archive/zip checks
		// it), so a lying header cannot unpack more than was declared.
		b, err := io.ReadAll(io.LimitReader(rc, MaxUnpackedBytes-total+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%w（%s：%v）", ErrTampered, clip(f.Name), err)
		}
		total += int64(len(b))
		if total > MaxUnpackedBytes {
			return nil, fmt.Errorf("%w：解压后超过 %d MB", wire.ErrTooLarge, MaxUnpackedBytes>>20)
		}
		files[f.Name] = b
	}
	if files["manifest.json"] == nil {
		return nil, fmt.Errorf("%w：缺少清单", ErrTampered)
	}
	return files, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
