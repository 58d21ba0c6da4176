package records

import "errors"

// Every error a transaction function returns wraps exactly one of these
// sentinels, and its message starts with the sentinel's text followed by
// ": ". Fabric only carries the message to the client, so the relayer's
// Fabric adapter classifies a failure by that prefix. Every one of them means
// the transaction did nothing: Fabric discards the writes of a transaction
// whose chaincode returned an error.
var (
	// ErrConflict: an attestation for a record ID disagrees with what the
	// Inbox already holds for it, either the digest it delivered or the
	// digest the same attestor voted for earlier. Permanent: retrying
	// cannot succeed; an operator must look at the record.
	ErrConflict = errors.New("conflict")
	// ErrUnauthorized: the caller is not an admin of an admin MSP (admin
	// functions), or not a configured attestor (Attest). Permanent for this
	// identity.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrInvalid: an argument is malformed or inconsistent (bad hex or
	// base64, an ID or payload hash that does not follow from the record's
	// fields, a threshold out of range). Permanent for these arguments.
	ErrInvalid = errors.New("invalid")
	// ErrWrongDestination: the record is addressed to another chain than
	// this Inbox's. Permanent: the route is misconfigured.
	ErrWrongDestination = errors.New("wrong destination")
	// ErrNotFound: a query names a record or attestor this chaincode does
	// not hold.
	ErrNotFound = errors.New("not found")
	// ErrNotInitialized: Init has not run yet. Retrying after an admin runs
	// Init can succeed.
	ErrNotInitialized = errors.New("not initialized")
	// ErrAlreadyInitialized: Init ran before; the configuration is set once.
	ErrAlreadyInitialized = errors.New("already initialized")
)
