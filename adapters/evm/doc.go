// Package evm is the relayer side of EVM ledgers (geth, GoQuorum, Besu): it
// reads records from the Outbox, proves them, verifies the proofs, and
// attests records on the Inbox. The contracts and their bindings are in
// adapters/evm/contracts, whose doc states the record ID and digest rules.
//
// A Chain is one connected ledger (NewChain). It hands out the role objects
// of package relayer: Source, Prover (also a TrustBootstrapper), Verifier
// and Destination (also a Preparer). NewVerifier builds the verifier alone,
// for offline checks of exported bundles.
//
// # Trust models
//
// The chain's trust.mode selects how a header, and with it the state root
// that the storage proof is checked against, is trusted. The mode's name is
// the bundle's Evidence.TrustModel and the anchor's Scheme.
//
// qbft, ibft2 (Besu, GoQuorum). The anchor is a proofs/qbft TrustedState:
// height, on-chain hash and validator list of a checkpoint block, built by
// Bootstrap from trust.checkpoint and trust.validators (when the checkpoint
// hash is not configured it is read from the endpoint and a warning is
// logged; configure it to not trust the endpoint for it). A sealed block is
// final, so the final height is the head. The consensus document carries
// the headers from the anchor to the proof block: the proof block's header
// alone when more than two thirds of the anchor's validators sealed it (a
// skip), else every header in between (at most MaxConsensusHeaders), each
// checked with the validator-set rule of qbft.VerifyAdjacent. The verifier
// runs qbft.VerifyChain and returns the state at the proof block as the
// next anchor, so trust advances with every record. The anchor carries the
// checkpoint header's timestamp and trust.trusting_period and
// trust.max_clock_drift: nothing verifies from an anchor older than the
// period (qbft.ErrExpired; the prover's error is relayer.ErrPermanent and
// says to configure a newer trust.checkpoint), and no header may be dated
// after now plus the drift. The chain warns (log, and
// Options.OnTrustExpiring) trust.expiry_warning before its latest anchor
// expires. Assumption: fewer than a third of each validator set is faulty,
// validators that left stay honest for the trusting period, and the
// checkpoint is right; see proofs/qbft for what a light client cannot check
// (whether a vote really reached its majority).
//
// rpc-finality (config mode "finality", for geth and proof-of-stake
// networks without a light client here). The final height is the node's
// "finalized" block when trust.confirmations is 0, else head −
// confirmations. The prover takes the lowest final height over all
// endpoints and asks every endpoint for that header; all must return the
// same hash, and keccak256(RLP(header)) must equal it. The anchor is
// {"chain_id", "genesis"} at height 0 and never advances. What this does
// NOT protect against: endpoints that lie together (run by one party, or
// all fed by one node) can agree on a header that the chain never
// finalized, and the verifier cannot tell, because nothing in the bundle is
// signed by the chain's consensus: it checks only that the header hashes to
// the hash the endpoints agreed on, that the chain id is the anchor's, and
// that the storage proof matches the header's state root. A forged header
// with a forged proof passes the offline check. It also does not protect
// against a finality violation of the chain itself. Every such bundle
// carries a note that says so; a route that must not accept it lists only
// qbft (or ibft2) in proof.accept.
//
// In every mode the verifier then checks, in this order: the bundle's form,
// the anchor (the trusted one, for this chain), the record (Record.Check,
// and the Outbox pin of the chain's own verifier), the claimed address
// (the record's emitter), slot (CommitmentSlot) and value (RecordDigest of
// the record, so a changed destination, receiver, content type or payload
// is caught), the header, and last the account and storage proof
// (proofs/mpt). Each failure is a *relayer.VerifyError naming the Check and
// wrapping relayer.ErrEvidence and the cause. The verifier is pure: no
// network, no clock (now is Verify's argument).
//
// # Source cursor
//
// The Source reads RecordPublished logs of the Outbox with eth_getLogs over
// at most max_block_range blocks per call, only up to the final height. Its
// cursor is
//
//	evm1:<next block>:<log index>:<hash of block next-1, or ->
//
// Logs of block <next block> with an index below <log index> were already
// returned (a batch stopped at its limit in the middle of a block). The
// hash is that of the last fully read block as it was read; every poll
// first checks that the endpoint still serves that hash, and otherwise
// fails with a *relayer.ForkError (relayer.ErrPermanent) that names both hashes:
// the endpoint is on another fork, or finality was violated. Batch.Reached
// is the last fully read block, Batch.Head the final height.
//
// # Error mapping
//
// Foreign errors are translated at the endpoint, in rpc.go; nothing above
// it inspects error text or transport types.
//
//	RPC failure                                   sentinel            may have landed?
//	dial failure, connection refused, missing     relayer.ErrUnavailable  no
//	  IPC socket (any call)
//	HTTP 429 or 503 (any call)                    relayer.ErrUnavailable  no
//	HTTP 5xx other than 503, reset, EOF,          relayer.ErrUnavailable  (reads have no
//	  timeout, closed websocket (reads)                                    effect)
//	JSON-RPC -32002 / -32005 (reads)              relayer.ErrUnavailable  (reads)
//	the same after eth_sendRawTransaction         plain error             yes: the engine asks
//	  may have reached the node                                            Delivered first
//	send: "already known"                         success                 it is in the pool
//	send: "nonce too low", receipt of ours found  success                 it landed
//	send: "nonce too low", no receipt of ours     relayer.ErrNotLanded    no: nonce used
//	send: "replacement underpriced"               relayer.ErrNotLanded    no: another tx holds
//	                                                                       the nonce
//	send: any other refusal (funds, fee, gas)     relayer.ErrNotLanded    no (nonce reused);
//	                                              plain error if an earlier send of it was accepted
//	estimate: revert with data (NotAttestor,      relayer.ErrPermanent    nothing sent
//	  WrongDestination, FieldTooLong, …)
//	estimate: other failure                       fallback gas limit      (logged)
//	receipt with status 0, final                  relayer.ErrNotLanded    reverted (reason
//	                                                                       decoded when given)
//	block above final, receipt not final          relayer.ErrPending
//	endpoints disagree on a final header          relayer.ErrUnavailable  usually transient
//	  (rpc-finality)                                                       near the head; logged
//	a block read as final changed                 *relayer.ForkError             (ErrPermanent)
//
// A Chain with several endpoints runs each operation on the endpoint that
// answered last and moves to the next one only on ErrUnavailable. The
// go-ethereum client redials HTTP per call and redials websocket and IPC
// connections on the next call after a failure; every call is bounded by
// the chain's timeout.
//
// # Nonces
//
// A Chain keeps one nonce manager per signing address; every Destination of
// the Chain shares it, so routes delivering with one key to one chain never
// race for nonces.
//
//   - The first Prepare reads the account's pending nonce; later ones count
//     up in memory under a lock, so concurrent Prepares get distinct,
//     consecutive nonces. Gas and fees are settled before a nonce is taken,
//     so a refused record (ErrPermanent) spends none.
//   - A transaction the node refuses outright hands its nonce back; the next
//     Prepare reuses the lowest such nonce.
//   - "nonce too low" re-reads the pending nonce. A prepared transaction this
//     process does not know (it was prepared before a restart) is tracked
//     when submitted, and fresh nonces move past it.
//   - Replacement: Confirm replaces a transaction that has waited longer
//     than gas.stuck_after at the account's next nonce with the same nonce,
//     gas and call, and fees raised by gas.bump_percent (at least 10%, and
//     at least the current suggestion), and then confirms any of the
//     versions. Replacements are remembered in memory only; after a restart
//     a version unknown to the node is reported ErrNotLanded and the engine
//     asks Delivered. A transaction above a gap is not replaced: it waits
//     for the gap, not for its fee.
//   - Gaps: when transactions of ours wait above the account's nonce and
//     nothing of ours is pending at that nonce (its transaction was
//     prepared but never sent, for example because its record was
//     dead-lettered, or the node dropped it) for longer than
//     gas.stuck_after, Confirm fills the nonce with a zero-value transfer to
//     ourselves and logs it. The transaction prepared for that nonce then
//     fails with ErrNotLanded when submitted, and the engine prepares anew.
//
// Fees: a dynamic-fee transaction (tip from eth_maxPriorityFeePerGas, cap 2
// × base fee + tip) when the head has a base fee, else a legacy transaction
// at eth_gasPrice, which may be zero on free-gas GoQuorum and Besu
// networks. eth_call and eth_estimateGas carry the input as both "data"
// (GoQuorum) and "input".
//
// # Tests
//
// The tests run go-ethereum's simulated backend in process, reached over
// IPC exactly as a real node; blocks are mined by Commit. QBFT and IBFT 2.0
// headers are the simulated chain's headers re-sealed with
// proofs/qbft/qbfttest keys through Options.WrapHeaders, so that the seal
// rules apply while the state roots stay real. testdata/ holds real
// evidence bundles, the seeds of FuzzVerify; regenerate them with
// go test -run TestTestdata -update ./adapters/evm.
package evm
