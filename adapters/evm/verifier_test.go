package evm

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/liaison-gw/liaison/proofs/mpt"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
)

var update = flag.Bool("update", false, "regenerate the evidence bundles in testdata/ from in-process chains")

// realEvidence is a verified bundle and the anchor it verified against.
type realEvidence struct {
	ev       *relayer.Evidence
	anchor   relayer.Anchor
	verifier relayer.Verifier // the chain's, pinned to its Outbox
}

// finalityEvidence proves one record of a simulated chain in rpc-finality
// mode.
func finalityEvidence(t testing.TB) realEvidence {
	t.Helper()
	n := newTestNet(t)
	c := newChain(t, srcName, n.evmConfig("finality", 1), Options{})
	anchor := bootstrap(t, c)
	rec := publishOne(t, n, c, "licence 42")
	n.commit(1)
	ev, _ := proveAndCheck(t, c, &rec, anchor)
	return realEvidence{ev: ev, anchor: anchor, verifier: c.Verifier()}
}

// qbftEvidence proves one record of a simulated chain re-sealed as QBFT by
// the validators of schedule, after mining extra blocks.
func qbftEvidence(t testing.TB, sealer *qbfttest.Sealer, schedule func(uint64) ([]int, *qbft.Vote), extra int) realEvidence {
	t.Helper()
	n := newTestNet(t)
	c, _ := qbftChain(t, n, sealer, schedule)
	anchor := bootstrap(t, c)
	n.commit(extra)
	rec := publishOne(t, n, c, "licence 42")
	ev, _ := proveAndCheck(t, c, &rec, anchor)
	return realEvidence{ev: ev, anchor: anchor, verifier: c.Verifier()}
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

func editJSON[T any](t testing.TB, raw *json.RawMessage, edit func(*T)) {
	t.Helper()
	var v T
	if err := json.Unmarshal(*raw, &v); err != nil {
		t.Fatal(err)
	}
	edit(&v)
	*raw = mustJSON(&v)
}

// editHeader decodes an RLP header, edits it and encodes it again.
func editHeader(t testing.TB, enc *hexutil.Bytes, edit func(*types.Header)) {
	t.Helper()
	var h types.Header
	if err := rlp.DecodeBytes(*enc, &h); err != nil {
		t.Fatal(err)
	}
	edit(&h)
	b, err := rlp.EncodeToBytes(&h)
	if err != nil {
		t.Fatal(err)
	}
	*enc = b
}

// editExtra edits the parsed QBFT extra data of the last consensus header.
func editExtra(t testing.TB, ev *relayer.Evidence, edit func(*qbft.Extra)) {
	t.Helper()
	editJSON(t, &ev.Consensus, func(c *BFTConsensus) {
		editHeader(t, &c.Headers[len(c.Headers)-1], func(h *types.Header) {
			e, err := qbft.ParseExtra(qbft.QBFT, h.Extra)
			if err != nil {
				t.Fatal(err)
			}
			e = &qbft.Extra{Vanity: e.Vanity, Validators: e.Validators, Vote: e.Vote, Round: e.Round, Seals: e.Seals}
			edit(e)
			if h.Extra, err = qbft.EncodeExtra(qbft.QBFT, e); err != nil {
				t.Fatal(err)
			}
		})
	})
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

type corruption struct {
	name   string
	edit   func(t testing.TB, ev *relayer.Evidence, trusted *relayer.Anchor)
	check  string
	reason error
}

// commonCorruptions apply to every trust model.
func commonCorruptions() []corruption {
	inc := func(edit func(*Inclusion)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { editJSON(t, &ev.Inclusion, edit) }
	}
	return []corruption{
		{"version", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { ev.Version = "liaison.evidence/v0" }, CheckForm, ErrMalformed},
		{"ledger", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { ev.Ledger = relayer.LedgerFabric }, CheckForm, ErrMalformed},
		{"trust model", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { ev.TrustModel = "ibft2" }, CheckForm, ErrMalformed},
		{"anchor digest named by the bundle", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			ev.Anchor.Digest = "sha256:" + strings.Repeat("0", 64)
		}, CheckAnchor, ErrAnchorMismatch},
		{"trusted anchor's digest", func(_ testing.TB, _ *relayer.Evidence, a *relayer.Anchor) { a.Digest = "sha256:00" }, CheckAnchor, ErrAnchorMismatch},
		{"record id", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { ev.Record.ID[0] ^= 1 }, CheckRecord, relayer.ErrRecordMismatch},
		{"record payload", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			withRecord(ev, false, func(r *relayer.Record) { r.Payload[0] ^= 1 })
		}, CheckRecord, relayer.ErrRecordMismatch},
		{"record payload with its hash", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			withRecord(ev, true, func(r *relayer.Record) { r.Payload = append(r.Payload, '!') })
		}, CheckInclusion, ErrWrongValue},
		{"record receiver", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			withRecord(ev, true, func(r *relayer.Record) { r.Receiver = "mallory" })
		}, CheckInclusion, ErrWrongValue},
		{"record destination", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			withRecord(ev, true, func(r *relayer.Record) { r.Destination = "elsewhere" })
		}, CheckInclusion, ErrWrongValue},
		{"record content type", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			withRecord(ev, true, func(r *relayer.Record) { r.ContentType = "text/html" })
		}, CheckInclusion, ErrWrongValue},
		{"record sequence", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			withRecord(ev, true, func(r *relayer.Record) { r.Source.Sequence++ })
		}, CheckInclusion, ErrWrongSlot},
		{"record emitter", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			withRecord(ev, true, func(r *relayer.Record) { r.Source.Emitter = common.HexToAddress("0xbeef").Bytes() })
		}, CheckRecord, ErrWrongEmitter},
		{"inclusion unknown field", func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			ev.Inclusion = append(ev.Inclusion[:len(ev.Inclusion)-1], []byte(`,"extra":1}`)...)
		}, CheckInclusion, ErrMalformed},
		{"inclusion address", inc(func(i *Inclusion) { i.Address[19] ^= 1 }), CheckInclusion, ErrWrongAddress},
		{"inclusion slot", inc(func(i *Inclusion) { i.Slot[0] ^= 1 }), CheckInclusion, ErrWrongSlot},
		{"inclusion value", inc(func(i *Inclusion) { i.Value[31] ^= 1 }), CheckInclusion, ErrWrongValue},
		{"inclusion block number", inc(func(i *Inclusion) { i.BlockNumber-- }), CheckHeader, ErrWrongBlock},
		{"account proof root node byte", inc(func(i *Inclusion) { i.AccountProof[0][7] ^= 1 }), CheckStorage, mpt.ErrProofInvalid},
		{"account proof leaf node byte", inc(func(i *Inclusion) {
			n := i.AccountProof[len(i.AccountProof)-1]
			n[len(n)-3] ^= 1
		}), CheckStorage, mpt.ErrProofInvalid},
		{"account proof node missing", inc(func(i *Inclusion) { i.AccountProof = i.AccountProof[:len(i.AccountProof)-1] }), CheckStorage, mpt.ErrProofInvalid},
		{"storage proof byte", inc(func(i *Inclusion) {
			n := i.StorageProof[len(i.StorageProof)-1]
			n[len(n)/2] ^= 1
		}), CheckStorage, mpt.ErrProofInvalid},
		{"storage proof of another slot", inc(func(i *Inclusion) { i.StorageProof = i.StorageProof[:0] }), CheckStorage, mpt.ErrProofInvalid},
	}
}

