package platform

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/internal/memtest"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

func goodPackage(t *testing.T, key ed25519.PrivateKey) []byte {
	t.Helper()
	ops := []store.Op{{Station: "S1", Seq: 1, HLC: 5, Kind: "event.put", Entity: "event", Payload: json.RawMessage(`{"id":"E1"}`)}}
	var buf bytes.Buffer
	if err := WritePackage(&buf, Manifest{Schema: wire.SchemaVersion, Event: "E1", Organizer: "O1", Upto: map[string]uint64{"S1": 1}}, ops, map[string][]byte{"summary.json": []byte(`{"held":3}`)}, key); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(data []byte, keyFor func(string) (ed25519.PublicKey, error)) (*Package, error) {
	return ReadPackage(bytes.NewReader(data), int64(len(data)), keyFor)
}

func TestPackageTamperedByOneByteIsRefused(t *testing.T) {
	key := SigningKey("secret")
	data := goodPackage(t, key)
	keyFor := func(org string) (ed25519.PublicKey, error) {
		if org != "O1" {
			return nil, errors.New("unknown organizer " + org)
		}
		return VerifyingKey("secret"), nil
	}
	p, err := read(data, keyFor)
	if err != nil || len(p.Ops) != 1 {
		t.Fatalf("a good package: %v", err)
	}
	refused := 0
	for i := 0; i < len(data); i += 7 {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x20
		if _, err := read(bad, keyFor); err != nil {
			refused++
		}
	}
	if refused != (len(data)+6)/7 {
		t.Fatalf("only %d of %d one-byte changes refused", refused, len(data)/7)
	}
	if _, err := read(data, func(string) (ed25519.PublicKey, error) { return VerifyingKey("other"), nil }); !errors.Is(err, ErrTampered) {
		t.Fatalf("another organizer's key: %v", err)
	}
	// The platform's token check is sha256(secret); it must not be a key
	// that verifies (or signs) packages.
	if bytes.Equal(VerifyingKey("secret"), SigningKey("secret").Seed()) {
		t.Fatal("verifying key and signing seed are the same bytes")
	}
}

// bombArchive is a zip whose one entry holds n zero bytes (deflate packs
// them about 1000:1), signed by key, or with a made-up signature if key is
// nil. declare, when not 0, is the uncompressed size its header claims.
func bombArchive(t *testing.T, name string, n int64, declare uint64, files int, key ed25519.PrivateKey) []byte {
	t.Helper()
	packed := deflatedZeros(t, n)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for i := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(len(packed)), UncompressedSize64: uint64(n)}
		if declare != 0 {
			h.UncompressedSize64 = declare
		}
		if i > 0 {
			h.Name = name + string(rune('a'+i%26)) + strings.Repeat("x", i/26)
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(packed)
	}
	zw.SetComment("FZP2 O1 " + strings.Repeat("0", sigHexLen))
	zw.Close()
	data := out.Bytes()
	if key != nil {
		if err := sign(data, key); err != nil {
			t.Fatal(err)
		}
	} else {
		copy(data[len(data)-sigHexLen:], strings.Repeat("ab", ed25519.SignatureSize))
	}
	return data
}

var zeroStreams = map[int64][]byte{}

// deflatedZeros is n zero bytes deflated, made once per size (deflating
// hundreds of MB is slow under the race detector).
func deflatedZeros(t *testing.T, n int64) []byte {
	if b, ok := zeroStreams[n]; ok {
		return b
	}
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestSpeed)
	if _, err := io.CopyN(fw, memtest.Repeat(0), n); err != nil {
		t.Fatal(err)
	}
	fw.Close()
	zeroStreams[n] = packed.Bytes()
	return packed.Bytes()
}

// A package nobody signed costs a hash of its bytes: a 128 MB bomb in a
// package of well under 1 MB is never unpacked. Signed packages are
// unpacked within the bounds whatever their headers say.
func TestPackageBombsCostNothingBeforeTheSignatureAndStayBoundedAfter(t *testing.T) {
	key := SigningKey("secret")
	keyFor := func(string) (ed25519.PublicKey, error) { return VerifyingKey("secret"), nil }
	const bound = 8 << 20 // bytes allocated while refusing
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"unsigned bomb", bombArchive(t, "ops.jsonl", 128<<20, 0, 1, nil), ErrTampered},
		{"signed by someone else", bombArchive(t, "ops.jsonl", 128<<20, 0, 1, SigningKey("stranger")), ErrTampered},
		{"signed, declares more than the bound", bombArchive(t, "ops.jsonl", 1<<20, MaxUnpackedBytes+1, 1, key), wire.ErrTooLarge},
		{"signed, declares 1 KB and holds 128 MB", bombArchive(t, "ops.jsonl", 128<<20, 1024, 1, key), ErrTampered},
		{"signed, too many files", bombArchive(t, "t", 10, 0, MaxPackageFiles+1, key), wire.ErrTooLarge},
	}
	for _, c := range cases {
		var err error
		used := memtest.Allocated(func() { _, err = read(c.data, keyFor) })
		t.Logf("%s: %d KB sent, %d KB allocated: %v", c.name, len(c.data)>>10, used>>10, err)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if used > bound {
			t.Errorf("%s: %d MB allocated while refusing, bound %d MB", c.name, used>>20, bound>>20)
		}
	}
	old := goodPackage(t, key)
	old = old[:len(old)-len("FZP2 O1 ")-sigHexLen]
	// An archive from before the signature change says so.
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("manifest.json")
	w.Write([]byte("{}"))
	zw.SetComment(strings.Repeat("0", 64))
	zw.Close()
	if _, err := read(b.Bytes(), keyFor); err == nil || !strings.Contains(err.Error(), "旧版") {
		t.Errorf("an old package: %v", err)
	}
	if _, err := read(old, keyFor); !errors.Is(err, ErrTampered) {
		t.Errorf("a package cut before its comment: %v", err)
	}
}

// FuzzReadPackage feeds arbitrary bytes, and changed real packages, to the
// platform's package reader: it answers with a package or an error, never
// a panic, and accepts nothing but what the key signed.
func FuzzReadPackage(f *testing.F) {
	key := SigningKey("secret")
	var buf bytes.Buffer
	ops := []store.Op{{Station: "S1", Seq: 1, HLC: 5, Kind: "event.put", Entity: "event", Payload: json.RawMessage(`{"id":"E1"}`)}}
	if err := WritePackage(&buf, Manifest{Schema: wire.SchemaVersion, Event: "E1", Organizer: "O1", Upto: map[string]uint64{"S1": 1}}, ops, nil, key); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good)
	f.Add([]byte("PK\x05\x06"))
	f.Add(good[len(good)-200:])
	keyFor := func(string) (ed25519.PublicKey, error) { return VerifyingKey("secret"), nil }
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := read(data, keyFor)
		if err == nil && !bytes.Equal(data, good) {
			// A second archive the signature accepts would be a forgery.
			if len(p.Ops) != 1 || p.Ops[0].Entity != "event" {
				t.Fatalf("a changed package was accepted with %d ops", len(p.Ops))
			}
			t.Fatalf("a changed package (%d bytes) was accepted", len(data))
		}
	})
}
