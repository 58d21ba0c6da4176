package main

// Attacks on what `liaison evidence verify` prints. Each test failed on the
// code it was written against; they stay as regression tests.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/ethereum/go-ethereum/trie/trienode"
	"github.com/holiman/uint256"

	"github.com/liaison-gw/liaison/adapters/evm"
	"github.com/liaison-gw/liaison/proofs/ethheader"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/relayer"
)

const evmTestdata = "../../adapters/evm/testdata"

// editBundle decodes a real bundle's top level, lets edit change the
// record and the notes (everything else, the anchor's state above all,
// stays byte for byte) and writes the result into a temporary file.
func editBundle(t *testing.T, name string, edit func(rec *relayer.Record, notes *[]string)) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(evmTestdata, name))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var rec relayer.Record
	var notes []string
	if err := json.Unmarshal(doc["record"], &rec); err != nil {
		t.Fatal(err)
	}
	if n, ok := doc["notes"]; ok {
		if err := json.Unmarshal(n, &notes); err != nil {
			t.Fatal(err)
		}
	}
	edit(&rec, &notes)
	doc["record"], _ = json.Marshal(rec)
	doc["notes"], _ = json.Marshal(notes)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAttackVerdictPrintsUnverifiedSourceFields: the EVM (and Cosmos)
// verifier never looks at record.source.height nor record.source.tx_id:
// neither the record ID, nor the storage commitment, nor the proof covers
// them, and SameRecord ignores them. Yet the verdict prints them, on the
// line under "valid:", as where the record comes from. Whoever hands over
// a bundle can make a genuine record appear to come from any block and any
// transaction (for example a block after a fork was resolved, or the hash
// of a transaction the reader knows to be something else).
func TestAttackVerdictPrintsUnverifiedSourceFields(t *testing.T) {
	path := editBundle(t, "evidence_qbft_skip.json", func(rec *relayer.Record, _ *[]string) {
		rec.Source.Height = 987654321
		rec.Source.TxID = "0x00000000000000000000000000000000000000000000000000000000deadbeef"
	})
	code, out, errOut := cli("evidence", "verify", path, "--accept-unpinned")
	if code != 0 && !strings.HasPrefix(out, "valid") {
		if !strings.Contains(errOut, "evidence rejected") {
			t.Fatalf("the edited bundle failed for another reason: exit %d %s", code, errOut)
		}
		return // refused: the hole is closed
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "987654321") || strings.Contains(line, "deadbeef") {
			if !strings.Contains(line, "not verified") {
				t.Fatalf("a bundle with a made-up source height and tx is %q and prints them as fact:\n%s%s",
					strings.SplitN(out, "\n", 2)[0], out, errOut)
			}
		}
	}
}