func finalityCorruptions() []corruption {
	cons := func(edit func(testing.TB, *FinalityConsensus)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			editJSON(t, &ev.Consensus, func(c *FinalityConsensus) { edit(t, c) })
		}
	}
	header := func(edit func(*types.Header), rehash bool) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return cons(func(t testing.TB, c *FinalityConsensus) {
			editHeader(t, &c.Header, edit)
			if rehash {
				c.BlockHash = crypto.Keccak256Hash(c.Header)
			}
		})
	}
	return []corruption{
		{"trusted anchor of another chain", func(t testing.TB, ev *relayer.Evidence, a *relayer.Anchor) {
			*a = mustAnchor(t, a.Chain, a.Scheme, a.Emitter, 0, FinalityAnchor{ChainID: 1, Genesis: common.HexToHash("0x01")})
		}, CheckAnchor, ErrAnchorMismatch},
		{"header state root", header(func(h *types.Header) { h.Root[0] ^= 1 }, false), CheckHeader, ErrHeaderHash},
		{"header number", header(func(h *types.Header) { h.Number.Add(h.Number, common.Big1) }, false), CheckHeader, ErrHeaderHash},
		{"header extra", header(func(h *types.Header) { h.Extra = []byte("x") }, false), CheckHeader, ErrHeaderHash},
		{"block hash", cons(func(_ testing.TB, c *FinalityConsensus) { c.BlockHash[0] ^= 1 }), CheckHeader, ErrHeaderHash},
		// A header forged with a matching hash still needs a proof for its
		// root: the proof from the real root fails.
		{"forged header with its own hash", header(func(h *types.Header) { h.Root[0] ^= 1 }, true), CheckStorage, mpt.ErrProofInvalid},
		{"consensus chain id", cons(func(_ testing.TB, c *FinalityConsensus) { c.ChainID++ }), CheckHeader, ErrWrongBlock},
		{"header not RLP", cons(func(_ testing.TB, c *FinalityConsensus) { c.Header = c.Header[:len(c.Header)-1] }), CheckHeader, nil},
	}
}

