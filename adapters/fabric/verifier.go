package fabric

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"time"

	"github.com/liaison-gw/liaison/internal/boundedcache"
	fabproof "github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/relayer"
)

// VerifierOption pins a verifier to more than what a bundle says about
// itself.
type VerifierOption func(*verifier)

// WithChain makes the verifier refuse records and anchors of any other
// source chain.
func WithChain(name relayer.ChainID) VerifierOption {
	return func(v *verifier) { v.chain = name }
}

// WithChaincode makes the verifier refuse anchors (and so records) of any
// other chaincode. The anchor names its chaincode anyway; this guards
// against an anchor configured for the wrong one.
func WithChaincode(name string) VerifierOption {
	return func(v *verifier) { v.chaincode = name }
}

// NewVerifier returns the pure verifier of Fabric evidence bundles. It uses
// no network and no clock. Without options it checks a bundle against the
// anchor it is given only; a Chain's Verifier pins the chain name and the
// chaincode too.
//
// The verifier is safe for concurrent use and remembers what it decoded:
// anchor states by digest, and the config each verified config block
// installs, so that the channel configs, and with them the certificates
// they validated (see proofs/fabric.TrustedConfig), are reused from one
// bundle to the next. Both caches are bounded and change no result. Keep
// one verifier per route rather than one per bundle.
func NewVerifier(opts ...VerifierOption) relayer.Verifier {
	v := &verifier{
		anchors: boundedcache.New[string, *AnchorState](maxCachedAnchors),
		configs: boundedcache.New[configKey, configEntry](maxCachedConfigs),
	}
	for _, o := range opts {
		o(v)
	}
	return v
}

// TrustModels are the Fabric trust models, as the verifier judges them.
// Anchors are Revoking: a config block replaces the one before it from its
// own height on, so a block is checked under the config in force at its
// height only.
var TrustModels = []relayer.TrustModel{
	{Name: TrustModel, Scheme: SchemeConfig, Consensus: true, Revoking: true, SourceChecked: true,
		Checked: "orderer signatures satisfying the channel's block validation policy over the block, every config change from the anchor validated against its mod_policy, and endorsements satisfying the anchor's endorsement policy over the transaction's write set"},
}

// Ledger implements relayer.Verifier.
func (v *verifier) Ledger() relayer.Ledger { return relayer.LedgerFabric }

// TrustModels implements relayer.Verifier.
func (v *verifier) TrustModels() []relayer.TrustModel { return TrustModels }

type verifier struct {
	chain     relayer.ChainID // "" accepts any
	chaincode string          // "" accepts the anchor's
	// anchors holds decoded anchor states by anchor digest, the SHA-256 of
	// the compact state checked on every call before a lookup. An
	// AnchorState is read-only.
	anchors *boundedcache.Cache[string, *AnchorState]
	// configs holds the config a config block installs when it verified
	// under a config (VerifyBlock is a pure function of the two).
	configs *boundedcache.Cache[configKey, configEntry]
}

// Bounds of the verifier's caches (two generations of this many each).
// A decoded anchor with its certificate caches takes up to a few MB.
const (
	maxCachedAnchors = 16
	maxCachedConfigs = 16
)

// configKey names a config block verified under a config: the config
// object (configs are immutable, and the cache keeps it alive, so its
// address is not reused) and the SHA-256 of the block.
type configKey struct {
	under *fabproof.TrustedConfig
	block [sha256.Size]byte
}

type configEntry struct {
	block []byte // compared in full on a hit
	next  *fabproof.TrustedConfig
}

