package fabric_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// manifest is testdata/manifest.json.
type manifest struct {
	Channel string        `json:"channel"`
	Blocks  []vectorBlock `json:"blocks"`
}

type vectorBlock struct {
	File       string   `json:"file"`
	Block      uint64   `json:"block"`
	Kind       string   `json:"kind"`
	TxID       string   `json:"tx_id"`
	Validation string   `json:"validation"`
	Chaincode  string   `json:"chaincode"`
	EndorsedBy []string `json:"endorsed_by"`
	Record     struct {
		ID          string `json:"id"`
		SourceChain string `json:"source_chain"`
		Emitter     string `json:"emitter"`
		Sequence    uint64 `json:"sequence"`
		Destination string `json:"destination"`
		Receiver    string `json:"receiver"`
		ContentType string `json:"content_type"`
		Payload     []byte `json:"payload"`
		PayloadHash string `json:"payload_hash"`
	} `json:"record"`
	Digest   string `json:"digest"`
	StateKey string `json:"state_key"`
}

// net is "raft" or "bft", the directory of the vector.
func (v vectorBlock) net() string { return strings.Split(v.File, "/")[0] }

func loadManifest(tb testing.TB) manifest {
	tb.Helper()
	var m manifest
	if err := json.Unmarshal(readVector(tb, "manifest.json"), &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

// txVectors returns the manifest's transaction blocks.
func txVectors(tb testing.TB) []vectorBlock {
	var out []vectorBlock
	for _, b := range loadManifest(tb).Blocks {
		if b.Kind != "config" {
			out = append(out, b)
		}
	}
	if len(out) != 6 {
		tb.Fatalf("manifest lists %d transaction blocks, want 6", len(out))
	}
	return out
}

func readVector(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func trusted(tb testing.TB, net string) *fabric.TrustedConfig {
	tb.Helper()
	tc, err := fabric.ParseConfigBlock(readVector(tb, net+"/config.block"))
	if err != nil {
		tb.Fatal(err)
	}
	return tc
}

func mustPolicy(tb testing.TB, s string) fabric.EndorsementPolicy {
	tb.Helper()
	p, err := fabric.ParseEndorsementPolicy(s)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func mustVerifyBlock(tb testing.TB, tc *fabric.TrustedConfig, prev, raw []byte) *fabric.Block {
	tb.Helper()
	b, err := fabric.VerifyBlock(tc, prev, raw)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// wantErr checks that err is a *VerifyError wrapping sentinel.
func wantErr(tb testing.TB, err, sentinel error) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("verified; want %v", sentinel)
	}
	var ve *fabric.VerifyError
	if !errors.As(err, &ve) {
		tb.Fatalf("%T %v is not a *VerifyError", err, err)
	}
	if !errors.Is(err, sentinel) {
		tb.Fatalf("got %v; want %v", err, sentinel)
	}
}

// recordDigest is the commitment rule of adapters/fabric/chaincode/records
// (doc.go), written again here so that the vectors check it independently.
func recordDigest(id []byte, seq uint64, dest, receiver, contentType string, payload []byte) []byte {
	h := sha256.New()
	h.Write([]byte("liaison/record-digest/v1"))
	h.Write(id)
	h.Write(binary.BigEndian.AppendUint64(nil, seq))
	for _, s := range []string{dest, receiver, contentType} {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(s))))
		h.Write([]byte(s))
	}
	ph := sha256.Sum256(payload)
	h.Write(ph[:])
	return h.Sum(nil)
}

// recordID is the record ID rule of relayer.ComputeRecordID.
func recordID(chain string, emitter []byte, seq uint64) []byte {
	h := sha256.New()
	h.Write([]byte("liaison/record-id/v1"))
	h.Write(binary.BigEndian.AppendUint16(nil, uint16(len(chain))))
	h.Write([]byte(chain))
	h.Write(binary.BigEndian.AppendUint16(nil, uint16(len(emitter))))
	h.Write(emitter)
	h.Write(binary.BigEndian.AppendUint64(nil, seq))
	return h.Sum(nil)
}

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// synth is a synthetic network with its genesis config.
type synth struct {
	net     *fabrictest.Network
	genesis []byte
	tc      *fabric.TrustedConfig
	admins  []*fabrictest.Identity // the genesis orgs' admins
}

func newSynth(tb testing.TB, o fabrictest.Options) *synth {
	tb.Helper()
	n, err := fabrictest.NewNetwork(o)
	if err != nil {
		tb.Fatal(err)
	}
	return synthOf(tb, n)
}

// synthOf parses the genesis block of a network a test has changed.
func synthOf(tb testing.TB, n *fabrictest.Network) *synth {
	tb.Helper()
	g, err := n.GenesisBlock()
	if err != nil {
		tb.Fatal(err)
	}
	tc, err := fabric.ParseConfigBlock(g)
	if err != nil {
		tb.Fatal(err)
	}
	return &synth{net: n, genesis: g, tc: tc, admins: n.Admins()}
}

// publishTx is a records-style endorser transaction of Org1's client
// endorsed by the given identities.
func (s *synth) publishTx(tb testing.TB, endorsers ...*fabrictest.Identity) ([]byte, string) {
	tb.Helper()
	env, id, err := s.net.EndorserTx(fabrictest.TxSpec{
		Creator:   s.net.AppOrgs[0].Client,
		Chaincode: "records",
		Writes: []fabrictest.Write{
			{Namespace: "records", Key: "outbox/seq", Value: []byte{0, 0, 0, 0, 0, 0, 0, 1}},
			{Namespace: "records", Key: "outbox/record/aa", Value: []byte("digest")},
		},
		Event:     "RecordPublished",
		EventBody: []byte(`{"id":"aa"}`),
		Endorsers: endorsers,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return env, id
}

// block signs a block of the envelopes at number (under config block 0).
func (s *synth) block(tb testing.TB, number uint64, prev []byte, envs ...[]byte) []byte {
	tb.Helper()
	b, err := s.net.Block(fabrictest.BlockSpec{Number: number, PrevHash: prev, Envelopes: envs})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// peers returns the first peer of every application org.
func (s *synth) peers() []*fabrictest.Identity {
	var ps []*fabrictest.Identity
	for _, o := range s.net.AppOrgs {
		ps = append(ps, o.Peer())
	}
	return ps
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
