// Package ethheader decodes Ethereum block headers from RLP or from the JSON
// of eth_getBlockByNumber, and checks a header against a trusted hash.
//
// # Trust model
//
// The package trusts nothing it is given. VerifyHeaderHash binds a header to a
// hash that the caller already trusts (from a light client, a finality
// check, a configured checkpoint); once it returns nil, every header field
// (stateRoot, receiptsRoot, ...) is as trustworthy as that hash. Decoding alone
// proves nothing: DecodeRPCHeader returns the "hash" an endpoint claims next to
// the header so that the caller can compare the two, and the claim is only as
// good as the endpoint.
//
// The hash rule here is go-ethereum's, keccak256(RLP(header)), which holds for
// proof-of-work, proof-of-stake and Clique chains. It does NOT hold for QBFT
// or IBFT 2.0 (Besu, GoQuorum), whose on-chain hash leaves the committed seals
// out of the extra data: use proofs/qbft.BlockHash there.
//
// # Check order
//
// VerifyHeaderHash checks that the header is present and has a number, then
// hashes it once. The decoders bound nothing themselves beyond what the RLP
// and JSON decoders do; callers read RPC bodies through a size limit.
//
// The package is pure: no network, no clock, no package state.
package ethheader
