// Package relayertest has in-memory fakes of the relayer's chain-facing
// interfaces, for unit tests of the core only. Real chains are tested with
// real nodes and in-process chains in the adapters and e2e.
package relayertest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// Chain is a fake source ledger. Records are final as soon as published.
// Its consensus is an HMAC key: the anchor carries the key, the prover
// "signs" commitments with it and the verifier checks the MAC.
type Chain struct {
	ID      relayer.ChainID
	Emitter []byte
	Key     []byte
	// Clock gives the commit time (Record.Source.Time) of each published
	// record; nil means time.Now. A clock that returns the zero time makes
	// a source that cannot tell.
	Clock func() time.Time

	mu      sync.Mutex
	records []relayer.Record
	pollErr error
	down    atomic.Bool
	// Polls counts Poll calls, failed ones included.
	Polls atomic.Int64
}

var (
	_ relayer.Source            = (*Source)(nil)
	_ relayer.Prover            = (*Prover)(nil)
	_ relayer.TrustBootstrapper = (*Prover)(nil)
	_ relayer.Verifier          = Verifier{}
	_ relayer.Destination       = (*Destination)(nil)
	_ relayer.Preparer          = (*PreparingDestination)(nil)
)

// NewChain returns an empty fake chain.
func NewChain(id relayer.ChainID) *Chain {
	return &Chain{ID: id, Emitter: []byte("outbox:" + string(id)), Key: []byte("consensus-key:" + string(id))}
}

// Publish appends n records addressed to dest and returns them.
func (c *Chain) Publish(dest relayer.ChainID, n int) []relayer.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]relayer.Record, 0, n)
	now := time.Now
	if c.Clock != nil {
		now = c.Clock
	}
	for range n {
		seq := uint64(len(c.records) + 1)
		payload := []byte(fmt.Sprintf(`{"licence":%d}`, seq))
		id, _ := relayer.ComputeRecordID(c.ID, c.Emitter, seq)
		r := relayer.Record{
			ID: id,
			Source: relayer.SourceRef{Chain: c.ID, Height: relayer.Height(seq), TxID: fmt.Sprintf("src-tx-%d", seq),
				Emitter: append([]byte(nil), c.Emitter...), Sequence: seq, Time: now().UTC().Round(0)},
			Destination: dest, Receiver: "inbox", ContentType: "application/json",
			Payload: payload, PayloadHash: relayer.PayloadDigest(payload),
		}
		c.records = append(c.records, r)
		out = append(out, r)
	}
	return out
}

// SetDown makes every call to the chain fail with ErrUnavailable.
func (c *Chain) SetDown(down bool) { c.down.Store(down) }

// Len returns the number of published records.
func (c *Chain) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.records)
}

// Source reads the chain. The cursor is the count of records read.
type Source struct{ Chain *Chain }

// Poll implements relayer.Source.
func (s *Source) Poll(ctx context.Context, after relayer.Cursor, limit int) (relayer.Batch, error) {
	s.Chain.Polls.Add(1)
	if s.Chain.down.Load() {
		return relayer.Batch{}, fmt.Errorf("%w: fake chain %s is down", relayer.ErrUnavailable, s.Chain.ID)
	}
	start := 0
	if after != "" {
		n, err := strconv.Atoi(string(after))
		if err != nil {
			return relayer.Batch{}, fmt.Errorf("bad cursor %q", after)
		}
		start = n
	}
	s.Chain.mu.Lock()
	defer s.Chain.mu.Unlock()
	if s.Chain.pollErr != nil {
		return relayer.Batch{}, s.Chain.pollErr
	}
	end := min(len(s.Chain.records), start+limit)
	recs := append([]relayer.Record(nil), s.Chain.records[start:end]...)
	return relayer.Batch{Records: recs, Next: relayer.Cursor(strconv.Itoa(end)), Reached: relayer.Height(end), Head: relayer.Height(len(s.Chain.records))}, nil
}

// Commitment is the fake ledger's commitment to a record.
func Commitment(r *relayer.Record) []byte {
	h := sha256.New()
	h.Write(r.ID[:])
	h.Write([]byte(r.Destination))
	h.Write([]byte{0})
	h.Write([]byte(r.Receiver))
	h.Write([]byte{0})
	h.Write([]byte(r.ContentType))
	h.Write(r.PayloadHash[:])
	return h.Sum(nil)
}

