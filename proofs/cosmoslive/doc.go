// Package cosmoslive holds no code. Its tests run proofs/tendermint and
// proofs/ics23 against in-process ibc-go v10 chains (ibc-go's testing
// package: simapp, real validators, real IBC v2 packets), compare them with
// CometBFT's light.Verify and ibc-go's MerkleProof, and regenerate the
// verifiers' testdata:
//
//	go test ./proofs/cosmoslive -update
//
// They live apart from the verifier packages so that those packages' own
// tests, fuzz targets and benchmarks do not link the Cosmos SDK: a test
// binary that does is about fifty times slower to fuzz, because coverage
// instrumentation covers every linked package.
package cosmoslive
