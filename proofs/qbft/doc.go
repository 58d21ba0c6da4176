// Package qbft is a light client for QBFT (Hyperledger Besu, GoQuorum) and
// IBFT 2.0 (Besu) chains: it verifies headers from their committed seals,
// starting from a trusted state, without the chain's state or vote history.
//
// # Formats
//
// The extra data of a header is RLP([vanity32, validators, vote, round,
// seals]). ParseExtra and EncodeExtra implement both codecs (see Variant).
// A header's hashes replace the extra data and hash the whole header:
//
//	SealHash  (what each seal signs)  QBFT  [vanity, validators, vote, round, []]
//	                                  IBFT2 [vanity, validators, vote, round]
//	BlockHash (the on-chain hash)     QBFT  [vanity, validators, vote, 0, []]
//	                                  IBFT2 [vanity, validators, vote]
//
// with the vanity, validator, vote and round items copied as the raw RLP the
// header carries. go-ethereum's Header.Hash is wrong for these chains.
//
// # Trust model
//
// The caller supplies a TrustedState: the height, on-chain hash, timestamp
// and validator list of one header it trusts by other means (configuration,
// a previous verification), the vote that header carries, and the trust
// parameters (Params: trusting period and maximum clock drift). From it,
// while it has not expired (now is before ExpiresAt) and for headers dated
// no earlier than it and not in the future of now:
//
//   - VerifyAdjacent accepts the next header if it links to the trusted hash,
//     lists a validator set that the trusted header's vote allows (unchanged,
//     or exactly the voted address added or removed), and carries seals
//     from Quorum(n) = ceil(2n/3) distinct validators of its own list;
//   - VerifySkip accepts any later header that carries a quorum of its own
//     list and seals from more than two thirds of the trusted validators;
//   - VerifyChain applies one or the other to a sequence.
//
// The assumption is the chain's own: fewer than a third of any validator set
// are byzantine. What a light client cannot check, and so trusts to that
// assumption, is documented on VerifyAdjacent (whether a vote reached its
// majority) and VerifySkip (whether validators that left are still honest).
// These chains have no unbonding period, so the trusting period is a policy
// choice: how long after a header its validators are trusted, even if they
// have since left the set.
// Everything a quorum sealed (state root, receipts root, timestamp, ...) is
// as trustworthy as the seals; prove state against the returned header's
// root with proofs/mpt.
//
// Not supported: chains in contract-validator mode (the header lists no
// validators; ErrNoValidators), and the legacy IBFT 1.0 of GoQuorum.
//
// # Check order
//
// The verifiers check the trusted state and its expiry, then the header's
// height, timestamp and parent link, then the size and syntax of the extra data (bounded by
// MaxExtraSize), then the validator-set rule, then seal counts, and only then
// recover signatures, the one expensive step, at most once per listed
// validator. Cheap checks run first so that a junk or replayed header costs
// almost nothing and attacker-sized input is bounded before any real work.
// Every failure is a *VerifyError whose Reason wraps one sentinel of
// errors.go; seal failures also carry a *SealError naming the seal and its
// signer.
//
// The package is pure: no network, no clock (now is an argument), no
// package state. qbfttest seals
// headers with throwaway keys for tests.
package qbft
