package fabric

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/liaison-gw/liaison/relayer"
)

// This file is the adapter's edge: every error of the Fabric Gateway
// client is translated here, and nothing above it inspects gRPC codes or
// message text. See doc.go, "Error mapping", for the table.

// chaincodeErrorPrefix is how the gateway reports an error the chaincode
// returned (shim status 500) in a proposal response.
const chaincodeErrorPrefix = "chaincode response 500, "

// The records chaincode's error classes: every message it returns starts
// with one of these and ": " (adapters/fabric/chaincode/records/errors.go).
const (
	ccConflict         = "conflict"
	ccUnauthorized     = "unauthorized"
	ccInvalid          = "invalid"
	ccWrongDestination = "wrong destination"
	ccNotFound         = "not found"
	ccNotInitialized   = "not initialized"
)

// duplicateTxText is the endorser's refusal of a proposal whose
// transaction ID is already on the ledger.
const duplicateTxText = "duplicate transaction found"

// noSuchTxText is the ledger's answer (through qscc) for a transaction ID
// it does not hold.
const noSuchTxText = "no such transaction ID"

// errTxUnknown means the peer's ledger holds no transaction with the ID.
var errTxUnknown = errors.New("transaction not on the peer's ledger")

// tlsFailureText is gRPC's report of a failed TLS handshake: a
// configuration problem (CA, server name), not an outage.
const tlsFailureText = "authentication handshake failed"

// unknownChannelText is the gateway's answer for a channel the peer has
// not joined.
const unknownChannelText = "failed to get config for channel"

// failure is what a failed gateway call said: the gRPC code and every
// message, the top-level one first, then one per peer (ErrorDetail).
type failure struct {
	code codes.Code
	msgs []string
}

// inspect reads a gateway client error. Errors that carry no gRPC status
// (the context, a signing failure) get codes.Unknown and their text.
func inspect(err error) failure {
	st, ok := status.FromError(err)
	if !ok {
		return failure{code: codes.Unknown, msgs: []string{err.Error()}}
	}
	f := failure{code: st.Code(), msgs: []string{st.Message()}}
	for _, d := range st.Details() {
		if ed, ok := d.(*gateway.ErrorDetail); ok {
			f.msgs = append(f.msgs, ed.GetMessage())
		}
	}
	return f
}

// chaincodeClass returns the error class of the first chaincode error in
// f ("conflict", "unauthorized", ...), and its message; "" when no peer
// reports a chaincode error of the records chaincode.
func (f failure) chaincodeClass() (class, msg string) {
	for _, m := range f.msgs {
		i := strings.Index(m, chaincodeErrorPrefix)
		if i < 0 {
			continue
		}
		m = m[i+len(chaincodeErrorPrefix):]
		for _, c := range []string{ccConflict, ccUnauthorized, ccInvalid, ccWrongDestination, ccNotFound, ccNotInitialized} {
			if strings.HasPrefix(m, c+": ") {
				return c, m
			}
		}
		return "", m
	}
	return "", ""
}

// contains reports whether any message contains s.
func (f failure) contains(s string) bool {
	for _, m := range f.msgs {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// text is the messages on one line.
func (f failure) text() string {
	out := make([]string, 0, len(f.msgs))
	for _, m := range f.msgs {
		if m = strings.TrimSpace(m); m != "" && (len(out) == 0 || !strings.Contains(out[len(out)-1], m)) {
			out = append(out, strings.ReplaceAll(m, "\n", " "))
		}
	}
	return strings.Join(out, "; ")
}

// transient reports a failure that says "not now": the peer could not be
// reached, timed out or shed load, or (evaluate) the chaincode process
// did not answer.
func (f failure) transient() bool {
	switch f.code {
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted:
		return !f.contains(unknownChannelText) && !f.contains(tlsFailureText)
	}
	return false
}

// readError translates the failure of a query (evaluate, block events):
// queries have no effect, so anything transient wraps
// relayer.ErrUnavailable; everything else is a plain error naming the peer.
func readError(ctx context.Context, ep *endpoint, what string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("peer %s: %s: %w", ep.addr, what, ctx.Err())
	}
	f := inspect(err)
	switch {
	case f.contains(noSuchTxText):
		return fmt.Errorf("%w: peer %s: %s: %s", errTxUnknown, ep.addr, what, f.text())
	case f.contains(tlsFailureText):
		return fmt.Errorf("peer %s: %s: the TLS handshake failed (check tls_ca and server_name): %s", ep.addr, what, f.text())
	case f.transient(), f.code == codes.Aborted, f.code == codes.Canceled:
		return fmt.Errorf("%w: peer %s: %s: %s", relayer.ErrUnavailable, ep.addr, what, f.text())
	case f.contains(unknownChannelText):
		return fmt.Errorf("peer %s: %s: the peer has not joined the channel (%s)", ep.addr, what, f.text())
	}
	if class, msg := f.chaincodeClass(); msg != "" {
		if class == ccNotInitialized {
			return fmt.Errorf("%w: peer %s: %s: the chaincode is not initialized yet: %s", relayer.ErrUnavailable, ep.addr, what, msg)
		}
		return fmt.Errorf("peer %s: %s: chaincode error: %s", ep.addr, what, msg)
	}
	return fmt.Errorf("peer %s: %s: %s", ep.addr, what, f.text())
}

// evaluate runs a query of contract on ep, bounded by the evaluate
// timeout, and translates its error.
func (c *Chain) evaluate(ctx context.Context, ep *endpoint, contract *client.Contract, fn string, args ...string) ([]byte, error) {
	ectx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.Evaluate)
	defer cancel()
	out, err := contract.EvaluateWithContext(ectx, fn, client.WithArguments(args...))
	if err != nil {
		return nil, readError(ctx, ep, contract.ChaincodeName()+" "+fn, err)
	}
	return out, nil
}

// endorseOutcome is how Submit must treat a failed endorsement.
type endorseOutcome uint8

const (
	// endorseRetry: nothing was ordered; the peers could not be reached
	// or shed load, or the chaincode is not ready (relayer.ErrUnavailable).
	endorseRetry endorseOutcome = iota + 1
	// endorseRefused: the chaincode refused the record by rule
	// (relayer.ErrPermanent).
	endorseRefused
	// endorseDuplicate: the transaction ID is already on the ledger; ask
	// for its validation code.
	endorseDuplicate
	// endorseFailed: another endorsement failure (the peers disagree, the
	// policy cannot be met, a proposal the peers refuse). Nothing was
	// ordered; a plain error spends an attempt.
	endorseFailed
)

// classifyEndorse sorts a failed Endorse call. An EndorseError promises
// that nothing was sent to the orderer.
func classifyEndorse(err error) (endorseOutcome, failure) {
	f := inspect(err)
	if f.contains(duplicateTxText) {
		return endorseDuplicate, f
	}
	switch class, _ := f.chaincodeClass(); class {
	case ccConflict, ccUnauthorized, ccInvalid, ccWrongDestination:
		return endorseRefused, f
	case ccNotInitialized:
		return endorseRetry, f
	}
	if f.transient() {
		return endorseRetry, f
	}
	return endorseFailed, f
}
