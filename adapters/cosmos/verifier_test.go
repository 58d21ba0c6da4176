package cosmos

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/liaison-gw/liaison/proofs/ics23"
	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

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

// editSignedHeader decodes the signed header of light block i, edits it
// and encodes it again (canonically).
func editSignedHeader(t testing.TB, ev *relayer.Evidence, i int, edit func(*cmtproto.SignedHeader)) {
	t.Helper()
	editJSON(t, &ev.Consensus, func(c *Consensus) {
		var sh cmtproto.SignedHeader
		if err := sh.Unmarshal(c.LightBlocks[i].SignedHeader); err != nil {
			t.Fatal(err)
		}
		edit(&sh)
		b, err := sh.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		c.LightBlocks[i].SignedHeader = b
	})
}

// editAnchor changes the trusted state, recomputes the digest and makes the
// bundle name the new anchor, as a verifier that trusted it would.
func editAnchor(t testing.TB, ev *relayer.Evidence, a *relayer.Anchor, edit func(*tendermint.TrustedState)) {
	t.Helper()
	var st tendermint.TrustedState
	if err := json.Unmarshal(a.State, &st); err != nil {
		t.Fatal(err)
	}
	edit(&st)
	na, err := relayer.NewAnchor(a.Chain, a.Scheme, a.Emitter, relayer.Height(st.Height), mustJSON(st))
	if err != nil {
		t.Fatal(err)
	}
	*a, ev.Anchor = na, na
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

// otherValidatorSet is a validator set of one fresh key.
func otherValidatorSet(t testing.TB) []byte {
	raw, _ := otherValidatorSetHash(t)
	return raw
}

// otherValidatorSetHash is otherValidatorSet with the set's hash.
func otherValidatorSetHash(t testing.TB) ([]byte, []byte) {
	t.Helper()
	vs := cmttypes.NewValidatorSet([]*cmttypes.Validator{cmttypes.NewValidator(ed25519.GenPrivKey().PubKey(), 100)})
	b, err := encodeValSet(vs)
	if err != nil {
		t.Fatal(err)
	}
	return b, vs.Hash()
}

type corruption struct {
	name string
	// edit changes the bundle, the trusted anchor or the verification
	// time.
	edit   func(t testing.TB, ev *relayer.Evidence, trusted *relayer.Anchor, now *time.Time)
	check  string
	reason error // nil: any reason
}

func ev(edit func(*relayer.Evidence)) func(testing.TB, *relayer.Evidence, *relayer.Anchor, *time.Time) {
	return func(_ testing.TB, e *relayer.Evidence, _ *relayer.Anchor, _ *time.Time) { edit(e) }
}

func inc(edit func(*Inclusion)) func(testing.TB, *relayer.Evidence, *relayer.Anchor, *time.Time) {
	return func(t testing.TB, e *relayer.Evidence, _ *relayer.Anchor, _ *time.Time) {
		editJSON(t, &e.Inclusion, edit)
	}
}

func cons(edit func(*Consensus)) func(testing.TB, *relayer.Evidence, *relayer.Anchor, *time.Time) {
	return func(t testing.TB, e *relayer.Evidence, _ *relayer.Anchor, _ *time.Time) {
		editJSON(t, &e.Consensus, edit)
	}
}

// commonCorruptions apply to every bundle.
func commonCorruptions() []corruption {
	return []corruption{
		{"version", ev(func(e *relayer.Evidence) { e.Version = "liaison.evidence/v0" }), CheckForm, ErrMalformed},
		{"ledger", ev(func(e *relayer.Evidence) { e.Ledger = relayer.LedgerEVM }), CheckForm, ErrMalformed},
		{"trust model", ev(func(e *relayer.Evidence) { e.TrustModel = "qbft" }), CheckForm, ErrMalformed},
		{"anchor digest named by the bundle", ev(func(e *relayer.Evidence) { e.Anchor.Digest = "sha256:" + strings.Repeat("0", 64) }), CheckAnchor, ErrAnchorMismatch},
		{"trusted anchor's digest", func(_ testing.TB, _ *relayer.Evidence, a *relayer.Anchor, _ *time.Time) { a.Digest = "sha256:00" }, CheckAnchor, ErrAnchorMismatch},
		{"anchor state of another chain id", func(t testing.TB, e *relayer.Evidence, a *relayer.Anchor, _ *time.Time) {
			editAnchor(t, e, a, func(st *tendermint.TrustedState) { st.ChainID = "other-1" })
		}, CheckAnchor, ErrAnchorMismatch},
		{"anchor state with a bad next validator set", func(t testing.TB, e *relayer.Evidence, a *relayer.Anchor, _ *time.Time) {
			editAnchor(t, e, a, func(st *tendermint.TrustedState) { st.NextValidators = otherValidatorSet(t) })
		}, CheckAnchor, tendermint.ErrBadTrustedState},
		{"anchor height", func(t testing.TB, e *relayer.Evidence, a *relayer.Anchor, _ *time.Time) {
			na, err := relayer.NewAnchor(a.Chain, a.Scheme, a.Emitter, a.Height+1, a.State)
			if err != nil {
				t.Fatal(err)
			}
			*a, e.Anchor = na, na
		}, CheckAnchor, ErrAnchorMismatch},
		{"record id", ev(func(e *relayer.Evidence) { e.Record.ID[0] ^= 1 }), CheckRecord, relayer.ErrRecordMismatch},
		{"record payload", ev(func(e *relayer.Evidence) { withRecord(e, false, func(r *relayer.Record) { r.Payload[0] ^= 1 }) }), CheckRecord, relayer.ErrRecordMismatch},
		{"record payload with its hash", ev(func(e *relayer.Evidence) {
			withRecord(e, true, func(r *relayer.Record) { r.Payload = append(r.Payload, '!') })
		}), CheckInclusion, ErrWrongValue},
		{"record receiver", ev(func(e *relayer.Evidence) { withRecord(e, true, func(r *relayer.Record) { r.Receiver = "mallory" }) }), CheckInclusion, ErrWrongValue},
		{"record destination", ev(func(e *relayer.Evidence) {
			withRecord(e, true, func(r *relayer.Record) { r.Destination = "elsewhere" })
		}), CheckInclusion, ErrWrongValue},
		{"record content type", ev(func(e *relayer.Evidence) {
			withRecord(e, true, func(r *relayer.Record) { r.ContentType = "text/html" })
		}), CheckInclusion, ErrWrongValue},
		{"record sequence", ev(func(e *relayer.Evidence) { withRecord(e, true, func(r *relayer.Record) { r.Source.Sequence++ }) }), CheckInclusion, ErrWrongKey},
		{"record emitter", ev(func(e *relayer.Evidence) {
			withRecord(e, true, func(r *relayer.Record) { r.Source.Emitter = []byte("records2") })
		}), CheckRecord, ErrWrongEmitter},
		{"record source chain", ev(func(e *relayer.Evidence) {
			withRecord(e, true, func(r *relayer.Record) { r.Source.Chain = "registry" })
		}), CheckAnchor, ErrAnchorMismatch},
		{"inclusion unknown field", ev(func(e *relayer.Evidence) {
			e.Inclusion = append(e.Inclusion[:len(e.Inclusion)-1], []byte(`,"extra":1}`)...)
		}), CheckInclusion, ErrMalformed},
		{"inclusion store", inc(func(i *Inclusion) { i.Store = "ibc" }), CheckInclusion, ErrWrongKey},
		{"inclusion key byte", inc(func(i *Inclusion) { i.Key[5] ^= 1 }), CheckInclusion, ErrWrongKey},
		{"inclusion key prefix", inc(func(i *Inclusion) { i.Key[0] = 0x03 }), CheckInclusion, ErrWrongKey},
		{"inclusion value byte", inc(func(i *Inclusion) { i.Value[len(i.Value)/2] ^= 1 }), CheckInclusion, ErrWrongValue},
		{"inclusion value of another record", inc(func(i *Inclusion) {
			r := relayer.NewTestRecord("finance", []byte(PortID), 77, []byte("other"))
			i.Value, _ = EncodeRecordValue(&r)
		}), CheckInclusion, ErrWrongValue},
		// The same record in other bytes passes the record check, but the
		// proof is of the stored bytes.
		{"inclusion value re-encoded", inc(func(i *Inclusion) { i.Value = append([]byte(" "), i.Value...) }), CheckStoreProof, ics23.ErrMembership},
		{"inclusion version", inc(func(i *Inclusion) { i.Version-- }), CheckHeader, ErrWrongHeight},
		{"inclusion version zero", inc(func(i *Inclusion) { i.Version = 0 }), CheckInclusion, ErrMalformed},
		{"proof truncated", inc(func(i *Inclusion) { i.Proof = i.Proof[:len(i.Proof)-1] }), CheckStoreProof, ics23.ErrProofDecode},
		{"proof empty", inc(func(i *Inclusion) { i.Proof = nil }), CheckStoreProof, ics23.ErrProofDecode},
		{"proof store leaf byte", inc(func(i *Inclusion) { flipIn(i.Proof, []byte(`"licence`), 3) }), CheckStoreProof, ics23.ErrMembership},
		{"proof last byte", inc(func(i *Inclusion) { i.Proof[len(i.Proof)-1] ^= 1 }), CheckStoreProof, nil},
		{"consensus chain id", cons(func(c *Consensus) { c.ChainID = "other-1" }), CheckHeader, ErrWrongHeight},
		{"consensus unknown field", ev(func(e *relayer.Evidence) {
			e.Consensus = append(e.Consensus[:len(e.Consensus)-1], []byte(`,"extra":1}`)...)
		}), CheckHeader, ErrMalformed},
		{"too many light blocks", cons(func(c *Consensus) {
			for len(c.LightBlocks) <= MaxLightBlocks {
				c.LightBlocks = append(c.LightBlocks, tendermint.LightBlock{SignedHeader: []byte{1}})
			}
		}), CheckHeader, ErrMalformed},
	}
}

// flipIn flips one bit of the byte off bytes into the first occurrence of
// marker in b (a byte of a known field), or of the middle byte.
func flipIn(b, marker []byte, off int) {
	if i := bytes.Index(b, marker); i >= 0 {
		b[i+off] ^= 1
		return
	}
	b[len(b)/2] ^= 1
}

// skipCorruptions apply to a bundle with light blocks.
func skipCorruptions() []corruption {
	sh := func(edit func(*cmtproto.SignedHeader)) func(testing.TB, *relayer.Evidence, *relayer.Anchor, *time.Time) {
		return func(t testing.TB, e *relayer.Evidence, _ *relayer.Anchor, _ *time.Time) {
			editSignedHeader(t, e, 0, edit)
		}
	}
	return []corruption{
		{"forged app hash", sh(func(s *cmtproto.SignedHeader) { s.Header.AppHash[0] ^= 1 }), CheckHeader, tendermint.ErrInvalidHeader},
		{"forged app hash and block id", sh(func(s *cmtproto.SignedHeader) {
			s.Header.AppHash[0] ^= 1
			h, err := cmttypes.HeaderFromProto(s.Header)
			if err == nil {
				s.Commit.BlockID.Hash = h.Hash()
			}
		}), CheckHeader, tendermint.ErrInvalidSignature},
		{"header height", sh(func(s *cmtproto.SignedHeader) { s.Header.Height++ }), CheckHeader, tendermint.ErrInvalidHeader},
		{"header time", sh(func(s *cmtproto.SignedHeader) { s.Header.Time = s.Header.Time.Add(time.Nanosecond) }), CheckHeader, tendermint.ErrInvalidHeader},
		{"header chain id", sh(func(s *cmtproto.SignedHeader) { s.Header.ChainID = "other-1" }), CheckHeader, tendermint.ErrChainID},
		{"signature byte", sh(func(s *cmtproto.SignedHeader) { s.Commit.Signatures[0].Signature[7] ^= 1 }), CheckHeader, tendermint.ErrInvalidSignature},
		{"signature of too little voting power", sh(func(s *cmtproto.SignedHeader) {
			s.Commit.Signatures[0] = cmtproto.CommitSig{BlockIdFlag: cmtproto.BlockIDFlagAbsent}
		}), CheckHeader, tendermint.ErrInsufficientTrustedVotingPower},
		{"vote for nil", sh(func(s *cmtproto.SignedHeader) { s.Commit.Signatures[0].BlockIdFlag = cmtproto.BlockIDFlagNil }), CheckHeader, nil},
		{"wrong validator set", cons(func(c *Consensus) { c.LightBlocks[0].ValidatorSet = nil }), CheckHeader, tendermint.ErrDecode},
		{"validator set with a proposer", func(t testing.TB, e *relayer.Evidence, _ *relayer.Anchor, _ *time.Time) {
			editJSON(t, &e.Consensus, func(c *Consensus) {
				var pb cmtproto.ValidatorSet
				if err := pb.Unmarshal(c.LightBlocks[0].ValidatorSet); err != nil {
					t.Fatal(err)
				}
				p := *pb.Validators[0]
				pb.Proposer = &p
				c.LightBlocks[0].ValidatorSet, _ = pb.Marshal()
			})
		}, CheckHeader, ErrMalformed},
		{"validator set of another key", func(t testing.TB, e *relayer.Evidence, _ *relayer.Anchor, _ *time.Time) {
			editJSON(t, &e.Consensus, func(c *Consensus) { c.LightBlocks[0].ValidatorSet = otherValidatorSet(t) })
		}, CheckHeader, tendermint.ErrValidatorSetMismatch},
		{"light block removed", cons(func(c *Consensus) { c.LightBlocks = nil }), CheckHeader, ErrWrongHeight},
		{"light block repeated", cons(func(c *Consensus) { c.LightBlocks = append(c.LightBlocks, c.LightBlocks[0]) }), CheckHeader, tendermint.ErrNotMonotonic},
		{"signed header not canonical", cons(func(c *Consensus) {
			c.LightBlocks[0].SignedHeader = append(c.LightBlocks[0].SignedHeader, 0x58, 0x01) // field 11, varint 1
		}), CheckHeader, tendermint.ErrDecode},
		{"expired trusting period", func(_ testing.TB, e *relayer.Evidence, a *relayer.Anchor, now *time.Time) {
			var st tendermint.TrustedState
			_ = json.Unmarshal(a.State, &st)
			*now = tendermint.ExpiresAt(st)
		}, CheckHeader, tendermint.ErrExpired},
		{"header from the future", func(_ testing.TB, e *relayer.Evidence, a *relayer.Anchor, now *time.Time) {
			var st tendermint.TrustedState
			_ = json.Unmarshal(a.State, &st)
			*now = st.Time.Add(-time.Minute)
		}, CheckHeader, tendermint.ErrClockDrift},
		{"anchor with other next validators", func(t testing.TB, e *relayer.Evidence, a *relayer.Anchor, _ *time.Time) {
			editAnchor(t, e, a, func(st *tendermint.TrustedState) { st.NextValidators, st.NextValidatorsHash = otherValidatorSetHash(t) })
		}, CheckHeader, tendermint.ErrInsufficientTrustedVotingPower},
	}
}

// anchorCorruptions apply to a bundle whose anchor is the header above the
// proof.
func anchorCorruptions() []corruption {
	return []corruption{
		{"forged anchor app hash", func(t testing.TB, e *relayer.Evidence, a *relayer.Anchor, _ *time.Time) {
			editAnchor(t, e, a, func(st *tendermint.TrustedState) { st.AppHash[0] ^= 1 })
		}, CheckStoreProof, ics23.ErrRootMismatch},
		{"expired anchor", func(_ testing.TB, e *relayer.Evidence, a *relayer.Anchor, now *time.Time) {
			var st tendermint.TrustedState
			_ = json.Unmarshal(a.State, &st)
			*now = tendermint.ExpiresAt(st).Add(time.Second)
		}, CheckHeader, tendermint.ErrExpired},
		{"a light block above the anchor added", func(t testing.TB, e *relayer.Evidence, _ *relayer.Anchor, _ *time.Time) {
			skip := loadBundle(t, "evidence_skip.json")
			var c Consensus
			_ = json.Unmarshal(skip.Consensus, &c)
			editJSON(t, &e.Consensus, func(own *Consensus) { own.LightBlocks = c.LightBlocks })
		}, CheckHeader, nil},
	}
}

// runCorruptions applies each corruption to a fresh copy of the bundle
// and expects the named check to fail with the named sentinel.
func runCorruptions(t *testing.T, name string, cases []corruption) {
	t.Helper()
	real := loadBundle(t, name)
	v := NewVerifier(WithChain("finance"), WithChainID("liaison-finance-1"))
	if _, err := v.Verify(clone(t, real), real.Anchor, real.ProvenAt); err != nil {
		t.Fatalf("the uncorrupted bundle fails: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, anchor, now := clone(t, real), real.Anchor, real.ProvenAt
			tc.edit(t, e, &anchor, &now)
			_, err := v.Verify(e, anchor, now)
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

func TestVerifyRejectsCorruptedSkip(t *testing.T) {
	runCorruptions(t, "evidence_skip.json", append(commonCorruptions(), skipCorruptions()...))
}

func TestVerifyRejectsCorruptedAnchorProof(t *testing.T) {
	runCorruptions(t, "evidence_anchor.json", append(commonCorruptions(), anchorCorruptions()...))
}

// TestVerifyEveryByte flips each byte of the proof and of the light block
// of a real bundle, one at a time: every copy must be rejected.
func TestVerifyEveryByte(t *testing.T) {
	real := loadBundle(t, "evidence_skip.json")
	v := NewVerifier()
	var i0 Inclusion
	var c0 Consensus
	if err := json.Unmarshal(real.Inclusion, &i0); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(real.Consensus, &c0); err != nil {
		t.Fatal(err)
	}
	reject := func(what string, e *relayer.Evidence) {
		if _, err := v.Verify(e, real.Anchor, real.ProvenAt); !errors.Is(err, relayer.ErrEvidence) {
			t.Fatalf("%s: got %v, want a rejection", what, err)
		}
	}
	for i := range i0.Proof {
		e := clone(t, real)
		editJSON(t, &e.Inclusion, func(in *Inclusion) { in.Proof[i] ^= 0x01 })
		reject("proof byte "+strconv.Itoa(i), e)
	}
	for i := range c0.LightBlocks[0].SignedHeader {
		e := clone(t, real)
		editJSON(t, &e.Consensus, func(c *Consensus) { c.LightBlocks[0].SignedHeader[i] ^= 0x01 })
		reject("signed header byte "+strconv.Itoa(i), e)
	}
	for i := range c0.LightBlocks[0].ValidatorSet {
		e := clone(t, real)
		editJSON(t, &e.Consensus, func(c *Consensus) { c.LightBlocks[0].ValidatorSet[i] ^= 0x01 })
		reject("validator set byte "+strconv.Itoa(i), e)
	}
}

// TestVerifyPinned checks the pins of a chain's own verifier.
func TestVerifyPinned(t *testing.T) {
	real := loadBundle(t, "evidence_skip.json")
	for _, v := range []relayer.Verifier{NewVerifier(WithChain("registry")), NewVerifier(WithChainID("other-1"))} {
		if _, err := v.Verify(clone(t, real), real.Anchor, real.ProvenAt); !errors.Is(err, ErrAnchorMismatch) {
			t.Fatalf("got %v, want ErrAnchorMismatch", err)
		}
	}
	if _, err := NewVerifier().Verify(nil, real.Anchor, real.ProvenAt); !errors.Is(err, ErrMalformed) {
		t.Fatalf("nil bundle: %v", err)
	}
}

// TestVerifyAdvancesAnchor checks the anchor the verifier returns: the
// light client's state at the header above the proof, which verifies the
// next bundle.
func TestVerifyAdvancesAnchor(t *testing.T) {
	real := loadBundle(t, "evidence_skip.json")
	next, err := NewVerifier().Verify(clone(t, real), real.Anchor, real.ProvenAt)
	if err != nil {
		t.Fatal(err)
	}
	var inc Inclusion
	_ = json.Unmarshal(real.Inclusion, &inc)
	st, err := parseTrustedState(next)
	if err != nil {
		t.Fatal(err)
	}
	if uint64(next.Height) != inc.Version+1 || next.Chain != real.Anchor.Chain || next.Scheme != SchemeTendermint || len(st.AppHash) != 32 {
		t.Fatalf("next anchor %+v", next)
	}
	own := loadBundle(t, "evidence_anchor.json")
	same, err := NewVerifier().Verify(clone(t, own), own.Anchor, own.ProvenAt)
	if err != nil || same.Digest != own.Anchor.Digest {
		t.Fatalf("anchor proof: %v, next %s, want the anchor %s", err, same.Digest, own.Anchor.Digest)
	}
}

// FuzzVerify feeds mutated bundles to the verifier, against the anchor
// each embeds: it must never panic, every rejection must wrap ErrEvidence,
// and an accepted bundle must carry a consistent record and a valid next
// anchor. The seeds are testdata/evidence_*.json. Run it with
//
//	go test -run '^$' -fuzz FuzzVerify -fuzztime 30s ./adapters/cosmos
func FuzzVerify(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "evidence_*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata (%v)", err)
	}
	var at time.Time
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
		if e, err := relayer.DecodeEvidence(bytes.TrimSpace(raw)); err == nil && e.ProvenAt.After(at) {
			at = e.ProvenAt
		}
	}
	v := NewVerifier()
	f.Fuzz(func(t *testing.T, raw []byte) {
		e, err := relayer.DecodeEvidence(bytes.TrimSpace(raw))
		if err != nil {
			return
		}
		next, err := v.Verify(e, e.Anchor, at)
		if err != nil {
			if !errors.Is(err, relayer.ErrEvidence) {
				t.Fatalf("rejection does not wrap ErrEvidence: %v", err)
			}
			return
		}
		if err := e.Record.Check(); err != nil {
			t.Fatalf("accepted a record that fails Check: %v", err)
		}
		if err := next.CheckDigest(); err != nil || next.Chain != e.Record.Source.Chain || next.Height < e.Anchor.Height {
			t.Fatalf("accepted with a bad next anchor %+v: %v", next, err)
		}
	})
}

// BenchmarkVerifyEvidence verifies the real bundles: a skip (one light
// block with one validator signature, then the ICS-23 proof) and a proof
// against the anchor's own header (the ICS-23 proof only).
func BenchmarkVerifyEvidence(b *testing.B) {
	for _, name := range []string{"evidence_skip.json", "evidence_anchor.json"} {
		b.Run(strings.TrimSuffix(strings.TrimPrefix(name, "evidence_"), ".json"), func(b *testing.B) {
			real := loadBundle(b, name)
			raw, err := relayer.EncodeEvidence(real)
			if err != nil {
				b.Fatal(err)
			}
			v := NewVerifier()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(real, real.Anchor, real.ProvenAt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(raw)), "bundle-bytes")
		})
	}
}
