// Package mpt verifies Merkle-Patricia proofs of EVM accounts and storage
// slots, as eth_getProof returns them, against a state root the caller
// trusts.
//
// # Trust model
//
// The only trusted input is the root: a state root from a header that a
// light client (proofs/qbft, proofs/ethheader) has verified, or a storage
// root taken from an account this package has proven. Everything else (the
// proof nodes, and the address, slot and value an endpoint claims) is
// untrusted. A nil error means the trie under the root holds exactly the
// returned account or value at the key; ErrAccountAbsent and ErrStorageAbsent
// mean the proof validly shows that nothing is stored there. Presence and
// absence are proven by different functions, so a caller cannot mistake one
// for the other.
//
// A proof must be exact: every node must lie on the path of the key, and no
// node may appear twice. Unused or repeated nodes are rejected rather than
// ignored, so one proof has one meaning (an evidence bundle cannot carry
// smuggled bytes).
//
// # Check order
//
// Every function checks, and fails, in this order:
//
//  1. Shape, without hashing: at most MaxProofNodes nodes of at most
//     MaxNodeSize bytes each (ErrProofInvalid). This bounds all later work
//     by the input size before any of it is done.
//  2. One keccak256 per node, building the set of nodes by hash: duplicates
//     and the absence of a node hashing to the root (ErrProofInvalid).
//  3. The walk from the root along keccak256(key), via go-ethereum's
//     trie.VerifyProof (ErrProofInvalid on a missing or malformed node),
//     then the check that every node was used (ErrProofInvalid).
//  4. Decoding of the leaf (ErrBadLeaf), then the comparison with the wanted
//     value (ErrValueMismatch).
//
// VerifyStorageValue checks the shape of both proofs before hashing either,
// then proves the account, then the slot. Errors are *ProofError values that
// name the step, the root, the key and, when one node is to blame, its index.
//
// The package is pure: no network, no clock, no package state.
package mpt
