package types_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

// The fixed vector every ledger's implementation of the record-ID rule must
// reproduce (relayer/record_test.go pins the same one).
func TestComputeRecordIDVector(t *testing.T) {
	emitter, _ := hex.DecodeString("5fbdb2315678afecb367f032d93f642f64180aa3")
	id, err := types.ComputeRecordID("dept-a", emitter, 1)
	if err != nil {
		t.Fatal(err)
	}
	const want = "c0a8f70b65438bd7acc429f1be20f5bab62cf19f803a5effc4f9689720db939c"
	if id.String() != want {
		t.Fatalf("id = %s, want %s", id, want)
	}
	parsed, err := types.ParseRecordID("0x" + strings.ToUpper(want))
	if err != nil || parsed != id {
		t.Fatalf("ParseRecordID = %s, %v", parsed, err)
	}
}

func TestComputeRecordIDCosmosEmitter(t *testing.T) {
	a, _ := types.ComputeRecordID("finance", []byte(types.PortID), 1)
	b, _ := types.ComputeRecordID("finance", []byte(types.PortID), 2)
	c, _ := types.ComputeRecordID("financ", []byte("e"+types.PortID), 1)
	if a == b || a == c {
		t.Fatal("distinct (chain, emitter, seq) must give distinct ids; length prefixes keep chain/emitter apart")
	}
	if _, err := types.ComputeRecordID(strings.Repeat("x", 1<<16), nil, 1); !errors.Is(err, types.ErrInvalidRecord) {
		t.Fatalf("64 KiB chain name: err = %v, want ErrInvalidRecord", err)
	}
}

func testRecord(t testing.TB) types.Record {
	t.Helper()
	r, err := types.NewRecord("finance", []byte(types.PortID), 7, "registry", "licences", "application/json", []byte(`{"licence":42}`))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPacketValueRoundTrip(t *testing.T) {
	r := testRecord(t)
	value, err := types.EncodePacketValue(r)
	if err != nil {
		t.Fatal(err)
	}
	id := r.RecordID()
	want := `{"id":"` + id.String() + `","source_chain":"finance","emitter":"0x7265636f726473","sequence":7,` +
		`"destination":"registry","receiver":"licences","content_type":"application/json",` +
		`"payload":"eyJsaWNlbmNlIjo0Mn0=","payload_hash":"0x` + hex.EncodeToString(r.PayloadHash) + `"}`
	if string(value) != want {
		t.Fatalf("value =\n%s\nwant\n%s", value, want)
	}
	got, err := types.DecodePacketValue(value)
	if err != nil {
		t.Fatal(err)
	}
	if !sameRecord(got, r) {
		t.Fatalf("round trip: got %v, want %v", got, r)
	}
}

func TestEncodeDoesNotEscapeHTML(t *testing.T) {
	r, _ := types.NewRecord("finance", []byte(types.PortID), 1, "registry", "a&b<c>", "text/plain", nil)
	value, _ := types.EncodePacketValue(r)
	if !bytes.Contains(value, []byte(`"receiver":"a&b<c>"`)) || bytes.HasSuffix(value, []byte("\n")) {
		t.Fatalf("value = %s", value)
	}
}

func TestDecodeAcceptsEmptyPayloadAndUnprefixedHex(t *testing.T) {
	r, err := types.NewRecord("registry", []byte{0xab}, 1, "finance", "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	value, _ := types.EncodePacketValue(r)
	value = bytes.ReplaceAll(value, []byte(`"0x`), []byte(`"`))
	got, err := types.DecodePacketValue(value)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Payload) != 0 || got.RecordID() != r.RecordID() {
		t.Fatalf("got %v", got)
	}
}

// Every field of a record is covered by its ID or payload hash: changing any
// one of them must be refused.
func TestDecodeRefusesTamperedFields(t *testing.T) {
	r := testRecord(t)
	cases := map[string]func(m map[string]any){
		"source_chain": func(m map[string]any) { m["source_chain"] = "finance2" },
		"emitter":      func(m map[string]any) { m["emitter"] = "0x7265636f726474" },
		"sequence":     func(m map[string]any) { m["sequence"] = 8 },
		"payload":      func(m map[string]any) { m["payload"] = "eyJsaWNlbmNlIjo0M30=" },
		"payload_hash": func(m map[string]any) { m["payload_hash"] = "0x" + strings.Repeat("00", 32) },
		"id":           func(m map[string]any) { m["id"] = strings.Repeat("11", 32) },
		"short id":     func(m map[string]any) { m["id"] = "11" },
		"zero seq":     func(m map[string]any) { m["sequence"] = 0 },
		"unknown":      func(m map[string]any) { m["extra"] = 1 },
		"missing":      func(m map[string]any) { delete(m, "receiver") },
		"bad hex":      func(m map[string]any) { m["emitter"] = "0xzz" },
		"no dest":      func(m map[string]any) { m["destination"] = "" },
	}
	value, _ := types.EncodePacketValue(r)
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(value, &m); err != nil {
				t.Fatal(err)
			}
			mutate(m)
			bad, _ := json.Marshal(m)
			if _, err := types.DecodePacketValue(bad); !errors.Is(err, types.ErrInvalidRecord) {
				t.Fatalf("err = %v, want ErrInvalidRecord", err)
			}
		})
	}
}

