package fabric

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	fabproof "github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
)

var update = flag.Bool("update", false, "regenerate testdata/evidence_*.json from the blocks in proofs/fabric/testdata")

// TestRecordDigestVector pins RecordDigest and StateKey to the chaincode's
// vector (adapters/fabric/chaincode/records/doc.go).
func TestRecordDigestVector(t *testing.T) {
	rec := relayer.NewTestRecord("registry", []byte("records"), 1, []byte(`{"licence":"L-1"}`))
	rec.Destination, rec.Receiver, rec.ContentType = "procurement", "licensing", "application/json"
	for _, c := range []struct{ name, got, want string }{
		{"id", rec.ID.String(), "85b305a798ca5fac37b688818699f349aaf059ea6a4e6c1fd762caf9672e5484"},
		{"payload hash", hex.EncodeToString(rec.PayloadHash[:]), "a25b17575798e79dd36b91ff5ccdfa47ce6618bd40ce0d6b47abef8a2c829247"},
		{"state key", StateKey(rec.ID), "outbox/record/85b305a798ca5fac37b688818699f349aaf059ea6a4e6c1fd762caf9672e5484"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
		}
	}
	d, err := RecordDigest(&rec)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(d[:]); got != "da7ad9118949d4c31e24af866b7251413651e0c9ea1e1172e89fca8256e033f8" {
		t.Errorf("digest = %s", got)
	}
	// The chaincode's Record JSON round-trips into the same record.
	raw, _ := json.Marshal(toChaincode(&rec))
	back, cr, err := decodeEventRecord(raw)
	if err != nil {
		t.Fatal(err)
	}
	back.Source.Chain, back.Source.Height = relayer.ChainID(cr.SourceChain), rec.Source.Height
	if !relayer.SameRecord(back, &rec) {
		t.Errorf("round trip changed the record: %+v", back)
	}
}

// TestVerifyVectors verifies the evidence of every VALID transaction of
// proofs/fabric's real blocks (Raft and SmartBFT), each under its
// chaincode's policy, and checks that the digests are the chaincode's.
func TestVerifyVectors(t *testing.T) {
	for _, c := range []struct{ file, policy string }{
		{"raft/publish-1.block", "majority"},
		{"raft/publish-2-binary.block", "AND('Org1MSP.peer','Org2MSP.peer')"},
		{"raft/publish-3.block", "all"},
		{"raft/any-org1-only.block", "OR('Org1MSP.peer','Org2MSP.peer')"},
		{"bft/publish-1.block", "majority"},
	} {
		t.Run(c.file, func(t *testing.T) {
			real := vectorEvidence(t, c.file, c.policy)
			next, err := real.verifier.Verify(real.ev, real.anchor, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if next.Digest != real.anchor.Digest {
				t.Errorf("the anchor moved without config blocks: %s", next.Digest)
			}
		})
	}
	for _, b := range readManifest(t).Blocks {
		if b.Record == nil {
			continue
		}
		rec, _, err := decodeEventRecord(b.Record)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := RecordDigest(rec)
		if "0x"+hex.EncodeToString(d[:]) != b.Digest {
			t.Errorf("%s: RecordDigest %x, the chaincode stored %s", b.File, d, b.Digest)
		}
	}
}

type corruption struct {
	name   string
	edit   func(t testing.TB, ev *relayer.Evidence, trusted *relayer.Anchor)
	check  string
	reason error
}

// editInclusion edits the inclusion document.
func editInclusion(edit func(*Inclusion)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
	return func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { editJSON(t, &ev.Inclusion, edit) }
}

// editBlock edits the proven block's bytes.
func editBlock(edit func(t testing.TB, block []byte) []byte) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
	return func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
		editJSON(t, &ev.Inclusion, func(i *Inclusion) { i.Block = edit(t, i.Block) })
	}
}

// reanchor replaces the trusted anchor (and the bundle's name for it) with
// one whose state went through edit.
func reanchor(edit func(t testing.TB, st *AnchorState)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
	return func(t testing.TB, ev *relayer.Evidence, a *relayer.Anchor) {
		st, err := decodeAnchorState(a.State)
		if err != nil {
			t.Fatal(err)
		}
		edit(t, st)
		na, err := newAnchor(a.Chain, st.Chaincode, st.EndorsementPolicy, st.Config)
		if err != nil {
			t.Fatal(err)
		}
		*a, ev.Anchor = na, na
	}
}

