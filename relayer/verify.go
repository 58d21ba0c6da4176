package relayer

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// TrustModel is what a ledger verifier states about one of its trust
// models. It comes from the verifier's code, never from a bundle: a bundle
// names its trust model, and the verifier says what that model is worth.
type TrustModel struct {
	// Name is the model's name in bundles, anchors (Scheme) and route
	// configuration, for example "qbft".
	Name string
	// Scheme is the scheme of the anchors this model checks against
	// (Anchor.Scheme); for most models it is Name.
	Scheme string
	// Consensus reports whether the verifier checks signatures of the
	// ledger's consensus (validator seals, a Tendermint commit, orderer
	// signatures and endorsements). When false, a header is accepted on
	// the word of the endpoints that served it, and the evidence proves
	// nothing to someone who does not trust them.
	Consensus bool
	// Checked says in one line what the verifier checks under this model,
	// as `liaison evidence verify` prints it.
	Checked string
	// SourceChecked reports whether the proofs cover the record's source
	// height and transaction ID. When false, those fields are only what
	// the prover stated (an EVM record is proven at a later block, by its
	// commitment in storage).
	SourceChecked bool
	// Revoking reports that a newer trusted anchor revokes this one for
	// every height at or above its own: a block must be verified under the
	// anchor in force at its height (a Fabric channel config). The engine
	// then refuses evidence that names an anchor a later one replaced at
	// or below the record's height.
	Revoking bool
}

// Verifier checks evidence against a trusted anchor. Verify is a pure
// function of its arguments: no network, no clock but now. It returns a nil
// error only if every check passed, and then the anchor that the evidence
// justifies trusting next (the same anchor when it does not advance
// trust). Failures wrap ErrEvidence and name the failed check.
//
// Callers do not call Verify directly: VerifyEvidence runs the checks that
// do not depend on the ledger first, so that the engine and `liaison
// evidence verify` check exactly the same things.
type Verifier interface {
	Verify(ev *Evidence, trusted Anchor, now time.Time) (Anchor, error)
	// Ledger is the kind of ledger whose evidence Verify checks.
	Ledger() Ledger
	// TrustModels lists the models Verify accepts.
	TrustModels() []TrustModel
}

// TrailVerifier is an optional Verifier capability, for revoking trust
// models: VerifyTrail checks like Verify and returns every anchor the
// evidence moved trust through, in height order, the last being the next
// anchor (none when trust does not move). A Fabric bundle that crosses
// several config blocks yields one anchor per config, so that the engine
// knows which config was in force at every height in between.
type TrailVerifier interface {
	VerifyTrail(ev *Evidence, trusted Anchor, now time.Time) ([]Anchor, error)
}

// Verdict is what VerifyEvidence established about a bundle.
type Verdict struct {
	Record *Record
	// Model is the bundle's trust model as the verifier describes it.
	Model TrustModel
	// Anchor is the trusted anchor the bundle was checked against.
	Anchor Anchor
	// Next is the anchor the evidence justifies trusting next.
	Next Anchor
	// Trail is every anchor the evidence moved trust through, in height
	// order, ending with Next; empty when trust did not move.
	Trail []Anchor
}

