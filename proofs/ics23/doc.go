// Package ics23 verifies ICS-23 proofs of the stores of a Cosmos SDK chain,
// above all its IBC store, against an app hash, and computes the IBC v2
// (ibc-go v10) packet keys and commitments that such proofs are about.
//
// # Trust model
//
// The only trusted input is the app hash: the AppHash of a header that a
// light client (proofs/tendermint) has verified. A proof of the store at
// version H verifies against the app hash of header H+1, because a header
// carries the state root after the previous block. Everything else (the
// proof bytes, and the key and value an endpoint claims) is untrusted.
//
// A proof is two chained ICS-23 proofs, as ibc-go's MerkleProof holds them:
// an IAVL proof of the key in a store (for IBC, "ibc"), whose root is the
// value of a simple-Merkle proof of the store's name in the multistore,
// whose root must be the app hash. The specs are ibc-go's GetSDKSpecs
// (ics23.IavlSpec, then ics23.TendermintSpec). VerifyMembership proves
// presence with a value, VerifyNonMembership absence; they are different
// functions, so a caller cannot mistake one for the other.
// VerifyPacketCommitment and VerifyPacketAbsence are the same for the IBC
// store.
//
// The package is pure: no network, no clock, no package state. It links
// only github.com/cosmos/ics23/go and protobuf wire decoding, not ibc-go,
// whose commitment types pull in gRPC.
package ics23