func policy(t testing.TB, s string) fabproof.EndorsementPolicy {
	t.Helper()
	p, err := fabproof.ParseEndorsementPolicy(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// corruptions apply to evidence of a transaction endorsed by both orgs.
func corruptions() []corruption {
	field := func(edit func(*relayer.Evidence)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { edit(ev) }
	}
	record := func(fix bool, edit func(*relayer.Record)) func(testing.TB, *relayer.Evidence, *relayer.Anchor) {
		return func(_ testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) { withRecord(ev, fix, edit) }
	}
	return []corruption{
		{"version", field(func(ev *relayer.Evidence) { ev.Version = "liaison.evidence/v0" }), CheckForm, ErrMalformed},
		{"ledger", field(func(ev *relayer.Evidence) { ev.Ledger = relayer.LedgerEVM }), CheckForm, ErrMalformed},
		{"trust model", field(func(ev *relayer.Evidence) { ev.TrustModel = "rpc-finality" }), CheckForm, ErrMalformed},
		{"trusted anchor of another scheme", func(_ testing.TB, _ *relayer.Evidence, a *relayer.Anchor) { a.Scheme = "qbft" }, CheckForm, ErrMalformed},
		{"anchor digest named by the bundle", field(func(ev *relayer.Evidence) { ev.Anchor.Digest = "sha256:" + strings.Repeat("0", 64) }), CheckAnchor, ErrAnchorMismatch},
		{"trusted anchor's digest", func(_ testing.TB, _ *relayer.Evidence, a *relayer.Anchor) { a.Digest = "sha256:00" }, CheckAnchor, ErrAnchorMismatch},
		{"trusted anchor's height", func(t testing.TB, ev *relayer.Evidence, a *relayer.Anchor) {
			na, err := relayer.NewAnchor(a.Chain, a.Scheme, a.Emitter, a.Height+1, a.State)
			if err != nil {
				t.Fatal(err)
			}
			*a, ev.Anchor = na, na
		}, CheckAnchor, ErrAnchorMismatch},
		{"anchor state unknown field", func(t testing.TB, ev *relayer.Evidence, a *relayer.Anchor) {
			st := append(bytes.TrimSuffix(bytes.Clone(a.State), []byte("}")), []byte(`,"extra":1}`)...)
			na, err := relayer.NewAnchor(a.Chain, a.Scheme, a.Emitter, a.Height, st)
			if err != nil {
				t.Fatal(err)
			}
			*a, ev.Anchor = na, na
		}, CheckAnchor, ErrAnchorMismatch},
		{"anchor of another chaincode", reanchor(func(_ testing.TB, st *AnchorState) { st.Chaincode = "records-any" }), CheckAnchor, ErrAnchorMismatch},
		{"anchor with a policy the endorsers do not meet", reanchor(func(t testing.TB, st *AnchorState) {
			st.EndorsementPolicy = policy(t, "AND('Org1MSP.peer','Org3MSP.peer')")
		}), CheckTransaction, fabproof.ErrEndorsementPolicy},
		{"anchor with a policy of admins", reanchor(func(t testing.TB, st *AnchorState) {
			st.EndorsementPolicy = policy(t, "OR('Org1MSP.admin')")
		}), CheckTransaction, fabproof.ErrEndorsementPolicy},
		{"record id", field(func(ev *relayer.Evidence) { ev.Record.ID[0] ^= 1 }), CheckRecord, relayer.ErrRecordMismatch},
		{"record payload", record(false, func(r *relayer.Record) { r.Payload[0] ^= 1 }), CheckRecord, relayer.ErrRecordMismatch},
		{"record payload with its hash", record(true, func(r *relayer.Record) { r.Payload = append(r.Payload, '!') }), CheckWrite, ErrWrongWrite},
		{"record receiver", record(true, func(r *relayer.Record) { r.Receiver = "mallory" }), CheckWrite, ErrWrongWrite},
		{"record destination", record(true, func(r *relayer.Record) { r.Destination = "elsewhere" }), CheckWrite, ErrWrongWrite},
		{"record content type", record(true, func(r *relayer.Record) { r.ContentType = "text/html" }), CheckWrite, ErrWrongWrite},
		{"record sequence", record(true, func(r *relayer.Record) { r.Source.Sequence++ }), CheckWrite, ErrWrongWrite},
		{"record emitter", record(true, func(r *relayer.Record) { r.Source.Emitter = []byte("records2") }), CheckRecord, ErrWrongEmitter},
		{"record chain", record(true, func(r *relayer.Record) { r.Source.Chain = "finance" }), CheckAnchor, ErrAnchorMismatch},
		{"record height", record(false, func(r *relayer.Record) { r.Source.Height++ }), CheckBlock, ErrWrongBlock},
		{"record tx id", record(false, func(r *relayer.Record) { r.Source.TxID = strings.Repeat("ab", 32) }), CheckInclusion, ErrWrongBlock},
		{"inclusion unknown field", field(func(ev *relayer.Evidence) {
			ev.Inclusion = append(bytes.TrimSuffix(ev.Inclusion, []byte("}")), []byte(`,"extra":1}`)...)
		}), CheckInclusion, ErrMalformed},
		{"inclusion without block", editInclusion(func(i *Inclusion) { i.Block = nil }), CheckInclusion, ErrMalformed},
		{"inclusion tx id", editInclusion(func(i *Inclusion) { i.TxID = strings.Repeat("cd", 32) }), CheckInclusion, ErrWrongBlock},
		{"inclusion negative index", editInclusion(func(i *Inclusion) { i.TxIndex = -1 }), CheckInclusion, ErrMalformed},
		{"inclusion index past the block", editInclusion(func(i *Inclusion) { i.TxIndex = 7 }), CheckTransaction, fabproof.ErrNoSuchTx},
		{"consensus unknown field", field(func(ev *relayer.Evidence) { ev.Consensus = json.RawMessage(`{"config_blocks":[],"x":1}`) }), CheckInclusion, ErrMalformed},
		{"consensus with too many blocks", func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			editJSON(t, &ev.Consensus, func(c *Consensus) { c.ConfigBlocks = make([][]byte, MaxConfigBlocks+1) })
		}, CheckInclusion, ErrMalformed},
		{"consensus with a block that is not a config block", func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			var inc Inclusion
			if err := json.Unmarshal(ev.Inclusion, &inc); err != nil {
				t.Fatal(err)
			}
			editJSON(t, &ev.Consensus, func(c *Consensus) { c.ConfigBlocks = [][]byte{inc.Block} })
		}, CheckConsensus, ErrMalformed},
		{"consensus with junk", func(t testing.TB, ev *relayer.Evidence, _ *relayer.Anchor) {
			editJSON(t, &ev.Consensus, func(c *Consensus) { c.ConfigBlocks = [][]byte{[]byte("junk")} })
		}, CheckConsensus, fabproof.ErrDecode},
		{"block truncated", editBlock(func(_ testing.TB, b []byte) []byte { return b[:len(b)/2] }), CheckBlock, fabproof.ErrDecode},
		{"block validation flag", editBlock(func(t testing.TB, b []byte) []byte {
			out, err := fabrictest.SetFlag(b, 0, byte(fabproof.TxMVCCReadConflict))
			if err != nil {
				t.Fatal(err)
			}
			return out
		}), CheckTransaction, fabproof.ErrTxInvalid},
		{"block orderer signature", editBlock(func(t testing.TB, b []byte) []byte {
			out, err := fabrictest.EditSignatures(b, func(s []*common.MetadataSignature) []*common.MetadataSignature {
				s[0].Signature = bytes.Clone(s[0].Signature)
				s[0].Signature[len(s[0].Signature)-3] ^= 1
				return s
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}), CheckBlock, fabproof.ErrOrdererSignature},
		{"block without orderer signatures", editBlock(func(t testing.TB, b []byte) []byte {
			out, err := fabrictest.EditSignatures(b, func([]*common.MetadataSignature) []*common.MetadataSignature { return nil })
			if err != nil {
				t.Fatal(err)
			}
			return out
		}), CheckBlock, nil},
		{"endorsement dropped, creator re-signed", editBlock(func(t testing.TB, b []byte) []byte {
			// Nobody holds the real creator's key, so the creator
			// signature breaks too; either way it must fail.
			env := envelopeOf(t, b, 0)
			out, err := fabrictest.DropEndorsements(env, nil, 1)
			if err != nil {
				t.Fatal(err)
			}
			nb, err := fabrictest.ReplaceEnvelope(b, 0, out)
			if err != nil {
				t.Fatal(err)
			}
			return nb
		}), CheckBlock, fabproof.ErrDataHash},
	}
}

// envelopeOf returns envelope i of a marshalled block.
func envelopeOf(t testing.TB, block []byte, i int) []byte {
	t.Helper()
	var b common.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		t.Fatal(err)
	}
	return b.Data.Data[i]
}

// runCorruptions applies each corruption to a fresh copy of real evidence
// and expects the named check to fail with the named sentinel.
func runCorruptions(t *testing.T, real realEvidence, cases []corruption) {
	t.Helper()
	if _, err := real.verifier.Verify(clone(t, real.ev), real.anchor, time.Time{}); err != nil {
		t.Fatalf("the uncorrupted evidence fails: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, anchor := clone(t, real.ev), real.anchor
			tc.edit(t, ev, &anchor)
			_, err := real.verifier.Verify(ev, anchor, time.Time{})
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

func TestVerifyRejectsCorruptedRaftEvidence(t *testing.T) {
	runCorruptions(t, vectorEvidence(t, "raft/publish-1.block", "majority"), corruptions())
}

func TestVerifyRejectsCorruptedBFTEvidence(t *testing.T) {
	runCorruptions(t, vectorEvidence(t, "bft/publish-1.block", "majority"), append(corruptions(),
		corruption{"BFT signatures below the quorum", editBlock(func(t testing.TB, b []byte) []byte {
			out, err := fabrictest.EditSignatures(b, func(s []*common.MetadataSignature) []*common.MetadataSignature { return s[:2] })
			if err != nil {
				t.Fatal(err)
			}
			return out
		}), CheckBlock, fabproof.ErrBlockPolicy},
		corruption{"BFT signature duplicated", editBlock(func(t testing.TB, b []byte) []byte {
			out, err := fabrictest.EditSignatures(b, func(s []*common.MetadataSignature) []*common.MetadataSignature {
				return []*common.MetadataSignature{s[0], s[0], s[0]}
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}), CheckBlock, fabproof.ErrBlockPolicy},
	))
}

// TestVerifyBlockByteSweep flips bytes of the block's header, data and
// signature metadata (everything a signature or the data hash covers, and
// the framing around it) and expects every copy to be rejected: every byte
// of the header and the signatures, every third byte of the envelopes
// (every 24th with -short).
func TestVerifyBlockByteSweep(t *testing.T) {
	for _, file := range []string{"raft/publish-1.block", "bft/publish-1.block"} {
		t.Run(file, func(t *testing.T) {
			real := vectorEvidence(t, file, "majority")
			var inc Inclusion
			if err := json.Unmarshal(real.ev.Inclusion, &inc); err != nil {
				t.Fatal(err)
			}
			dataFrom, dataTo, end := blockLayout(t, inc.Block)
			stride := 3
			if testing.Short() {
				stride = 24
			}
			n := 0
			for i := 0; i < end; i++ {
				if i >= dataFrom && i < dataTo && (i-dataFrom)%stride != 0 {
					continue
				}
				bad := bytes.Clone(inc.Block)
				bad[i] ^= 0x01
				ev := *real.ev
				ev.Inclusion = mustMarshal(t, Inclusion{Block: bad, TxIndex: inc.TxIndex, TxID: inc.TxID})
				if _, err := real.verifier.Verify(&ev, real.anchor, time.Time{}); !errors.Is(err, relayer.ErrEvidence) {
					t.Fatalf("byte %d of %d flipped: accepted (%v)", i, len(bad), err)
				}
				n++
			}
			t.Logf("%d one-byte corruptions within bytes 0..%d of %d rejected", n, end, len(inc.Block))
		})
	}
}

// blockLayout returns where a marshalled block's envelopes are (the data
// field's value) and where its metadata[SIGNATURES] entry ends: the bytes
// after it (the validation flags and the unsigned metadata the verifier
// does not read) are outside the sweep.
func blockLayout(t testing.TB, block []byte) (dataFrom, dataTo, sigEnd int) {
	t.Helper()
	off := 0
	for off < len(block) {
		num, typ, n := protowire.ConsumeTag(block[off:])
		if n < 0 || typ != protowire.BytesType {
			t.Fatal("unexpected block encoding")
		}
		val, m := protowire.ConsumeBytes(block[off+n:])
		if m < 0 {
			t.Fatal("unexpected block encoding")
		}
		valFrom := off + n + m - len(val)
		switch num {
		case 2:
			dataFrom, dataTo = valFrom, valFrom+len(val)
		case 3:
			// BlockMetadata: its first entry is SIGNATURES.
			_, _, k := protowire.ConsumeTag(val)
			_, l := protowire.ConsumeBytes(val[k:])
			return dataFrom, dataTo, valFrom + k + l
		}
		off += n + m
	}
	return dataFrom, dataTo, len(block)
}

// TestVerifyUnsignedFlag checks the one unsigned input: a transaction the
// peers flagged ENDORSEMENT_POLICY_FAILURE (only Org1 endorsed) is
// rejected for its flag, and still rejected when a lying source flips the
// flag to VALID, because the endorsement policy is re-checked.
func TestVerifyUnsignedFlag(t *testing.T) {
	real := vectorEvidence(t, "raft/publish-3-org1-only-invalid.block", "majority")
	if _, err := real.verifier.Verify(real.ev, real.anchor, time.Time{}); !errors.Is(err, fabproof.ErrTxInvalid) {
		t.Fatalf("flagged invalid: got %v, want ErrTxInvalid", err)
	}
	ev := clone(t, real.ev)
	editBlock(func(t testing.TB, b []byte) []byte {
		out, err := fabrictest.SetFlag(b, 0, byte(fabproof.TxValid))
		if err != nil {
			t.Fatal(err)
		}
		return out
	})(t, ev, nil)
	_, err := real.verifier.Verify(ev, real.anchor, time.Time{})
	var ve *relayer.VerifyError
	if !errors.As(err, &ve) || ve.Check != CheckTransaction || !errors.Is(err, fabproof.ErrEndorsementPolicy) {
		t.Fatalf("flag flipped to VALID: got %v, want the transaction check to fail on the endorsement policy", err)
	}
	// Under a policy Org1 alone meets, the flipped flag passes: the flag
	// is exactly what nobody signs. The policy is the anchor's to state.
	lax := vectorEvidence(t, "raft/publish-3-org1-only-invalid.block", "OR('Org1MSP.peer','Org2MSP.peer')")
	ev.Anchor = lax.anchor
	if _, err := lax.verifier.Verify(ev, lax.anchor, time.Time{}); err != nil {
		t.Fatalf("under a one-org policy: %v", err)
	}
}

// TestVerifyPolicyIsTheAnchors checks that the policy comes from the
// anchor: a transaction endorsed by Org1 alone passes under "any" and fails
// under "majority" of two orgs.
func TestVerifyPolicyIsTheAnchors(t *testing.T) {
	if real := vectorEvidence(t, "raft/any-org1-only.block", "any"); true {
		if _, err := real.verifier.Verify(real.ev, real.anchor, time.Time{}); err != nil {
			t.Fatalf("any: %v", err)
		}
	}
	real := vectorEvidence(t, "raft/any-org1-only.block", "majority")
	if _, err := real.verifier.Verify(real.ev, real.anchor, time.Time{}); !errors.Is(err, fabproof.ErrEndorsementPolicy) {
		t.Fatalf("majority: got %v, want ErrEndorsementPolicy", err)
	}
}

// TestVerifyUnpinned checks the offline verifier (no chain or chaincode
// pin) and the pins.
func TestVerifyUnpinned(t *testing.T) {
	real := vectorEvidence(t, "raft/publish-1.block", "majority")
	if _, err := NewVerifier().Verify(clone(t, real.ev), real.anchor, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := NewVerifier(WithChain("other")).Verify(clone(t, real.ev), real.anchor, time.Time{}); !errors.Is(err, ErrAnchorMismatch) {
		t.Fatalf("pinned to another chain: got %v, want ErrAnchorMismatch", err)
	}
	if _, err := NewVerifier(WithChaincode("other")).Verify(clone(t, real.ev), real.anchor, time.Time{}); !errors.Is(err, ErrAnchorMismatch) {
		t.Fatalf("pinned to another chaincode: got %v, want ErrAnchorMismatch", err)
	}
}

// testdataBundles are the committed evidence bundles: real blocks, small,
// and the fuzz target's seeds. Regenerate with go test -run TestTestdata
// -update (after proofs/fabric/testdata changed).
var testdataBundles = map[string]func(testing.TB) realEvidence{
	"evidence_raft.json":        func(t testing.TB) realEvidence { return vectorEvidence(t, "raft/publish-1.block", "majority") },
	"evidence_raft_binary.json": func(t testing.TB) realEvidence { return vectorEvidence(t, "raft/publish-2-binary.block", "majority") },
	"evidence_raft_any.json": func(t testing.TB) realEvidence {
		return vectorEvidence(t, "raft/any-org1-only.block", "OR('Org1MSP.peer','Org2MSP.peer')")
	},
	"evidence_bft.json": func(t testing.TB) realEvidence { return vectorEvidence(t, "bft/publish-1.block", "majority") },
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
		if _, err := NewVerifier().Verify(ev, ev.Anchor, time.Time{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		relayertest.CheckSourceTimeIgnored(t, name, ev, func(ev *relayer.Evidence) error {
			_, err := NewVerifier().Verify(ev, ev.Anchor, time.Time{})
			return err
		})
	}
}

// FuzzVerify feeds mutated bundles to the verifier, against the anchor
// each embeds: it must never panic, every rejection must wrap ErrEvidence,
// and an accepted bundle must carry a consistent record and a valid next
// anchor. The seeds are testdata/evidence_*.json. Run it with
//
//	go test -run '^$' -fuzz FuzzVerify -fuzztime 60s -fuzzminimizetime 1x ./adapters/fabric
//
// (with the default minimisation budget the run spends its time minimising;
// 60 s found nothing in about 190,000 executions on 2 cores)
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
	// A record of a PublishRecords transaction (RecordsPublished event),
	// on a synthetic channel: the networks the files come from predate it.
	s := newSynthetic(f)
	_, evs := s.publishBatch(1, 3, nil)
	if raw, err := relayer.EncodeEvidence(evs[1]); err == nil {
		f.Add(raw)
	}
	v := NewVerifier()
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, err := relayer.DecodeEvidence(bytes.TrimSpace(raw))
		if err != nil {
			return
		}
		next, err := v.Verify(ev, ev.Anchor, time.Time{})
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

// BenchmarkVerifyEvidence verifies real bundles: Raft (one orderer
// signature, two endorsements) and SmartBFT (three orderer signatures).
func BenchmarkVerifyEvidence(b *testing.B) {
	for _, c := range []struct{ name, file string }{{"raft", "raft/publish-1.block"}, {"bft-4", "bft/publish-1.block"}} {
		b.Run(c.name, func(b *testing.B) {
			real := vectorEvidence(b, c.file, "majority")
			raw, err := relayer.EncodeEvidence(real.ev)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := real.verifier.Verify(real.ev, real.anchor, time.Time{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(raw)), "bundle-bytes")
		})
	}
}

// synthetic is a channel made with fabrictest, for what the captured
// blocks do not have: config updates and transactions no honest peer
// endorses.
type synthetic struct {
	t      testing.TB
	n      *fabrictest.Network
	blocks [][]byte // by number
	anchor relayer.Anchor
}

func newSynthetic(t testing.TB) *synthetic {
	t.Helper()
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := n.GenesisBlock()
	if err != nil {
		t.Fatal(err)
	}
	tc, err := fabproof.ParseConfigBlock(g)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newAnchor("registry", "records", fabproof.MajorityOrgs(), tc)
	if err != nil {
		t.Fatal(err)
	}
	return &synthetic{t: t, n: n, blocks: [][]byte{g}, anchor: a}
}

// add appends a block with the envelopes, cut under config block last.
func (s *synthetic) add(last uint64, envs ...[]byte) uint64 {
	s.t.Helper()
	prev, err := fabrictest.BlockHash(s.blocks[len(s.blocks)-1])
	if err != nil {
		s.t.Fatal(err)
	}
	num := uint64(len(s.blocks))
	raw, err := s.n.Block(fabrictest.BlockSpec{Number: num, PrevHash: prev, Envelopes: envs, LastConfig: last})
	if err != nil {
		s.t.Fatal(err)
	}
	s.blocks = append(s.blocks, raw)
	return num
}

// configUpdate adds an organization (Org3MSP) in a config block.
func (s *synthetic) configUpdate() uint64 {
	s.t.Helper()
	org, err := fabrictest.NewOrg(fmt.Sprintf("Org%dMSP", len(s.n.AppOrgs)+1), true, 1, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	s.n.AppOrgs = append(s.n.AppOrgs, org)
	env, err := s.n.UpdateTx(nil) // signed by every org's admin
	if err != nil {
		s.t.Fatal(err)
	}
	return s.add(uint64(len(s.blocks)), env)
}

// publish adds a block with a PublishRecord transaction of seq, endorsed
// by the given orgs' peers (default: all), whose event carries event (nil:
// the record itself), and returns the record and its evidence.
func (s *synthetic) publish(seq, last uint64, event func(*relayer.Record) []byte, orgs ...int) (relayer.Record, *relayer.Evidence) {
	s.t.Helper()
	rec := relayer.NewTestRecord("registry", []byte("records"), seq, []byte(fmt.Sprintf("record %d", seq)))
	rec.Destination, rec.Receiver, rec.ContentType = "procurement", "licensing", "text/plain"
	d, _ := RecordDigest(&rec)
	body, _ := json.Marshal(toChaincode(&rec))
	if event != nil {
		body = event(&rec)
	}
	if len(orgs) == 0 {
		for i := range s.n.AppOrgs {
			orgs = append(orgs, i)
		}
	}
	var endorsers []*fabrictest.Identity
	for _, o := range orgs {
		endorsers = append(endorsers, s.n.AppOrgs[o].Peer())
	}
	spec := fabrictest.TxSpec{Creator: s.n.AppOrgs[0].Client, Chaincode: "records", Endorsers: endorsers,
		Writes: []fabrictest.Write{{Namespace: "records", Key: StateKey(rec.ID), Value: d[:]}}}
	if body != nil {
		spec.Event, spec.EventBody = EventRecordPublished, body
	}
	env, txID, err := s.n.EndorserTx(spec)
	if err != nil {
		s.t.Fatal(err)
	}
	num := s.add(last, env)
	rec.Source.Height, rec.Source.TxID = relayer.Height(num), txID
	var cfgs [][]byte
	for i := s.anchor.Height + 1; i < relayer.Height(num); i++ {
		if tc, err := fabproof.ParseConfigBlock(s.blocks[i]); err == nil && tc != nil {
			cfgs = append(cfgs, s.blocks[i])
		}
	}
	cons := Consensus{ConfigBlocks: [][]byte{}}
	if cfgs != nil {
		cons = Consensus{ConfigBlocks: cfgs, AnchorBlock: s.blocks[s.anchor.Height]}
	}
	return rec, &relayer.Evidence{
		Version: relayer.EvidenceVersion, Ledger: relayer.LedgerFabric, TrustModel: TrustModel, Record: rec,
		Inclusion: mustMarshal(s.t, Inclusion{Block: s.blocks[num], TxIndex: 0, TxID: txID}),
		Consensus: mustMarshal(s.t, cons),
		Anchor:    s.anchor,
	}
}

// TestVerifyConfigChain checks a record in a block cut under a config
// that changed since the anchor: the config blocks in between make it
// verifiable, the verifier returns the new config as the next anchor (with
// the same chaincode and policy), and the new anchor verifies later records
// with no config blocks at all.
func TestVerifyConfigChain(t *testing.T) {
	s := newSynthetic(t)
	v := NewVerifier(WithChain("registry"), WithChaincode("records"))
	_, before := s.publish(1, 0, nil)
	if next, err := v.Verify(before, s.anchor, time.Time{}); err != nil || next.Digest != s.anchor.Digest {
		t.Fatalf("before the update: %v", err)
	}
	cfg := s.configUpdate() // Org3MSP joins: majority is now 2 of 3
	_, ev := s.publish(2, cfg, nil)
	next, err := v.Verify(ev, s.anchor, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if next.Height != relayer.Height(cfg) || next.Digest == s.anchor.Digest {
		t.Fatalf("next anchor at %d (%s), want the config block %d", next.Height, next.Digest, cfg)
	}
	// The prover rebuilds older anchors from the peer's config block: that
	// must give exactly the anchor the verifier moved to.
	tc, err := fabproof.ParseConfigBlock(s.blocks[cfg])
	if err != nil {
		t.Fatal(err)
	}
	if rebuilt, err := newAnchor("registry", "records", fabproof.MajorityOrgs(), tc); err != nil || rebuilt.Digest != next.Digest {
		t.Fatalf("anchor rebuilt from the config block: %s, the verifier's: %s (%v)", rebuilt.Digest, next.Digest, err)
	}
	st, err := decodeAnchorState(next.State)
	if err != nil || st.Chaincode != "records" || st.EndorsementPolicy.String() != "majority" || len(st.Config.ApplicationOrgs()) != 3 {
		t.Fatalf("next anchor state: %+v, %v", st, err)
	}

	t.Run("without the config blocks", func(t *testing.T) {
		bad := clone(t, ev)
		bad.Consensus = mustMarshal(t, Consensus{})
		if _, err := v.Verify(bad, s.anchor, time.Time{}); !errors.Is(err, fabproof.ErrStaleConfig) {
			t.Fatalf("got %v, want ErrStaleConfig", err)
		}
	})
	t.Run("without the anchor block", func(t *testing.T) {
		bad := clone(t, ev)
		editJSON(t, &bad.Consensus, func(c *Consensus) { c.AnchorBlock = nil })
		var ve *relayer.VerifyError
		if _, err := v.Verify(bad, s.anchor, time.Time{}); !errors.As(err, &ve) || ve.Check != CheckConsensus || !errors.Is(err, fabproof.ErrBadConfig) {
			t.Fatalf("got %v, want the config chain check to fail with ErrBadConfig", err)
		}
	})
	t.Run("another anchor block", func(t *testing.T) {
		for name, blk := range map[string][]byte{"the config block": s.blocks[cfg], "another channel's genesis": newSynthetic(t).blocks[0]} {
			bad := clone(t, ev)
			editJSON(t, &bad.Consensus, func(c *Consensus) { c.AnchorBlock = blk })
			if _, err := v.Verify(bad, s.anchor, time.Time{}); !errors.Is(err, ErrAnchorMismatch) || !errors.Is(err, fabproof.ErrBadConfig) {
				t.Fatalf("%s as the anchor block: %v", name, err)
			}
		}
	})
	t.Run("anchor block without config blocks", func(t *testing.T) {
		_, plain := s.publish(9, cfg, nil)
		plain.Anchor = next
		editJSON(t, &plain.Consensus, func(c *Consensus) { c.ConfigBlocks, c.AnchorBlock = [][]byte{}, s.blocks[cfg] })
		if _, err := v.Verify(clone(t, plain), next, time.Time{}); !errors.Is(err, ErrMalformed) {
			t.Fatalf("got %v, want ErrMalformed", err)
		}
		editJSON(t, &plain.Consensus, func(c *Consensus) { c.AnchorBlock = nil })
		if _, err := v.Verify(plain, next, time.Time{}); err != nil {
			t.Fatalf("the same bundle without the anchor block: %v", err)
		}
	})
	t.Run("config block altered", func(t *testing.T) {
		bad := clone(t, ev)
		editJSON(t, &bad.Consensus, func(c *Consensus) { c.ConfigBlocks[0][len(c.ConfigBlocks[0])/3] ^= 1 })
		var ve *relayer.VerifyError
		if _, err := v.Verify(bad, s.anchor, time.Time{}); !errors.As(err, &ve) || ve.Check != CheckConsensus {
			t.Fatalf("got %v, want the config chain check to fail", err)
		}
	})
	t.Run("from the new anchor", func(t *testing.T) {
		s.anchor = next
		_, later := s.publish(3, cfg, nil)
		if got, err := v.Verify(later, next, time.Time{}); err != nil || got.Digest != next.Digest {
			t.Fatalf("%v", err)
		}
		// The old record's block was cut under the old config: the new
		// anchor cannot verify it (the prover names the old anchor then).
		before.Anchor = next
		if _, err := v.Verify(before, next, time.Time{}); !errors.Is(err, fabproof.ErrStaleConfig) {
			t.Fatalf("old block against the new anchor: %v", err)
		}
	})
	t.Run("majority of three orgs", func(t *testing.T) {
		_, one := s.publish(4, cfg, nil, 0)
		if _, err := v.Verify(one, s.anchor, time.Time{}); !errors.Is(err, fabproof.ErrEndorsementPolicy) {
			t.Fatalf("one of three: %v", err)
		}
		_, two := s.publish(5, cfg, nil, 0, 2)
		if _, err := v.Verify(two, s.anchor, time.Time{}); err != nil {
			t.Fatalf("two of three: %v", err)
		}
	})
}

// TestVerifyForgedConfigUpdate is the attack on the anchor: on Raft one
// orderer key signs any block, and before config updates were checked it
// could cut a config block that gives both application orgs CAs it holds,
// then a PublishRecord "endorsed" by its own peers. The verifier accepted
// the record even under the all-orgs policy, and moved its anchor to the
// forged config. Now the config chain check refuses the config block: its
// update does not carry the signature of Org1's admin that the MSP's
// mod_policy (/Channel/Application/Org1MSP/Admins) requires.
func TestVerifyForgedConfigUpdate(t *testing.T) {
	s := newSynthetic(t)
	st, err := decodeAnchorState(s.anchor.State)
	if err != nil {
		t.Fatal(err)
	}
	if s.anchor, err = newAnchor("registry", "records", fabproof.AllOrgs(), st.Config); err != nil {
		t.Fatal(err)
	}
	orderer := s.n.OrdererOrg.Orderers[0]
	for i, o := range s.n.AppOrgs {
		evil, err := fabrictest.NewOrg(o.MSPID, true, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		s.n.AppOrgs[i] = evil
	}
	u, err := fabrictest.ComputeUpdate(s.n.Channel, s.n.Current, s.n.Config())
	if err != nil {
		t.Fatal(err)
	}
	env, err := s.n.ConfigTx(u, []*fabrictest.Identity{orderer}, orderer)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.add(uint64(len(s.blocks)), env)
	_, ev := s.publish(1, cfg, nil) // creator and endorsers: the attacker's
	next, err := NewVerifier(WithChain("registry"), WithChaincode("records")).Verify(ev, s.anchor, time.Time{})
	if err == nil {
		t.Fatalf("a record endorsed under a config forged by one orderer verified under the all-orgs policy; the anchor moved to %s", next.Digest)
	}
	var ve *relayer.VerifyError
	var ce *fabproof.ConfigElementError
	if !errors.As(err, &ve) || ve.Check != CheckConsensus || !errors.Is(err, fabproof.ErrModPolicy) || !errors.As(err, &ce) ||
		ce.Element != "value /Channel/Application/Org1MSP/MSP" || ce.Policy != "/Channel/Application/Org1MSP/Admins" {
		t.Fatalf("got %v, want the config chain check to fail on Org1's MSP and its mod_policy", err)
	}
}

// TestVerifyEvent checks the event check on transactions whose writes are
// right but whose event is not the record's: endorsers that sign such a
// transaction run another chaincode than the records chaincode.
func TestVerifyEvent(t *testing.T) {
	s := newSynthetic(t)
	v := NewVerifier()
	cases := []struct {
		name  string
		event func(*relayer.Record) []byte
	}{
		{"no event", func(*relayer.Record) []byte { return nil }},
		{"not JSON", func(*relayer.Record) []byte { return []byte("{") }},
		{"another receiver", func(r *relayer.Record) []byte {
			o := *r
			o.Receiver = "mallory"
			b, _ := json.Marshal(toChaincode(&o))
			return b
		}},
		{"another source chain", func(r *relayer.Record) []byte {
			cr := toChaincode(r)
			cr.SourceChain = "finance"
			b, _ := json.Marshal(cr)
			return b
		}},
		{"unknown field", func(r *relayer.Record) []byte {
			b, _ := json.Marshal(toChaincode(r))
			return append(b[:len(b)-1], []byte(`,"x":1}`)...)
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, ev := s.publish(uint64(i+1), 0, tc.event)
			var ve *relayer.VerifyError
			if _, err := v.Verify(ev, s.anchor, time.Time{}); !errors.As(err, &ve) || ve.Check != CheckWrite || !errors.Is(err, ErrWrongEvent) {
				t.Fatalf("got %v, want ErrWrongEvent", err)
			}
		})
	}
}