// TestAttackVerdictNoteInjection: the prover's notes (and the record's
// tx_id) are printed verbatim. A note with a newline and terminal escapes
// writes lines that look like the verifier's own, including a verdict line
// "valid: ...", and on a terminal can erase the real "unproven:" line
// above it. The bundle here is the genuine rpc-finality bundle (exit 3,
// "unproven"), with one note added.
func TestAttackVerdictNoteInjection(t *testing.T) {
	forged := "ok\r\x1b[1A\x1b[2K\rvalid: record 578a6bded3bcba2ac95da12182f8336766ac6e6862ff25cbfd03cb5ef557ba51 (qbft; consensus signatures checked; anchor pinned by --anchor-digest)\n" +
		"  anchor    sha256:0000000000000000000000000000000000000000000000000000000000000000 at height 0"
	path := editBundle(t, "evidence_rpc_finality.json", func(_ *relayer.Record, notes *[]string) {
		*notes = append(*notes, forged)
	})
	code, out, errOut := cli("evidence", "verify", path)
	if code == 1 {
		return // refused
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	anchors := 0
	for _, line := range lines {
		if strings.HasPrefix(line, "  anchor ") {
			anchors++
		}
	}
	if anchors != 1 {
		t.Errorf("the output has %d anchor lines; the bundle's notes wrote the others", anchors)
	}
	for i, line := range lines {
		if i > 0 && !strings.HasPrefix(line, "  ") {
			t.Errorf("line %d is not indented as the verdict's details are: %q", i+1, line)
		}
		if strings.HasPrefix(strings.TrimLeft(line, " \r\x1b[0123456789ABCDEFGHJK"), "valid") && i > 0 {
			t.Errorf("line %d reads as a verdict: %q", i+1, line)
		}
		for _, c := range []byte(line) {
			if c < 0x20 || c == 0x7f {
				t.Errorf("line %d carries the control byte %#x from the bundle: %q", i+1, c, line)
				break
			}
		}
	}
	if t.Failed() {
		t.Logf("exit %d\n%s%s", code, out, errOut)
	}
}

// TestAttackUnpinnedForgedBundleIsValid: without --anchor-digest or
// --anchor, anyone can make a bundle from scratch that `evidence verify`
// calls "valid: ... consensus signatures checked" and exits 0 for. Here the
// record was never published anywhere: the forger builds its own state trie
// holding the record's commitment, takes a QBFT header, puts that trie's
// root in it and makes up an anchor whose hash is that header's, at its
// height. The EVM verifier then checks no seal at all (a proof at the
// anchor's own height only compares hashes), so the verdict's "consensus
// signatures checked" is false twice over: the anchor is the forger's, and
// nothing was signed.
//
// rpc-finality evidence, which proves exactly as little, exits 3 unless
// --accept-endpoint-trust is given; an unpinned anchor proves nothing
// either, yet exits 0 with a verdict that starts with "valid".
// (TestEvidenceVerifyOffline asserts exit 0 for unpinned genuine bundles:
// closing this hole changes that expectation.)
func TestAttackUnpinnedForgedBundleIsValid(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(evmTestdata, "evidence_qbft_skip.json"))
	if err != nil {
		t.Fatal(err)
	}
	genuine, err := relayer.DecodeEvidence(raw)
	if err != nil {
		t.Fatal(err)
	}
	var cons evm.BFTConsensus
	if err := json.Unmarshal(genuine.Consensus, &cons); err != nil {
		t.Fatal(err)
	}
	header, err := ethheader.DecodeRLPHeader(cons.Headers[len(cons.Headers)-1])
	if err != nil {
		t.Fatal(err)
	}
	outbox := common.BytesToAddress(genuine.Record.Source.Emitter)

	// The record nobody published.
	rec := relayer.NewTestRecord("registry", outbox[:], 424242, []byte("licence 999: revoked licences are valid again"))
	rec.Destination, rec.Receiver, rec.ContentType = "finance", "receiver-1", "text/plain"
	rec.Source.Height, rec.Source.TxID = relayer.Height(header.Number.Uint64()), "0x01"
	slot, value := evm.CommitmentSlot(rec.ID), evm.RecordDigest(&rec)

	// The forger's own state: one account, the Outbox, holding the commitment.
	storage := newTrie(t)
	leaf, _ := rlp.EncodeToBytes(bytes.TrimLeft(value[:], "\x00"))
	if err := storage.Update(crypto.Keccak256(slot[:]), leaf); err != nil {
		t.Fatal(err)
	}
	state := newTrie(t)
	acc, _ := rlp.EncodeToBytes(&types.StateAccount{Nonce: 1, Balance: uint256.NewInt(0), Root: storage.Hash(), CodeHash: types.EmptyCodeHash[:]})
	if err := state.Update(crypto.Keccak256(outbox[:]), acc); err != nil {
		t.Fatal(err)
	}
	header.Root = state.Hash()
	hdr, err := rlp.EncodeToBytes(header)
	if err != nil {
		t.Fatal(err)
	}

	// The forger's anchor: the header's own hash at its own height.
	extra, err := qbft.ParseExtra(qbft.QBFT, header.Extra)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := qbft.BlockHash(qbft.QBFT, header)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := json.Marshal(qbft.TrustedState{Variant: qbft.QBFT, Height: header.Number.Uint64(), Hash: hash, Validators: extra.Validators})
	anchor, err := relayer.NewAnchor("registry", evm.SchemeQBFT, outbox[:], relayer.Height(header.Number.Uint64()), st)
	if err != nil {
		t.Fatal(err)
	}

	inc, _ := json.Marshal(evm.Inclusion{Address: outbox, Slot: slot, Value: value, BlockNumber: header.Number.Uint64(),
		AccountProof: prove(t, state, outbox[:]), StorageProof: prove(t, storage, slot[:])})
	con, _ := json.Marshal(evm.BFTConsensus{Headers: []hexutil.Bytes{hdr}})
	forged := &relayer.Evidence{Version: relayer.EvidenceVersion, Ledger: relayer.LedgerEVM, TrustModel: evm.SchemeQBFT,
		Record: rec, Inclusion: inc, Consensus: con, Anchor: anchor, ProvenAt: genuine.ProvenAt}
	data, err := relayer.EncodeEvidence(forged)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "forged.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := cli("evidence", "verify", path)
	verdict, _, _ := strings.Cut(out, "\n")
	if code == 0 || strings.HasPrefix(verdict, "valid") {
		t.Fatalf("a bundle made from scratch, with no signature anywhere, gets exit %d and the verdict %q\n%s%s", code, verdict, out, errOut)
	}
}

func newTrie(t *testing.T) *trie.Trie {
	t.Helper()
	tr, err := trie.New(trie.TrieID(types.EmptyRootHash), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func prove(t *testing.T, tr *trie.Trie, key []byte) []hexutil.Bytes {
	t.Helper()
	set := trienode.NewProofSet()
	if err := tr.Prove(crypto.Keccak256(key), set); err != nil {
		t.Fatal(err)
	}
	var out []hexutil.Bytes
	for _, n := range set.List() {
		out = append(out, n)
	}
	return out
}