// VerifyEvidence is the one verification path, used by the engine for
// every record and by `liaison evidence verify`. It checks, in order:
//
//  1. form: the version, and that ev is evidence of v's ledger;
//  2. trust model: one v knows, checked against the trusted anchor's scheme;
//  3. anchor: trusted's digest covers its fields, and the bundle names
//     exactly trusted (its embedded anchor has trusted's digest and that
//     digest covers the embedded fields);
//  4. record: its ID and payload hash follow from its fields
//     (ErrRecordMismatch), it comes from the anchor's chain and from the
//     anchor's emitter;
//  5. the ledger's own checks: v.Verify;
//  6. the next anchor stays on the same chain, scheme and emitter and its
//     digest covers it.
//
// Every failure is a *VerifyError wrapping ErrEvidence.
func VerifyEvidence(ev *Evidence, trusted Anchor, v Verifier, now time.Time) (Verdict, error) {
	if ev == nil {
		return Verdict{}, &VerifyError{Check: "form", Reason: errors.New("no bundle")}
	}
	ledger := v.Ledger()
	fail := func(check string, err error) (Verdict, error) {
		return Verdict{}, &VerifyError{Ledger: ledger, Check: check, Reason: err}
	}
	switch {
	case ev.Version != EvidenceVersion:
		return fail("form", fmt.Errorf("version %q, want %q", ev.Version, EvidenceVersion))
	case ev.Ledger != ledger:
		return fail("form", fmt.Errorf("evidence of a %q ledger, this verifier checks %q", ev.Ledger, ledger))
	}
	model, ok := modelOf(v, ev.TrustModel)
	if !ok {
		return fail("trust model", fmt.Errorf("%q is not a %s trust model (%v)", ev.TrustModel, ledger, TrustModelNames(v)))
	}
	if trusted.Scheme != model.Scheme {
		return fail("trust model", fmt.Errorf("the bundle claims %q, checked against %q anchors, but the trusted anchor is %q", ev.TrustModel, model.Scheme, trusted.Scheme))
	}
	if err := trusted.CheckDigest(); err != nil {
		return fail("anchor", fmt.Errorf("trusted anchor: %w", err))
	}
	if ev.Anchor.Digest != trusted.Digest {
		return fail("anchor", fmt.Errorf("the bundle names anchor %s, the trusted one is %s", ev.Anchor.Digest, trusted.Digest))
	}
	if err := ev.Anchor.CheckDigest(); err != nil {
		return fail("anchor", fmt.Errorf("the bundle's embedded anchor: %w", err))
	}
	rec := &ev.Record
	if err := rec.Check(); err != nil {
		return fail("record", err)
	}
	if rec.Source.Chain != trusted.Chain {
		return fail("record", fmt.Errorf("%w: record from chain %q, the anchor is of %q", ErrWrongEmitter, rec.Source.Chain, trusted.Chain))
	}
	if len(trusted.Emitter) == 0 {
		return fail("anchor", errors.New("the trusted anchor names no emitter"))
	}
	if !bytes.Equal(rec.Source.Emitter, trusted.Emitter) {
		return fail("record", fmt.Errorf("%w: record from %x, the anchor vouches for %x only", ErrWrongEmitter, []byte(rec.Source.Emitter), []byte(trusted.Emitter)))
	}
	var trail []Anchor
	var err error
	if tv, ok := v.(TrailVerifier); ok {
		trail, err = tv.VerifyTrail(ev, trusted, now)
	} else {
		var next Anchor
		next, err = v.Verify(ev, trusted, now)
		if err == nil && next.Chain != "" {
			if derr := next.CheckDigest(); derr != nil {
				return fail("anchor", fmt.Errorf("next anchor: %w", derr))
			}
			if next.Digest != trusted.Digest {
				trail = []Anchor{next}
			}
		}
	}
	if err != nil {
		var ve *VerifyError
		if errors.As(err, &ve) {
			return Verdict{}, err
		}
		return fail("ledger", err)
	}
	prev := trusted
	for _, a := range trail {
		if a.Chain != trusted.Chain || a.Scheme != trusted.Scheme || !bytes.Equal(a.Emitter, trusted.Emitter) {
			return fail("anchor", fmt.Errorf("the verifier moved trust to %s/%s/%x, away from %s/%s/%x",
				a.Chain, a.Scheme, []byte(a.Emitter), trusted.Chain, trusted.Scheme, []byte(trusted.Emitter)))
		}
		if a.Height <= prev.Height {
			return fail("anchor", fmt.Errorf("the verifier moved trust from height %d down to %d", prev.Height, a.Height))
		}
		if err := a.CheckDigest(); err != nil {
			return fail("anchor", fmt.Errorf("next anchor: %w", err))
		}
		prev = a
	}
	return Verdict{Record: rec, Model: model, Anchor: trusted, Next: prev, Trail: trail}, nil
}

// modelOf returns v's trust model of that name.
func modelOf(v Verifier, name string) (TrustModel, bool) {
	for _, m := range v.TrustModels() {
		if m.Name == name {
			return m, true
		}
	}
	return TrustModel{}, false
}

// TrustModelNames lists the names of v's trust models.
func TrustModelNames(v Verifier) []string {
	var out []string
	for _, m := range v.TrustModels() {
		out = append(out, m.Name)
	}
	return out
}