func qbftCorruptions() []corruption {
	cons := func(edit func(testing.TB, *BFTConsensus)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			editJSON(t, &ev.Consensus, func(c *BFTConsensus) { edit(t, c) })
		}
	}
	header := func(edit func(*types.Header)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return cons(func(t testing.TB, c *BFTConsensus) { editHeader(t, &c.Headers[len(c.Headers)-1], edit) })
	}
	extra := func(edit func(*qbft.Extra)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { editExtra(t, ev, edit) }
	}
	return []corruption{
		{"trusted anchor with other validators", func(t testing.TB, ev *relayer.Evidence, a *relayer.Anchor) {
			var st qbft.TrustedState
			if err := json.Unmarshal(a.State, &st); err != nil {
				t.Fatal(err)
			}
			st.Validators = mustSealer(t, 4).Validators()
			*a = mustAnchor(t, a.Chain, a.Scheme, a.Emitter, a.Height, st)
			ev.Anchor = *a // even when the bundle names it, the seals do not match it
		}, CheckHeader, qbft.ErrInsufficientOverlap},
		{"anchor state of another variant", func(t testing.TB, ev *relayer.Evidence, a *relayer.Anchor) {
			var st qbft.TrustedState
			if err := json.Unmarshal(a.State, &st); err != nil {
				t.Fatal(err)
			}
			st.Variant = qbft.IBFT2
			*a = mustAnchor(t, a.Chain, a.Scheme, a.Emitter, a.Height, st)
			ev.Anchor = *a
		}, CheckAnchor, ErrAnchorMismatch},
		{"header state root", header(func(h *types.Header) { h.Root[0] ^= 1 }), CheckHeader, qbft.ErrNonValidatorSeal},
		{"header timestamp", header(func(h *types.Header) { h.Time++ }), CheckHeader, qbft.ErrNonValidatorSeal},
		{"header number", header(func(h *types.Header) { h.Number.Add(h.Number, common.Big1) }), CheckHeader, ErrWrongBlock},
		{"extra vanity", extra(func(e *qbft.Extra) { e.Vanity[0] ^= 1 }), CheckHeader, qbft.ErrNonValidatorSeal},
		{"extra seal recovery id", extra(func(e *qbft.Extra) { e.Seals[0][64] = 7 }), CheckHeader, qbft.ErrBadSeal},
		{"extra seal byte", extra(func(e *qbft.Extra) { e.Seals[1][10] ^= 1 }), CheckHeader, nil},
		{"extra seals removed", extra(func(e *qbft.Extra) { e.Seals = e.Seals[:1] }), CheckHeader, qbft.ErrInsufficientSeals},
		{"extra seal duplicated", extra(func(e *qbft.Extra) { e.Seals[1] = e.Seals[0] }), CheckHeader, qbft.ErrDuplicateSeal},
		{"extra validator added", extra(func(e *qbft.Extra) {
			e.Validators = append(slices.Clone(e.Validators), common.HexToAddress("0xffffffffffffffffffffffffffffffffffffffff"))
		}), CheckHeader, qbft.ErrNonValidatorSeal},
		{"no headers", cons(func(_ testing.TB, c *BFTConsensus) { c.Headers = nil }), CheckHeader, ErrMalformed},
		{"too many headers", cons(func(_ testing.TB, c *BFTConsensus) {
			for len(c.Headers) <= MaxConsensusHeaders {
				c.Headers = append(c.Headers, c.Headers[0])
			}
		}), CheckHeader, ErrMalformed},
		{"header not RLP", cons(func(_ testing.TB, c *BFTConsensus) { c.Headers[0] = hexutil.Bytes{0xc1} }), CheckHeader, nil},
	}
}