// Flipping any single byte of an encoded record must not change what the
// record ID and payload hash cover (source chain, emitter, sequence,
// payload): the value fails to decode or those fields are unchanged.
// Destination, receiver and content type are covered by the IBC packet
// commitment over the whole value instead.
func TestDecodeCorruptOneByte(t *testing.T) {
	r := testRecord(t)
	value, _ := types.EncodePacketValue(r)
	for i := range value {
		for _, flip := range []byte{0x01, 0x20, 0x80} {
			bad := bytes.Clone(value)
			bad[i] ^= flip
			got, err := types.DecodePacketValue(bad)
			if err == nil && (got.SourceChain != r.SourceChain || !bytes.Equal(got.Emitter, r.Emitter) ||
				got.Sequence != r.Sequence || !bytes.Equal(got.Payload, r.Payload) || got.RecordID() != r.RecordID()) {
				t.Fatalf("byte %d ^ %#x: decoded a record with different covered fields: %v", i, flip, got)
			}
		}
	}
}

func TestDecodeRefusesTrailingData(t *testing.T) {
	value, _ := types.EncodePacketValue(testRecord(t))
	for _, suffix := range []string{"{}", " x", `{"a":1}`} {
		if _, err := types.DecodePacketValue(append(bytes.Clone(value), suffix...)); err == nil {
			t.Fatalf("suffix %q accepted", suffix)
		}
	}
}

func TestAckRoundTrip(t *testing.T) {
	id := testRecord(t).RecordID()
	ack := types.EncodeAck(id)
	if string(ack) != `{"record_id":"`+id.String()+`"}` {
		t.Fatalf("ack = %s", ack)
	}
	got, err := types.DecodeAck(ack)
	if err != nil || got != id {
		t.Fatalf("DecodeAck = %s, %v", got, err)
	}
	if _, err := types.DecodeAck([]byte(`{"record_id":"00"}`)); !errors.Is(err, types.ErrInvalidAck) {
		t.Fatalf("short id: err = %v", err)
	}
}

func TestParamsValidate(t *testing.T) {
	for name, tc := range map[string]struct {
		name string
		ok   bool
	}{
		"finance": {"finance", true},
		"empty":   {"", false},
		"space":   {"fin ance", false},
		"long":    {strings.Repeat("a", 129), false},
	} {
		err := types.Params{ChainName: tc.name}.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", name, err)
		}
		if err != nil && !errors.Is(err, types.ErrInvalidParams) {
			t.Errorf("%s: err = %v, want ErrInvalidParams", name, err)
		}
	}
}

func TestGenesisValidate(t *testing.T) {
	gs := types.DefaultGenesis()
	if err := gs.Validate(); !errors.Is(err, types.ErrInvalidParams) {
		t.Fatalf("default genesis must ask for a chain name, err = %v", err)
	}
	gs.Params.ChainName = "finance"
	if err := gs.Validate(); err != nil {
		t.Fatal(err)
	}
	r := testRecord(t) // finance/records, sequence 7
	gs.Published = []types.PublishedRecord{{Record: r}}
	if err := gs.Validate(); err == nil {
		t.Fatal("sequence 7 with next_sequence 1 accepted")
	}
	gs.NextSequence = 8
	if err := gs.Validate(); err != nil {
		t.Fatal(err)
	}
	gs.Published = append(gs.Published, gs.Published[0])
	if err := gs.Validate(); err == nil {
		t.Fatal("duplicate published record accepted")
	}
}

func FuzzDecodePacketValue(f *testing.F) {
	r := testRecord(f)
	value, _ := types.EncodePacketValue(r)
	f.Add(value)
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, value []byte) {
		got, err := types.DecodePacketValue(value)
		if err != nil {
			return
		}
		// Anything accepted is a valid record that re-encodes and decodes
		// to itself.
		if err := got.Validate(); err != nil {
			t.Fatalf("accepted an invalid record: %v", err)
		}
		again, err := types.EncodePacketValue(got)
		if err != nil {
			t.Fatal(err)
		}
		back, err := types.DecodePacketValue(again)
		if err != nil || !sameRecord(back, got) {
			t.Fatalf("re-encoding changed the record: %v", err)
		}
	})
}

func BenchmarkDecodePacketValue(b *testing.B) {
	value, _ := types.EncodePacketValue(testRecord(b))
	for b.Loop() {
		if _, err := types.DecodePacketValue(value); err != nil {
			b.Fatal(err)
		}
	}
}

// sameRecord compares two records by their protobuf encoding, which treats
// a nil and an empty payload alike.
func sameRecord(a, b types.Record) bool {
	x, err1 := a.Marshal()
	y, err2 := b.Marshal()
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
