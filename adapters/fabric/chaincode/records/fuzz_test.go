package records

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzRecordCheck feeds Attest's record parser arbitrary JSON. It must
// never panic; it must refuse with ErrInvalid or accept a record whose
// canonical form checks again to the same ID and digest.
func FuzzRecordCheck(f *testing.F) {
	for _, payload := range []string{`{"licence":"L-1"}`, "", "\x00\xff"} {
		r, _ := inbound(f, 7, "registry", payload)
		b, _ := json.Marshal(r)
		f.Add(string(b))
	}
	f.Add(`{"id":"","sequence":-1}`)
	f.Add(`{"payload":"!!","payload_hash":"0x"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var r Record
		if json.Unmarshal([]byte(s), &r) != nil {
			return
		}
		canon, id, digest, err := r.check()
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("check(%q) = %v, not ErrInvalid", s, err)
			}
			return
		}
		_, id2, digest2, err := canon.check()
		if err != nil || id2 != id || digest2 != digest {
			t.Fatalf("the canonical form of %q checks to %x/%x (%v), want %x/%x", s, id2, digest2, err, id, digest)
		}
	})
}
