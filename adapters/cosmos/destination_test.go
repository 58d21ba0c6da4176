package cosmos

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"
	hostv2 "github.com/cosmos/ibc-go/v10/modules/core/24-host/v2"
	solomachine "github.com/cosmos/ibc-go/v10/modules/light-clients/06-solomachine"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/ics23"
	"github.com/liaison-gw/liaison/relayer"
)

func event(typ string, kv ...string) abci.Event {
	e := abci.Event{Type: typ}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Attributes = append(e.Attributes, abci.EventAttribute{Key: kv[i], Value: kv[i+1]})
	}
	return e
}

func ackEvent(t *testing.T, client string, seq string, app []byte) abci.Event {
	t.Helper()
	b, err := (&channeltypesv2.Acknowledgement{AppAcknowledgements: [][]byte{app}}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return event(eventWriteAck, "packet_dest_client", client, "packet_sequence", seq, "encoded_acknowledgement_hex", hex.EncodeToString(b))
}

// TestJudge reads the outcome of a MsgRecvPacket from its events.
func TestJudge(t *testing.T) {
	rec := testRecord(1, "x")
	seq := PacketSequence(rec.ID)
	s := strconv.FormatUint(seq, 10)
	okAck := []byte(`{"record_id":"` + rec.ID.String() + `"}`)
	refused := func(reason string) abci.Event {
		return event(eventRefused, refusedPrefix+"packet_sequence", s, refusedPrefix+"reason", reason)
	}
	cases := []struct {
		name   string
		events []abci.Event
		want   error // nil: success
		text   string
	}{
		{"success", []abci.Event{ackEvent(t, "06-solomachine-0", s, okAck)}, nil, ""},
		{"refused", []abci.Event{ackEvent(t, "06-solomachine-0", s, channeltypesv2.ErrorAcknowledgement[:]), refused("record is for another destination")},
			relayer.ErrPermanent, "another destination"},
		{"refused as delivered", []abci.Event{ackEvent(t, "06-solomachine-0", s, channeltypesv2.ErrorAcknowledgement[:]), refused("record x: record already delivered")},
			relayer.ErrNotLanded, "already delivered"},
		{"no-op", nil, relayer.ErrNotLanded, "already received"},
		{"ack of another client", []abci.Event{ackEvent(t, "06-solomachine-9", s, okAck)}, relayer.ErrNotLanded, ""},
		{"ack naming another record", []abci.Event{ackEvent(t, "06-solomachine-0", s, []byte(`{"record_id":"00"}`))}, nil, "does not name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := judge(tc.events, "06-solomachine-0", seq, &rec, "in block 7")
			switch {
			case tc.want == nil && tc.text == "" && err != nil:
				t.Fatalf("got %v, want success", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("got %v, want %v", err, tc.want)
			case tc.text != "" && (err == nil || !strings.Contains(err.Error(), tc.text)):
				t.Fatalf("got %v, want it to say %q", err, tc.text)
			}
		})
	}
}

// TestPacket checks the delivery packet against the pure packet rules of
// proofs/ics23 and ibc-go's, and its sequence rule.
func TestPacket(t *testing.T) {
	rec := testRecord(1, "x")
	p, err := deliveryPacket(&rec, "liaison-gateway-0", "06-solomachine-0", 1_900_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ValidateBasic(); err != nil {
		t.Fatal(err)
	}
	pl := p.Payloads[0]
	pure := ics23.CommitPacket(ics23.Packet{Sequence: p.Sequence, SourceClient: p.SourceClient, DestinationClient: p.DestinationClient,
		TimeoutTimestamp: p.TimeoutTimestamp, Payloads: []ics23.Payload{{SourcePort: pl.SourcePort, DestinationPort: pl.DestinationPort,
			Version: pl.Version, Encoding: pl.Encoding, Value: pl.Value}}})
	if got := channeltypesv2.CommitPacket(p); string(got) != string(pure) {
		t.Fatalf("commitment %x, proofs/ics23 computes %x", got, pure)
	}
	if string(hostv2.PacketCommitmentKey(p.SourceClient, p.Sequence)) != string(ics23.PacketCommitmentKey(p.SourceClient, p.Sequence)) {
		t.Fatal("commitment keys differ")
	}
	if p.Sequence != PacketSequence(rec.ID) || p.Sequence == 0 {
		t.Fatalf("sequence %d", p.Sequence)
	}
	if PacketSequence(relayer.RecordID{}) != 1 {
		t.Fatal("the zero ID must map to sequence 1")
	}
}

func writeKey(t *testing.T, dir, name string, k *secp256k1.PrivKey) config.Secret {
	t.Helper()
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, []byte(hex.EncodeToString(k.Key)), 0o600); err != nil {
		t.Fatal(err)
	}
	return config.Secret{File: f}
}

// verifyProof checks a solomachine proof as ibc-go's 06-solomachine does.
func verifyProof(t *testing.T, a *attestorKeys, proof []byte, cs clientState, p channeltypesv2.Packet) uint64 {
	t.Helper()
	var tsd solomachine.TimestampedSignatureData
	if err := tsd.Unmarshal(proof); err != nil {
		t.Fatal(err)
	}
	var desc signing.SignatureDescriptor_Data
	if err := desc.Unmarshal(tsd.SignatureData); err != nil {
		t.Fatal(err)
	}
	data := signing.SignatureDataFromProto(&desc)
	key, _ := channeltypesv2.BuildMerklePath(CounterpartyPrefix, hostv2.PacketCommitmentKey(p.SourceClient, p.Sequence)).GetKey(1)
	sb, err := (&solomachine.SignBytes{Sequence: cs.sequence, Timestamp: tsd.Timestamp, Diversifier: cs.diversifier, Path: key,
		Data: channeltypesv2.CommitPacket(p)}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := solomachine.VerifySignature(a.pub, sb, data); err != nil {
		t.Fatalf("ibc-go refuses the proof: %v", err)
	}
	return tsd.Timestamp
}

// TestAttestorProofs signs solomachine proofs with one key and with a
// 2-of-3 multisig, and checks them with ibc-go's verification; the
// timestamp never goes below the client's.
func TestAttestorProofs(t *testing.T) {
	dir := t.TempDir()
	keys := []*secp256k1.PrivKey{secp256k1.GenPrivKey(), secp256k1.GenPrivKey(), secp256k1.GenPrivKey()}
	rec := testRecord(1, "x")
	p, _ := deliveryPacket(&rec, "liaison-gateway-0", "06-solomachine-0", 1_900_000_000)
	now := time.Unix(1_800_000_000, 0)

	single, err := loadAttestors(config.CosmosGateway{AttestorKeys: []config.Secret{writeKey(t, dir, "a", keys[0])}})
	if err != nil {
		t.Fatal(err)
	}
	cs := clientState{sequence: 7, timestamp: uint64(now.Add(time.Hour).UnixNano()), diversifier: "liaison"}
	proof, ts, err := single.commitmentProof(cs, CounterpartyPrefix, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := verifyProof(t, single, proof, cs, p); got != ts || ts != cs.timestamp {
		t.Fatalf("timestamp %d (returned %d), want the client's %d, which is later than now", got, ts, cs.timestamp)
	}

	var pubs []string
	for _, k := range keys {
		pubs = append(pubs, hex.EncodeToString(k.PubKey().Bytes()))
	}
	ms := &config.CosmosMultisig{Threshold: 2, PublicKeys: pubs}
	multi, err := loadAttestors(config.CosmosGateway{Multisig: ms,
		AttestorKeys: []config.Secret{writeKey(t, dir, "c", keys[2]), writeKey(t, dir, "a2", keys[0]), writeKey(t, dir, "b", keys[1])}})
	if err != nil {
		t.Fatal(err)
	}
	cs.timestamp = 0
	proof, ts, err = multi.commitmentProof(cs, CounterpartyPrefix, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if verifyProof(t, multi, proof, cs, p) != uint64(now.UnixNano()) || ts != uint64(now.UnixNano()) {
		t.Fatal("timestamp is not now")
	}
	// The client's key must match.
	if err := multi.checkClient("06-solomachine-1", clientState{pubKey: mustAny(t, single)}); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("other key: %v", err)
	}
	if err := multi.checkClient("06-solomachine-1", clientState{pubKey: mustAny(t, multi), frozen: true}); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("frozen: %v", err)
	}
	if err := multi.checkClient("06-solomachine-1", clientState{pubKey: mustAny(t, multi)}); err != nil {
		t.Fatal(err)
	}

	// Holding fewer than the threshold, or a key that is not a member.
	few, err := loadAttestors(config.CosmosGateway{Multisig: ms, AttestorKeys: []config.Secret{writeKey(t, dir, "a3", keys[0])}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := few.commitmentProof(cs, CounterpartyPrefix, p, now); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("one of two signatures: %v", err)
	}
	if _, err := loadAttestors(config.CosmosGateway{Multisig: ms, AttestorKeys: []config.Secret{writeKey(t, dir, "x", secp256k1.GenPrivKey())}}); err == nil {
		t.Fatal("accepted a key that is not a member")
	}
	if _, err := loadAttestors(config.CosmosGateway{}); err == nil {
		t.Fatal("accepted no key")
	}
}

func mustAny(t *testing.T, a *attestorKeys) *codectypes.Any {
	t.Helper()
	v, err := a.pubAny()
	if err != nil {
		t.Fatal(err)
	}
	return v
}