// Verify checks ev against trusted and returns the anchor it justifies:
// the config after the bundle's config blocks when there are some (with
// the same chaincode and policy), else trusted. now is not used: Fabric
// evidence does not expire.
//
// Checks, in order (cheap first; the signatures last); each failure is a
// *relayer.VerifyError naming the check:
//
//  1. form: version, ledger "fabric", trust model TrustModel, anchor scheme
//     SchemeConfig (ErrMalformed);
//  2. anchor: trusted's digest matches its state, ev.Anchor is trusted, the
//     chain is the record's (and the pinned one), the state parses into a
//     config, a policy and a chaincode (the pinned one), its height is the
//     config block's (ErrAnchorMismatch);
//  3. record: Record.Check (relayer.ErrRecordMismatch), the emitter is the
//     anchor's chaincode name (ErrWrongEmitter);
//  4. inclusion: the inclusion and consensus documents parse strictly, the
//     transaction ID is the record's, at most MaxConfigBlocks config blocks
//     (ErrMalformed);
//  5. config chain: the anchor block is the anchor's config block
//     (ErrAnchorMismatch), and each config block verifies (proofs/fabric
//     VerifyBlock) under the config before it: orderer signatures, and a
//     config update a peer would accept, signed by the admins the changed
//     elements' mod_policies name (proofs/fabric sentinels, among them
//     ErrModPolicy; ErrMalformed for a block that is not a config block;
//     fabproof.ErrBadConfig when the anchor block is missing);
//  6. block: VerifyBlock under the resulting config: data hash, orderer
//     signatures and BlockValidation policy, cut under that config
//     (proofs/fabric sentinels); its number is the record's height
//     (ErrWrongBlock);
//  7. transaction: VerifyTransaction with the anchor's endorsement policy:
//     the VALID flag, the tx ID, creator and endorsement signatures, the
//     policy (proofs/fabric sentinels); its ID is the record's and it
//     invoked the chaincode (ErrWrongBlock);
//  8. write set: the transaction writes StateKey(id) = RecordDigest(record)
//     in the chaincode's namespace (ErrWrongWrite), and its chaincode event
//     is the chaincode's RecordPublished of exactly this record, or its
//     RecordsPublished listing exactly this record once among others
//     (ErrWrongEvent).
func (v *verifier) Verify(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	trail, err := v.VerifyTrail(ev, trusted, now)
	if err != nil {
		return relayer.Anchor{}, err
	}
	if len(trail) == 0 {
		return trusted, nil
	}
	return trail[len(trail)-1], nil
}

// VerifyTrail implements relayer.TrailVerifier: it checks as Verify does
// and returns the anchor of every config block the bundle crossed, in
// order, so that the engine learns which config was in force at every
// height in between, not only the last.
func (v *verifier) VerifyTrail(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) ([]relayer.Anchor, error) {
	_ = now
	if ev == nil {
		return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckForm, Reason: fmt.Errorf("%w: no bundle", ErrMalformed)}
	}
	if err := checkForm(ev, trusted); err != nil {
		return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckForm, Reason: err}
	}
	st, err := v.checkAnchor(ev, trusted)
	if err != nil {
		return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckAnchor, Reason: err}
	}
	rec := &ev.Record
	if err := v.checkRecord(rec, st); err != nil {
		return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckRecord, Reason: err}
	}
	inc, cons, err := checkDocuments(ev, rec)
	if err != nil {
		return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckInclusion, Reason: err}
	}
	height, txID := uint64(rec.Source.Height), rec.Source.TxID
	cur := st.Config
	var trail []relayer.Anchor
	if len(cons.AnchorBlock) > 0 {
		if cur, err = cur.WithConfigBlock(cons.AnchorBlock); err != nil {
			return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckConsensus, Height: height, Reason: fmt.Errorf("%w: anchor block: %w", ErrAnchorMismatch, err)}
		}
	}
	for i, raw := range cons.ConfigBlocks {
		next, err := v.nextConfig(cur, raw, i)
		if err != nil {
			return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckConsensus, Height: height, Reason: err}
		}
		cur = next
		a, err := newAnchor(trusted.Chain, st.Chaincode, st.EndorsementPolicy, cur)
		if err != nil {
			return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckConsensus, Height: height, Reason: err}
		}
		trail = append(trail, a)
	}
	block, err := fabproof.VerifyBlock(cur, nil, inc.Block)
	if err == nil && block.Number != height {
		err = fmt.Errorf("%w: the block is number %d, the record was published in block %d", ErrWrongBlock, block.Number, height)
	}
	if err != nil {
		return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckBlock, Height: height, Reason: err}
	}
	tx, err := fabproof.VerifyTransaction(cur, block, inc.TxIndex, st.EndorsementPolicy)
	if err == nil {
		switch {
		case tx.ID != txID:
			err = fmt.Errorf("%w: transaction %d of block %d is %s, the record was published by %s", ErrWrongBlock, inc.TxIndex, height, tx.ID, txID)
		case tx.Chaincode.Name != st.Chaincode:
			err = fmt.Errorf("%w: transaction %s invoked chaincode %q, not %q", ErrWrongBlock, tx.ID, tx.Chaincode.Name, st.Chaincode)
		}
	}
	if err != nil {
		return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckTransaction, Height: height, TxID: txID, Reason: err}
	}
	if err := checkWrites(tx, rec, st.Chaincode); err != nil {
		return nil, &relayer.VerifyError{Ledger: relayer.LedgerFabric, Check: CheckWrite, Height: height, TxID: txID, Reason: err}
	}
	return trail, nil
}