type anchorState struct {
	Key string `json:"key"`
}

type inclusion struct {
	Commitment string `json:"commitment"`
}

type consensus struct {
	MAC string `json:"mac"`
}

// Prover proves records of a fake chain. Forge, when set, makes it return
// evidence with a wrong MAC for the records it selects.
type Prover struct {
	Chain *Chain
	Forge func(*relayer.Record) bool
	Calls atomic.Int64
}

// Bootstrap implements relayer.TrustBootstrapper.
func (p *Prover) Bootstrap(ctx context.Context) (relayer.Anchor, error) {
	st, _ := json.Marshal(anchorState{Key: hex.EncodeToString(p.Chain.Key)})
	return relayer.NewAnchor(p.Chain.ID, "fake-hmac", p.Chain.Emitter, 0, st)
}

// Prove implements relayer.Prover.
func (p *Prover) Prove(ctx context.Context, rec *relayer.Record, trusted relayer.Anchor) (*relayer.Evidence, error) {
	p.Calls.Add(1)
	if p.Chain.down.Load() {
		return nil, fmt.Errorf("%w: fake chain %s is down", relayer.ErrUnavailable, p.Chain.ID)
	}
	c := Commitment(rec)
	mac := hmac.New(sha256.New, p.Chain.Key)
	mac.Write(c)
	sum := mac.Sum(nil)
	if p.Forge != nil && p.Forge(rec) {
		sum[0] ^= 1
	}
	inc, _ := json.Marshal(inclusion{Commitment: hex.EncodeToString(c)})
	con, _ := json.Marshal(consensus{MAC: hex.EncodeToString(sum)})
	return &relayer.Evidence{
		Version: relayer.EvidenceVersion, Ledger: LedgerFake, TrustModel: "fake-hmac", Record: *rec,
		Inclusion: inc, Consensus: con, Anchor: trusted, ProvenAt: time.Unix(0, 0).UTC(),
	}, nil
}

// Verifier checks fake evidence.
type Verifier struct{}

// LedgerFake is the ledger kind of fake evidence.
const LedgerFake relayer.Ledger = "fake"

// Ledger implements relayer.Verifier.
func (Verifier) Ledger() relayer.Ledger { return LedgerFake }

// TrustModels implements relayer.Verifier: one model, whose "consensus" is
// an HMAC under the chain's key.
func (Verifier) TrustModels() []relayer.TrustModel {
	return []relayer.TrustModel{{Name: "fake-hmac", Scheme: "fake-hmac", Consensus: true, Checked: "an HMAC of the commitment under the fake chain's key"}}
}

// Verify implements relayer.Verifier.
func (Verifier) Verify(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	var (
		st  anchorState
		inc inclusion
		con consensus
	)
	if err := json.Unmarshal(trusted.State, &st); err != nil {
		return relayer.Anchor{}, fmt.Errorf("%w: anchor: %v", relayer.ErrEvidence, err)
	}
	if err := json.Unmarshal(ev.Inclusion, &inc); err != nil {
		return relayer.Anchor{}, fmt.Errorf("%w: inclusion: %v", relayer.ErrEvidence, err)
	}
	if err := json.Unmarshal(ev.Consensus, &con); err != nil {
		return relayer.Anchor{}, fmt.Errorf("%w: consensus: %v", relayer.ErrEvidence, err)
	}
	want := Commitment(&ev.Record)
	if hex.EncodeToString(want) != inc.Commitment {
		return relayer.Anchor{}, fmt.Errorf("%w: commitment does not match the record", relayer.ErrEvidence)
	}
	key, _ := hex.DecodeString(st.Key)
	mac := hmac.New(sha256.New, key)
	mac.Write(want)
	got, _ := hex.DecodeString(con.MAC)
	if !hmac.Equal(mac.Sum(nil), got) {
		return relayer.Anchor{}, fmt.Errorf("%w: consensus MAC is not the trusted key's", relayer.ErrEvidence)
	}
	return trusted, nil
}

// FailPoll, when set, is returned by every Poll of sources of the chain.
func (c *Chain) FailPoll(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pollErr = err
}
