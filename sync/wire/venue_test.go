package wire

import (
	"strings"
	"testing"
)

// FuzzParsePairing: whatever is typed or scanned into the join box gives
// an address, code and fingerprint of the right shape, or a clear refusal.
func FuzzParsePairing(f *testing.F) {
	f.Add("fzhub://192.168.1.5:8443?code=ABC123&fp=" + strings.Repeat("a", 64))
	f.Add("192.168.1.5:8443 abc123 " + strings.Repeat("0", 64))
	f.Add("fzhub://%zz")
	f.Fuzz(func(t *testing.T, s string) {
		addr, code, fp, err := ParsePairing(s)
		if err != nil {
			if !strings.Contains(err.Error(), "配对信息格式不对") {
				t.Fatalf("unclear refusal: %v", err)
			}
			return
		}
		if !strings.HasPrefix(addr, "https://") || code == "" || len(fp) != 64 {
			t.Fatalf("accepted %q as %q %q %q", s, addr, code, fp)
		}
	})
}