// nextConfig verifies config block i of a bundle under cur and returns the
// config it installs, from the cache when this verifier verified the same
// block under the same config before.
func (v *verifier) nextConfig(cur *fabproof.TrustedConfig, raw []byte, i int) (*fabproof.TrustedConfig, error) {
	key := configKey{under: cur, block: sha256.Sum256(raw)}
	if e, ok := v.configs.Get(key); ok && bytes.Equal(e.block, raw) {
		return e.next, nil
	}
	b, err := fabproof.VerifyBlock(cur, nil, raw)
	if err != nil {
		return nil, err
	}
	if b.Config == nil {
		return nil, fmt.Errorf("%w: consensus block %d (number %d) is not a config block", ErrMalformed, i, b.Number)
	}
	v.configs.Put(key, configEntry{block: bytes.Clone(raw), next: b.Config})
	return b.Config, nil
}

func checkForm(ev *relayer.Evidence, trusted relayer.Anchor) error {
	switch {
	case ev.Version != relayer.EvidenceVersion:
		return fmt.Errorf("%w: version %q, want %q", ErrMalformed, ev.Version, relayer.EvidenceVersion)
	case ev.Ledger != relayer.LedgerFabric:
		return fmt.Errorf("%w: ledger %q, want %q", ErrMalformed, ev.Ledger, relayer.LedgerFabric)
	case ev.TrustModel != TrustModel:
		return fmt.Errorf("%w: trust model %q, want %q", ErrMalformed, ev.TrustModel, TrustModel)
	case trusted.Scheme != SchemeConfig:
		return fmt.Errorf("%w: the trusted anchor's scheme is %q, want %q", ErrMalformed, trusted.Scheme, SchemeConfig)
	}
	return nil
}

func (v *verifier) checkAnchor(ev *relayer.Evidence, trusted relayer.Anchor) (*AnchorState, error) {
	if err := trusted.CheckDigest(); err != nil {
		return nil, fmt.Errorf("%w: trusted anchor: %v", ErrAnchorMismatch, err)
	}
	switch {
	case ev.Anchor.Digest != trusted.Digest:
		return nil, fmt.Errorf("%w: the bundle names anchor %s, the trusted one is %s", ErrAnchorMismatch, ev.Anchor.Digest, trusted.Digest)
	case trusted.Chain != ev.Record.Source.Chain:
		return nil, fmt.Errorf("%w: anchor of chain %q, record from %q", ErrAnchorMismatch, trusted.Chain, ev.Record.Source.Chain)
	case v.chain != "" && trusted.Chain != v.chain:
		return nil, fmt.Errorf("%w: anchor of chain %q, this verifier checks %q", ErrAnchorMismatch, trusted.Chain, v.chain)
	}
	st, ok := v.anchors.Get(trusted.Digest)
	if !ok {
		var err error
		if st, err = decodeAnchorState(trusted.State); err != nil {
			return nil, fmt.Errorf("%w: state: %w", ErrAnchorMismatch, err)
		}
		v.anchors.Put(trusted.Digest, st)
	}
	switch {
	case string(trusted.Emitter) != st.Chaincode:
		return nil, fmt.Errorf("%w: the anchor vouches for emitter %q, its state for chaincode %q", ErrAnchorMismatch, []byte(trusted.Emitter), st.Chaincode)
	case v.chaincode != "" && st.Chaincode != v.chaincode:
		return nil, fmt.Errorf("%w: anchor of chaincode %q, this verifier checks %q", ErrAnchorMismatch, st.Chaincode, v.chaincode)
	case st.Config.Number() != uint64(trusted.Height):
		return nil, fmt.Errorf("%w: the anchor's config is block %d, the anchor says height %d", ErrAnchorMismatch, st.Config.Number(), trusted.Height)
	}
	return st, nil
}

