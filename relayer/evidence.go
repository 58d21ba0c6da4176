package relayer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/liaison-gw/liaison/internal/strictjson"
)

// EvidenceVersion is the format tag of evidence bundles this build writes
// and reads. v2 anchors carry the emitter, and their digest covers the
// chain, scheme, emitter and height as well as the state; v1 bundles named
// anchors by their state alone and cannot be checked by this build.
const EvidenceVersion = "liaison.evidence/v2"

// Ledger names the kind of ledger that produced a piece of evidence. It
// selects the verifier that can check it.
type Ledger string

// The ledger kinds Liaison knows.
const (
	LedgerEVM    Ledger = "evm"
	LedgerFabric Ledger = "fabric"
	LedgerCosmos Ledger = "cosmos"
)

// Evidence is a self-describing bundle that lets anyone who holds the trust
// anchor re-check, offline, that Record was committed on its source ledger.
//
// Inclusion and Consensus are ledger-specific JSON documents (for EVM: a
// storage proof and the headers that carry the state root). Anchor is the
// trusted state they were checked against, embedded in full so that the
// bundle stands alone; a verifier that does not want to trust the embedded
// anchor compares Anchor.Digest with one it obtained independently.
type Evidence struct {
	Version    string          `json:"version"`
	Ledger     Ledger          `json:"ledger"`
	TrustModel string          `json:"trust_model"`
	Record     Record          `json:"record"`
	Inclusion  json.RawMessage `json:"inclusion"`
	Consensus  json.RawMessage `json:"consensus"`
	Anchor     Anchor          `json:"anchor"`
	// Notes are the prover's human-readable remarks (which endpoints
	// agreed, how the light client skipped). Whoever made the bundle wrote
	// them and nothing checks them: what the evidence is worth is stated
	// by the verifier (Verdict), never by the notes.
	Notes    []string  `json:"notes,omitempty"`
	ProvenAt time.Time `json:"proven_at"`
}

// Anchor is a trusted state of one source chain: for QBFT a validator set
// at a height, for Fabric a channel config block, for Tendermint a trusted
// header and validator set. It binds everything a verifier trusts about the
// chain: its name, the trust model (Scheme), the program whose records it
// vouches for (Emitter) and the consensus state. State is opaque to the
// core.
type Anchor struct {
	Chain  ChainID `json:"chain"`
	Scheme string  `json:"scheme"`
	// Emitter is the only program on the chain whose records this anchor
	// vouches for: the Outbox's 20-byte address on EVM, the chaincode name
	// on Fabric, the records module's store name on Cosmos. A record whose
	// Source.Emitter differs is refused, whatever its proofs say.
	Emitter HexBytes        `json:"emitter"`
	Height  Height          `json:"height"`
	State   json.RawMessage `json:"state"`
	// Digest is "sha256:" followed by the hex SHA-256 of the anchor's
	// canonical form (see AnchorDigest). It covers the chain, scheme,
	// emitter, height and state, so pinning a digest pins all of them.
	Digest string `json:"digest"`
}

// anchorDomain separates anchor digests from every other SHA-256 use, and
// versions the canonical form.
const anchorDomain = "liaison/anchor/v2"

// NewAnchor builds an anchor and fills in its digest. state is compacted
// first, so that the digest does not depend on formatting.
func NewAnchor(chain ChainID, scheme string, emitter []byte, height Height, state []byte) (Anchor, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, state); err != nil {
		return Anchor{}, fmt.Errorf("anchor state is not JSON: %w", err)
	}
	a := Anchor{Chain: chain, Scheme: scheme, Emitter: append(HexBytes(nil), emitter...), Height: height, State: buf.Bytes()}
	d, err := AnchorDigest(a)
	if err != nil {
		return Anchor{}, err
	}
	a.Digest = d
	return a, nil
}

// Advance returns the anchor at height with state that follows a on the
// same chain, scheme and emitter: what a verifier returns when evidence
// moves trust forward.
func (a Anchor) Advance(height Height, state []byte) (Anchor, error) {
	return NewAnchor(a.Chain, a.Scheme, a.Emitter, height, state)
}

// AnchorDigest computes the digest of a's fields other than Digest:
//
//	"sha256:" ‖ hex(sha256(JSON{"domain":"liaison/anchor/v2","chain","scheme","emitter","height","state"}))
//
// with the fields in that order, emitter as 0x-hex, height as a number and
// state compacted.
func AnchorDigest(a Anchor) (string, error) {
	var state bytes.Buffer
	if err := json.Compact(&state, a.State); err != nil {
		return "", fmt.Errorf("anchor state is not JSON: %w", err)
	}
	canon, err := json.Marshal(struct {
		Domain  string          `json:"domain"`
		Chain   ChainID         `json:"chain"`
		Scheme  string          `json:"scheme"`
		Emitter HexBytes        `json:"emitter"`
		Height  Height          `json:"height"`
		State   json.RawMessage `json:"state"`
	}{anchorDomain, a.Chain, a.Scheme, a.Emitter, a.Height, state.Bytes()})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(canon)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// CheckDigest reports whether the anchor's digest matches its fields.
func (a *Anchor) CheckDigest() error {
	got, err := AnchorDigest(*a)
	if err != nil {
		return fmt.Errorf("%w: anchor: %v", ErrEvidence, err)
	}
	if got != a.Digest {
		return fmt.Errorf("%w: anchor digest %s does not match its chain, scheme, emitter, height and state (%s)", ErrEvidence, a.Digest, got)
	}
	return nil
}

// EncodeEvidence writes ev as indented JSON.
func EncodeEvidence(ev *Evidence) ([]byte, error) {
	return json.MarshalIndent(ev, "", "  ")
}

// maxEvidenceBytes bounds what DecodeEvidence reads; real bundles are a few
// hundred kilobytes at most.
const maxEvidenceBytes = 64 << 20

// DecodeEvidence parses a bundle strictly: unknown fields, trailing data, a
// missing section or an unknown version are errors. It checks the form only;
// Verify checks the content.
func DecodeEvidence(data []byte) (*Evidence, error) {
	if len(data) > maxEvidenceBytes {
		return nil, fmt.Errorf("evidence: %d bytes is over the %d byte limit", len(data), maxEvidenceBytes)
	}
	var ev Evidence
	if err := strictjson.Decode(data, &ev); err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	if ev.Version != EvidenceVersion {
		return nil, fmt.Errorf("evidence: version %q is not supported (want %q; v1 anchors did not bind their chain and emitter)", ev.Version, EvidenceVersion)
	}
	switch {
	case ev.Ledger == "":
		return nil, errors.New("evidence: ledger is missing")
	case ev.TrustModel == "":
		return nil, errors.New("evidence: trust_model is missing")
	case len(ev.Inclusion) == 0 || string(ev.Inclusion) == "null":
		return nil, errors.New("evidence: inclusion proof is missing")
	case len(ev.Anchor.State) == 0 || string(ev.Anchor.State) == "null":
		return nil, errors.New("evidence: anchor state is missing")
	case ev.Anchor.Chain != ev.Record.Source.Chain:
		return nil, fmt.Errorf("evidence: anchor is for chain %q but the record comes from %q", ev.Anchor.Chain, ev.Record.Source.Chain)
	}
	return &ev, nil
}

// DecodeStrict decodes one JSON value into v the way every part of a bundle
// is read: keys must match field names exactly and appear once in each
// object, at every depth; unknown fields and trailing data are errors (see
// internal/strictjson).
func DecodeStrict(data []byte, v any) error { return strictjson.Decode(data, v) }
