// Package tendermint is a light client for CometBFT (Tendermint) chains,
// such as Cosmos SDK chains: it verifies headers from their commit
// signatures, starting from a trusted state, with the rules that CometBFT's
// light.Verify and ibc-go's 07-tendermint client apply.
//
// # Trust model
//
// A TrustedState holds what the client trusts about one header: its chain
// ID, height, time, hash, app hash and next validator set, with the trust
// parameters (Params): trusting period, trust level and maximum clock
// drift. It is JSON and is what a relayer persists as its anchor. From it,
// Verify accepts a later header (a LightBlock) if
//
//   - adjacent (one height above): its validator set is the trusted next
//     validator set, and more than 2/3 of that set's voting power signed it;
//   - non-adjacent: validators holding more than the trust level (default
//     1/3) of the trusted next validator set's power signed it, and more
//     than 2/3 of its own set's power signed it;
//
// and in both cases the trusted state has not expired (now is before
// ExpiresAt), the header is of the same chain, later in height and time, and
// not further in the future than the clock drift allows. The assumption is
// CometBFT's: fewer than 1/3 of a validator set are byzantine for the
// trusting period, which must be shorter than the unbonding period, so that
// validators who sign a conflicting header can still be slashed.
//
// Everything the commit signed (the app hash above all) is as trustworthy as
// the signatures; prove store contents against TrustedState.AppHash with
// proofs/ics23. CheckConflict detects two validly signed headers that
// cannot both be on the chain (a fork at one height, or time going
// backwards): the misbehaviour a relayer must halt on.
//
// # Encoding
//
// Untrusted input is protobuf, as CometBFT v0.38 defines it
// (tendermint.types.SignedHeader and ValidatorSet), in the canonical
// encoding gogoproto writes; see LightBlock. Ed25519 and secp256k1
// validator keys are supported. The package computes header hashes,
// validator-set hashes and vote sign bytes itself, from CometBFT's pure
// packages (generated protobuf types, crypto, merkle). CometBFT's types and
// light packages cannot be linked: they pull in net/http and gRPC.
//
// # Check order
//
// Verify checks the trusted state, then expiry, then decodes the header
// (bounded by MaxSignedHeaderSize), then chain ID, monotonicity and clock
// drift, then hashes the header (basic validity), then decodes and hashes
// the validator sets (bounded by MaxValidators), then counts voting power,
// and only then verifies signatures, the one expensive step (in one ed25519
// batch when it can). Cheap checks first, so that a stale, replayed or junk
// header costs almost nothing. Every failure is a *VerifyError whose Reason
// wraps one sentinel of errors.go; see Verify for which check returns which.
//
// The package is pure: no network, no clock (now is an argument), no
// package state (CometBFT's ed25519 keeps a cache of expanded keys, which
// changes nothing but speed).
package tendermint
