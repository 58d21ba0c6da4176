package relayer

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// recordIDVector pins the record ID rule. The Solidity Outbox and Inbox, the
// Fabric chaincode and the Cosmos module are tested against the same bytes.
const recordIDVector = "c0a8f70b65438bd7acc429f1be20f5bab62cf19f803a5effc4f9689720db939c"

func TestRecordIDVector(t *testing.T) {
	emitter, _ := hex.DecodeString("5fbdb2315678afecb367f032d93f642f64180aa3")
	id, err := ComputeRecordID("dept-a", emitter, 1)
	if err != nil {
		t.Fatal(err)
	}
	if id.String() != recordIDVector {
		t.Fatalf("record id = %s, want %s", id, recordIDVector)
	}
	back, err := ParseRecordID("0x" + recordIDVector)
	if err != nil || back != id {
		t.Fatalf("ParseRecordID round trip: %v %v", back, err)
	}
}

func TestRecordIDSeparatesFields(t *testing.T) {
	// Length prefixes keep ("ab","c") and ("a","bc") apart.
	a, _ := ComputeRecordID("ab", []byte("c"), 1)
	b, _ := ComputeRecordID("a", []byte("bc"), 1)
	c, _ := ComputeRecordID("ab", []byte("c"), 2)
	if a == b || a == c {
		t.Fatal("distinct inputs gave the same record id")
	}
}

func TestRecordCheck(t *testing.T) {
	rec := NewTestRecord("dept-a", []byte{1, 2, 3}, 7, []byte("licence #7"))
	if err := rec.Check(); err != nil {
		t.Fatalf("valid record: %v", err)
	}
	for name, mutate := range map[string]func(*Record){
		"sequence": func(r *Record) { r.Source.Sequence++ },
		"chain":    func(r *Record) { r.Source.Chain = "dept-b" },
		"emitter":  func(r *Record) { r.Source.Emitter[0] ^= 1 },
		"payload":  func(r *Record) { r.Payload[0] ^= 1 },
		"hash":     func(r *Record) { r.PayloadHash[31] ^= 1 },
	} {
		t.Run(name, func(t *testing.T) {
			r := NewTestRecord("dept-a", []byte{1, 2, 3}, 7, []byte("licence #7"))
			mutate(&r)
			if err := r.Check(); !errors.Is(err, ErrRecordMismatch) {
				t.Fatalf("Check = %v, want ErrRecordMismatch", err)
			}
		})
	}
}

// TestSourceTimeIsInformational checks that the source time takes no part
// in a record's identity: SameRecord and Check ignore it, a zero time is
// left out of the JSON form (bundles without it encode as before), and a
// set time survives an evidence bundle's round trip.
func TestSourceTimeIsInformational(t *testing.T) {
	a := NewTestRecord("dept-a", []byte{1, 2, 3}, 7, []byte("licence #7"))
	b := a
	b.Source.Time = time.Date(2026, 11, 30, 12, 0, 0, 5, time.UTC)
	if !SameRecord(&a, &b) || b.Check() != nil {
		t.Fatal("the source time changed the record's identity")
	}
	plain, _ := json.Marshal(a.Source)
	if bytes.Contains(plain, []byte(`"time"`)) {
		t.Fatalf("zero source time encoded: %s", plain)
	}
	anchor, _ := NewAnchor("dept-a", "x", []byte("e"), 1, []byte(`{}`))
	ev := &Evidence{Version: EvidenceVersion, Ledger: "fake", TrustModel: "x", Record: b,
		Inclusion: json.RawMessage(`{}`), Anchor: anchor}
	raw, err := EncodeEvidence(ev)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeEvidence(raw)
	if err != nil || !back.Record.Source.Time.Equal(b.Source.Time) || !SameRecord(&back.Record, &a) {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}
