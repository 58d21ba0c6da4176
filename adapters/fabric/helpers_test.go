package fabric

import (
	"time"

	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	fabproof "github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/relayer"
)

// vectors is proofs/fabric's directory of real blocks, captured from the
// e2e/fabric networks (see its SOURCES.md).
var vectors = filepath.Join("..", "..", "proofs", "fabric", "testdata")

// vectorManifest is the part of proofs/fabric/testdata/manifest.json the
// tests read.
type vectorManifest struct {
	ChainName string `json:"chain_name"`
	Blocks    []struct {
		File       string          `json:"file"`
		Block      uint64          `json:"block"`
		TxID       string          `json:"tx_id"`
		Validation string          `json:"validation"`
		Chaincode  string          `json:"chaincode"`
		Record     json.RawMessage `json:"record"`
		Digest     string          `json:"digest"`
	} `json:"blocks"`
}

func readManifest(t testing.TB) vectorManifest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(vectors, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m vectorManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// realEvidence is a verified bundle and the anchor it verified against.
type realEvidence struct {
	ev       *relayer.Evidence
	anchor   relayer.Anchor
	verifier relayer.Verifier // pinned to the chain and chaincode
}

// vectorEvidence builds the evidence for the transaction in file (e.g.
// "raft/publish-1.block") the way the prover does, with the config block of
// its directory as the anchor and policy as the endorsement policy. It
// does not verify it.
func vectorEvidence(t testing.TB, file, policy string) realEvidence {
	t.Helper()
	m := readManifest(t)
	for _, b := range m.Blocks {
		if b.File != file {
			continue
		}
		rec, _, err := decodeEventRecord(b.Record)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		rec.Source.Chain = relayer.ChainID(m.ChainName)
		rec.Source.Height = relayer.Height(b.Block)
		rec.Source.TxID = b.TxID
		raw := readVector(t, file)
		var blk common.Block
		if err := proto.Unmarshal(raw, &blk); err != nil {
			t.Fatal(err)
		}
		idx, _, err := findTx(&blk, b.TxID)
		if err != nil {
			t.Fatal(err)
		}
		anchor := vectorAnchor(t, filepath.Join(filepath.Dir(file), "config.block"), b.Chaincode, policy)
		return realEvidence{
			ev: &relayer.Evidence{
				Version:    relayer.EvidenceVersion,
				Ledger:     relayer.LedgerFabric,
				TrustModel: TrustModel,
				Record:     *rec,
				Inclusion:  mustMarshal(t, Inclusion{Block: raw, TxIndex: idx, TxID: b.TxID}),
				Consensus:  mustMarshal(t, Consensus{ConfigBlocks: [][]byte{}}),
				Anchor:     anchor,
				Notes:      []string{"made from " + file + " of proofs/fabric/testdata"},
			},
			anchor:   anchor,
			verifier: NewVerifier(WithChain(relayer.ChainID(m.ChainName)), WithChaincode(b.Chaincode)),
		}
	}
	t.Fatalf("no %s in the manifest", file)
	return realEvidence{}
}

// vectorAnchor is the anchor of a config block of the vectors.
func vectorAnchor(t testing.TB, file, chaincode, policy string) relayer.Anchor {
	t.Helper()
	tc, err := fabproof.ParseConfigBlock(readVector(t, file))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := fabproof.ParseEndorsementPolicy(policy)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newAnchor("registry", chaincode, pol, tc)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func readVector(t testing.TB, file string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(vectors, file))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func mustMarshal(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// clone deep-copies a bundle through its JSON.
func clone(t testing.TB, ev *relayer.Evidence) *relayer.Evidence {
	t.Helper()
	raw, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var out relayer.Evidence
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// editJSON decodes a document, edits it and encodes it again.
func editJSON[T any](t testing.TB, raw *json.RawMessage, edit func(*T)) {
	t.Helper()
	var v T
	if err := json.Unmarshal(*raw, &v); err != nil {
		t.Fatal(err)
	}
	edit(&v)
	*raw = mustMarshal(t, &v)
}

// withRecord changes the record and, when fix is set, recomputes its ID and
// payload hash so that Record.Check passes.
func withRecord(ev *relayer.Evidence, fix bool, edit func(*relayer.Record)) {
	edit(&ev.Record)
	if fix {
		ev.Record.PayloadHash = relayer.PayloadDigest(ev.Record.Payload)
		ev.Record.ID, _ = relayer.ComputeRecordID(ev.Record.Source.Chain, ev.Record.Source.Emitter, ev.Record.Source.Sequence)
	}
}

// verifyVia checks ev the way the engine and `liaison evidence verify` do,
// through relayer.VerifyEvidence, and returns the next anchor.
func verifyVia(v relayer.Verifier, ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	verdict, err := relayer.VerifyEvidence(ev, trusted, v, now)
	return verdict.Next, err
}
