package records

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// The record-ID vector every ledger's outbox is tested against (the
// relayer's record_test.go and the Solidity Outbox pin the same one).
func TestRecordIDVector(t *testing.T) {
	emitter, _ := hex.DecodeString("5fbdb2315678afecb367f032d93f642f64180aa3")
	id, err := RecordID("dept-a", emitter, 1)
	if err != nil {
		t.Fatal(err)
	}
	const want = "c0a8f70b65438bd7acc429f1be20f5bab62cf19f803a5effc4f9689720db939c"
	if got := hex.EncodeToString(id[:]); got != want {
		t.Fatalf("RecordID = %s, want %s", got, want)
	}
}

func TestRecordIDLimits(t *testing.T) {
	if _, err := RecordID(strings.Repeat("x", 1<<16), nil, 1); !errors.Is(err, ErrInvalid) {
		t.Fatalf("65536-byte chain: err = %v, want ErrInvalid", err)
	}
	if _, err := RecordID("c", make([]byte, 1<<16), 1); !errors.Is(err, ErrInvalid) {
		t.Fatalf("65536-byte emitter: err = %v, want ErrInvalid", err)
	}
	if _, err := RecordID(strings.Repeat("x", 1<<16-1), make([]byte, 1<<16-1), 1); err != nil {
		t.Fatalf("65535-byte chain and emitter: %v", err)
	}
}

// digestVector is the digest vector documented in doc.go, for the relayer's
// Fabric verifier to pin too.
var digestVector = struct {
	chain, emitter                   string
	seq                              uint64
	destination, receiver, ctype, pl string
	id, payloadHash, digest          string
}{
	chain: "registry", emitter: "records", seq: 1,
	destination: "procurement", receiver: "licensing", ctype: "application/json", pl: `{"licence":"L-1"}`,
	id:          "85b305a798ca5fac37b688818699f349aaf059ea6a4e6c1fd762caf9672e5484",
	payloadHash: "a25b17575798e79dd36b91ff5ccdfa47ce6618bd40ce0d6b47abef8a2c829247",
	digest:      "da7ad9118949d4c31e24af866b7251413651e0c9ea1e1172e89fca8256e033f8",
}

// TestRecordDigestVector checks RecordDigest against a second, naive
// encoding of the rule in doc.go, and against the pinned vector.
func TestRecordDigestVector(t *testing.T) {
	v := digestVector
	id, err := RecordID(v.chain, []byte(v.emitter), v.seq)
	if err != nil {
		t.Fatal(err)
	}
	ph := sha256.Sum256([]byte(v.pl))
	got, err := RecordDigest(id, v.seq, v.destination, v.receiver, v.ctype, ph)
	if err != nil {
		t.Fatal(err)
	}

	var b bytes.Buffer
	b.WriteString("liaison/record-digest/v1")
	b.Write(id[:])
	b.Write(binary.BigEndian.AppendUint64(nil, v.seq))
	for _, s := range []string{v.destination, v.receiver, v.ctype} {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(s))))
		b.WriteString(s)
	}
	b.Write(ph[:])
	if want := sha256.Sum256(b.Bytes()); got != want {
		t.Fatalf("RecordDigest = %x, naive encoding gives %x", got, want)
	}

	for name, pair := range map[string][2]string{
		"id":           {hex.EncodeToString(id[:]), v.id},
		"payload hash": {hex.EncodeToString(ph[:]), v.payloadHash},
		"digest":       {hex.EncodeToString(got[:]), v.digest},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s = %s, pinned %s", name, pair[0], pair[1])
		}
	}
}

// Every field of the digest must change it.
func TestRecordDigestCoversEveryField(t *testing.T) {
	id, _ := RecordID("registry", []byte("records"), 1)
	ph := sha256.Sum256([]byte("p"))
	base, _ := RecordDigest(id, 1, "d", "r", "c", ph)
	id2 := id
	id2[0] ^= 1
	ph2 := ph
	ph2[31] ^= 1
	variants := map[string][32]byte{}
	variants["id"], _ = RecordDigest(id2, 1, "d", "r", "c", ph)
	variants["seq"], _ = RecordDigest(id, 2, "d", "r", "c", ph)
	variants["destination"], _ = RecordDigest(id, 1, "dx", "r", "c", ph)
	variants["receiver"], _ = RecordDigest(id, 1, "d", "rx", "c", ph)
	variants["content type"], _ = RecordDigest(id, 1, "d", "r", "cx", ph)
	variants["payload hash"], _ = RecordDigest(id, 1, "d", "r", "c", ph2)
	// Length prefixes keep field boundaries apart.
	variants["boundary"], _ = RecordDigest(id, 1, "dr", "", "c", ph)
	for name, d := range variants {
		if d == base {
			t.Errorf("changing the %s does not change the digest", name)
		}
	}
}