func mustAnchor(t testing.TB, chain relayer.ChainID, scheme string, emitter []byte, height relayer.Height, state any) relayer.Anchor {
	t.Helper()
	a, err := relayer.NewAnchor(chain, scheme, emitter, height, mustJSON(state))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// runCorruptions applies each corruption to a fresh copy of real evidence
// and expects the named check to fail with the named sentinel.
func runCorruptions(t *testing.T, real realEvidence, cases []corruption) {
	t.Helper()
	now := real.ev.ProvenAt
	if _, err := real.verifier.Verify(clone(t, real.ev), real.anchor, now); err != nil {
		t.Fatalf("the uncorrupted evidence fails: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, anchor := clone(t, real.ev), real.anchor
			tc.edit(t, ev, &anchor)
			_, err := real.verifier.Verify(ev, anchor, now)
			var ve *relayer.VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, relayer.ErrEvidence) {
				t.Fatalf("got %v, want a *relayer.VerifyError wrapping ErrEvidence", err)
			}
			if ve.Check != tc.check {
				t.Fatalf("failed check %v, want %v: %v", ve.Check, tc.check, err)
			}
			if tc.reason != nil && !errors.Is(err, tc.reason) {
				t.Fatalf("got %v, want %v", err, tc.reason)
			}
		})
	}
}

func TestVerifyRejectsCorruptedFinalityEvidence(t *testing.T) {
	runCorruptions(t, finalityEvidence(t), append(commonCorruptions(), finalityCorruptions()...))
}

func TestVerifyRejectsCorruptedQBFTEvidence(t *testing.T) {
	runCorruptions(t, qbftEvidence(t, mustSealer(t, 4), fixedSet(4), 2), append(commonCorruptions(), qbftCorruptions()...))
}

// TestVerifyRejectsCorruptedAdjacentHeaders corrupts a middle header of a
// chain of adjacent headers (a validator rotation).
func TestVerifyRejectsCorruptedAdjacentHeaders(t *testing.T) {
	rotationSealer = mustSealer(t, 7)
	real := qbftEvidence(t, rotationSealer, rotation, 10)
	mid := func(edit func(*types.Header)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			editJSON(t, &ev.Consensus, func(c *BFTConsensus) { editHeader(t, &c.Headers[len(c.Headers)/2], edit) })
		}
	}
	runCorruptions(t, real, []corruption{
		{"middle header parent", mid(func(h *types.Header) { h.ParentHash[0] ^= 1 }), CheckHeader, qbft.ErrParentMismatch},
		{"middle header root", mid(func(h *types.Header) { h.Root[0] ^= 1 }), CheckHeader, qbft.ErrNonValidatorSeal},
		// Dropping one header is a legitimate skip (one validator changes
		// per height); dropping the rotation is not.
		{"rotation headers dropped", func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			editJSON(t, &ev.Consensus, func(c *BFTConsensus) { c.Headers = slices.Delete(c.Headers, 3, 9) })
		}, CheckHeader, qbft.ErrInsufficientOverlap},
	})
}

// TestVerifyUnpinned checks the offline verifier (no Outbox pin): a record
// of another emitter then fails at the proof's address instead.
func TestVerifyUnpinned(t *testing.T) {
	real := finalityEvidence(t)
	if _, err := NewVerifier().Verify(clone(t, real.ev), real.anchor, time.Time{}); err != nil {
		t.Fatal(err)
	}
	ev := clone(t, real.ev)
	withRecord(ev, true, func(r *relayer.Record) { r.Source.Emitter = common.HexToAddress("0xbeef").Bytes() })
	if _, err := NewVerifier().Verify(ev, real.anchor, time.Time{}); !errors.Is(err, ErrWrongAddress) {
		t.Fatalf("got %v, want ErrWrongAddress", err)
	}
	if _, err := NewVerifier(WithChain("other")).Verify(clone(t, real.ev), real.anchor, time.Time{}); !errors.Is(err, ErrAnchorMismatch) {
		t.Fatalf("pinned to another chain: got %v, want ErrAnchorMismatch", err)
	}
}

