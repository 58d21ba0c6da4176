package ics23_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	ics23proto "github.com/cosmos/ics23/go"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/liaison-gw/liaison/proofs/ics23"
)

// The vector in testdata/ comes from an in-process ibc-go chain; it is
// regenerated, and checked against ibc-go's own verification, by
// proofs/cosmoslive. These tests link neither, so that fuzzing
// stays fast.

// vectorFile is testdata/packet_commitment.json: one IBC v2 packet sent on a
// real in-process chain, the membership proof of its commitment and the
// absence proof of the next sequence, both for store version Height-1, and
// the app hash of header Height they verify against.
type vectorFile struct {
	Source       string       `json:"source"`
	ChainID      string       `json:"chain_id"`
	Height       uint64       `json:"height"`
	AppHash      []byte       `json:"app_hash"`
	OtherAppHash []byte       `json:"other_app_hash"` // of header Height-1: the wrong root
	Packet       ics23.Packet `json:"packet"`
	Key          []byte       `json:"key"`
	Value        []byte       `json:"value"`
	Proof        []byte       `json:"proof"`
	AbsentKey    []byte       `json:"absent_key"`
	AbsenceProof []byte       `json:"absence_proof"`
}

func loadVector(tb testing.TB) vectorFile {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "packet_commitment.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatal(err)
	}
	return v
}

// splitProof decodes a MerkleProof into its commitment proofs.
func splitProof(t testing.TB, raw []byte) []*ics23proto.CommitmentProof {
	t.Helper()
	var out []*ics23proto.CommitmentProof
	for len(raw) > 0 {
		num, typ, n := protowire.ConsumeTag(raw)
		if n < 0 || num != 1 || typ != protowire.BytesType {
			t.Fatalf("not a MerkleProof")
		}
		body, m := protowire.ConsumeBytes(raw[n:])
		if m < 0 {
			t.Fatal(protowire.ParseError(m))
		}
		var p ics23proto.CommitmentProof
		if err := p.Unmarshal(body); err != nil {
			t.Fatal(err)
		}
		out = append(out, &p)
		raw = raw[n+m:]
	}
	return out
}

// joinProof encodes commitment proofs as a MerkleProof.
func joinProof(t testing.TB, proofs ...*ics23proto.CommitmentProof) []byte {
	t.Helper()
	var out []byte
	for _, p := range proofs {
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		out = protowire.AppendTag(out, 1, protowire.BytesType)
		out = protowire.AppendBytes(out, b)
	}
	return out
}