func (v *verifier) checkRecord(rec *relayer.Record, st *AnchorState) error {
	if err := rec.Check(); err != nil {
		return err
	}
	if v.chain != "" && rec.Source.Chain != v.chain {
		return fmt.Errorf("%w: record from chain %q, this verifier checks %q", ErrWrongEmitter, rec.Source.Chain, v.chain)
	}
	if !bytes.Equal(rec.Source.Emitter, []byte(st.Chaincode)) {
		return fmt.Errorf("%w: emitter %q, the anchor's chaincode is %q", ErrWrongEmitter, []byte(rec.Source.Emitter), st.Chaincode)
	}
	return nil
}

// checkDocuments parses the inclusion and consensus documents.
func checkDocuments(ev *relayer.Evidence, rec *relayer.Record) (*Inclusion, *Consensus, error) {
	var inc Inclusion
	if err := relayer.DecodeStrict(ev.Inclusion, &inc); err != nil {
		return nil, nil, fmt.Errorf("%w: inclusion: %v", ErrMalformed, err)
	}
	switch {
	case len(inc.Block) == 0:
		return nil, nil, fmt.Errorf("%w: inclusion has no block", ErrMalformed)
	case inc.TxIndex < 0:
		return nil, nil, fmt.Errorf("%w: negative transaction index %d", ErrMalformed, inc.TxIndex)
	case inc.TxID != rec.Source.TxID:
		return nil, nil, fmt.Errorf("%w: inclusion is for transaction %s, the record was published by %s", ErrWrongBlock, inc.TxID, rec.Source.TxID)
	}
	cons := &Consensus{}
	if len(ev.Consensus) > 0 && string(ev.Consensus) != "null" {
		if err := relayer.DecodeStrict(ev.Consensus, cons); err != nil {
			return nil, nil, fmt.Errorf("%w: consensus: %v", ErrMalformed, err)
		}
	}
	if n := len(cons.ConfigBlocks); n > MaxConfigBlocks {
		return nil, nil, fmt.Errorf("%w: %d config blocks, at most %d", ErrMalformed, n, MaxConfigBlocks)
	}
	if len(cons.ConfigBlocks) == 0 && len(cons.AnchorBlock) > 0 {
		return nil, nil, fmt.Errorf("%w: an anchor block without config blocks", ErrMalformed)
	}
	return &inc, cons, nil
}

// checkWrites checks the write set and the event of a verified
// transaction against the record.
func checkWrites(tx *fabproof.Tx, rec *relayer.Record, chaincode string) error {
	digest, err := RecordDigest(rec)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWrongWrite, err)
	}
	key := StateKey(rec.ID)
	if !tx.HasWrite(chaincode, key, digest[:]) {
		got, ok := tx.Write(chaincode, key)
		if !ok {
			return fmt.Errorf("%w: the transaction does not write %s in namespace %q", ErrWrongWrite, key, chaincode)
		}
		return fmt.Errorf("%w: the transaction writes %x to %s, the record's digest is %x", ErrWrongWrite, got, key, digest)
	}
	e, ok := tx.Event()
	switch {
	case !ok:
		return fmt.Errorf("%w: the transaction has no chaincode event", ErrWrongEvent)
	case e.ChaincodeID != chaincode || (e.Name != EventRecordPublished && e.Name != EventRecordsPublished):
		return fmt.Errorf("%w: the event is %q of chaincode %q, want %q or %q of %q", ErrWrongEvent, e.Name, e.ChaincodeID,
			EventRecordPublished, EventRecordsPublished, chaincode)
	}
	recs, crs, err := decodeEventRecords(e.Name, e.Payload)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWrongEvent, err)
	}
	i := slices.IndexFunc(recs, func(r *relayer.Record) bool { return r.ID == rec.ID })
	if i < 0 {
		return fmt.Errorf("%w: the transaction's %s event does not list record %s", ErrWrongEvent, e.Name, rec.ID)
	}
	got, cr := recs[i], &crs[i]
	got.Source.Chain = relayer.ChainID(cr.SourceChain)
	got.Source.Height, got.Source.TxID = rec.Source.Height, rec.Source.TxID
	if !relayer.SameRecord(got, rec) {
		return fmt.Errorf("%w: the event's record (id %s, chain %q, sequence %d, destination %q, receiver %q, content type %q) differs from the bundle's",
			ErrWrongEvent, got.ID, got.Source.Chain, got.Source.Sequence, got.Destination, got.Receiver, got.ContentType)
	}
	return nil
}
