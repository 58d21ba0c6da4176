package relayer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// EvidenceVersion is the format tag of evidence bundles this build writes
// and reads.
const EvidenceVersion = "liaison.evidence/v1"

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
	// Notes are human-readable statements about the strength of the
	// evidence, for example that a trust model relies on RPC endpoints.
	Notes    []string  `json:"notes,omitempty"`
	ProvenAt time.Time `json:"proven_at"`
}

// Anchor is a trusted state of one source chain: for QBFT a validator set at
// a height, for Fabric a channel config block, for Tendermint a trusted
// header and validator set. State is opaque to the core.
type Anchor struct {
	Chain  ChainID         `json:"chain"`
	Scheme string          `json:"scheme"`
	Height Height          `json:"height"`
	State  json.RawMessage `json:"state"`
	// Digest is "sha256:" followed by the hex SHA-256 of the compacted
	// State JSON. It names the anchor in stores, logs and bundles.
	Digest string `json:"digest"`
}

// NewAnchor builds an anchor and fills in its digest. state is compacted
// first, so that the digest does not depend on formatting.
func NewAnchor(chain ChainID, scheme string, height Height, state []byte) (Anchor, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, state); err != nil {
		return Anchor{}, fmt.Errorf("anchor state is not JSON: %w", err)
	}
	a := Anchor{Chain: chain, Scheme: scheme, Height: height, State: buf.Bytes()}
	a.Digest = anchorDigest(a.State)
	return a, nil
}

func anchorDigest(state []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, state); err != nil {
		return ""
	}
	sum := sha256.Sum256(buf.Bytes())
	return "sha256:" + hex.EncodeToString(sum[:])
}

// CheckDigest reports whether the anchor's digest matches its state.
func (a *Anchor) CheckDigest() error {
	if got := anchorDigest(a.State); got == "" || got != a.Digest {
		return fmt.Errorf("%w: anchor digest %s does not match its state (%s)", ErrEvidence, a.Digest, got)
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
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ev Evidence
	if err := dec.Decode(&ev); err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("evidence: trailing data after the bundle")
	}
	if ev.Version != EvidenceVersion {
		return nil, fmt.Errorf("evidence: version %q is not supported (want %q)", ev.Version, EvidenceVersion)
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

// Hash returns the SHA-256 of the bundle's canonical encoding. Destinations
// record it on chain so that a delivered record points at its evidence.
func (ev *Evidence) Hash() (Hash32, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return Hash32{}, err
	}
	return sha256.Sum256(b), nil
}

// DecodeStrict decodes one JSON value into v the way every part of a bundle
// is read: unknown fields and trailing data are errors.
func DecodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data")
	}
	return nil
}