// testdataBundles are the committed evidence bundles: small, real, and the
// fuzz target's seeds. Regenerate with go test -run TestTestdata -update.
var testdataBundles = map[string]func(testing.TB) realEvidence{
	"evidence_rpc_finality.json": finalityEvidence,
	"evidence_qbft_skip.json": func(t testing.TB) realEvidence {
		return qbftEvidence(t, mustSealer(t, 4), fixedSet(4), 1)
	},
	"evidence_qbft_rotation.json": func(t testing.TB) realEvidence {
		rotationSealer = mustSealer(t, 7)
		return qbftEvidence(t, rotationSealer, rotation, 8)
	},
}

// TestTestdata checks that every committed bundle verifies offline against
// its embedded anchor; with -update it first writes them anew.
func TestTestdata(t *testing.T) {
	names := make([]string, 0, len(testdataBundles))
	for name := range testdataBundles {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		path := filepath.Join("testdata", name)
		if *update {
			real := testdataBundles[name](t)
			raw, err := relayer.EncodeEvidence(real.ev)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestTestdata -update)", err)
		}
		ev, err := relayer.DecodeEvidence(bytes.TrimSpace(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// As of its proving time: a qbft anchor expires after its
		// trusting period.
		if _, err := NewVerifier().Verify(ev, ev.Anchor, ev.ProvenAt); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		relayertest.CheckSourceTimeIgnored(t, name, ev, func(ev *relayer.Evidence) error {
			_, err := NewVerifier().Verify(ev, ev.Anchor, ev.ProvenAt)
			return err
		})
	}
}

// FuzzVerify feeds mutated bundles to the verifier, against the anchor
// each embeds: it must never panic, every rejection must wrap ErrEvidence,
// and an accepted bundle must carry a consistent record and a valid next
// anchor. The seeds are testdata/evidence_*.json. Run it with
//
//	go test -run '^$' -fuzz FuzzVerify -fuzztime 20s -fuzzminimizetime 1x ./adapters/evm
//
// The test binary links a whole geth node, which makes every execution's
// coverage bookkeeping slow; with the default minimisation budget (60 s per
// new input) the run spends its time minimising instead of fuzzing.
func FuzzVerify(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "evidence_*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata (%v)", err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	v := NewVerifier()
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, err := relayer.DecodeEvidence(bytes.TrimSpace(raw))
		if err != nil {
			return
		}
		next, err := v.Verify(ev, ev.Anchor, ev.ProvenAt)
		if err != nil {
			if !errors.Is(err, relayer.ErrEvidence) {
				t.Fatalf("rejection does not wrap ErrEvidence: %v", err)
			}
			return
		}
		if err := ev.Record.Check(); err != nil {
			t.Fatalf("accepted a record that fails Check: %v", err)
		}
		if err := next.CheckDigest(); err != nil || next.Chain != ev.Record.Source.Chain {
			t.Fatalf("accepted with a bad next anchor %+v: %v", next, err)
		}
	})
}

// BenchmarkVerifyEvidence verifies real bundles: rpc-finality (one header
// hash, one storage proof) and a qbft skip with all 4 or 7 validators'
// seals (one recovery per seal, then the storage proof).
func BenchmarkVerifyEvidence(b *testing.B) {
	cases := []struct {
		name string
		gen  func(testing.TB) realEvidence
	}{
		{"rpc-finality", finalityEvidence},
		{"qbft-4", func(t testing.TB) realEvidence { return qbftEvidence(t, mustSealer(t, 4), fixedSet(4), 1) }},
		{"qbft-7", func(t testing.TB) realEvidence { return qbftEvidence(t, mustSealer(t, 7), fixedSet(7), 1) }},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			real := tc.gen(b)
			raw, err := relayer.EncodeEvidence(real.ev)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := real.verifier.Verify(real.ev, real.anchor, real.ev.ProvenAt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(raw)), "bundle-bytes")
		})
	}
}
