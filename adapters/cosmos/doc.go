// Package cosmos is the relayer side of Cosmos SDK ledgers that run the
// Liaison records module (adapters/cosmos/module, an IBC v2 application on
// port "records"; its README states the packet format, events and store
// keys this package relies on). It reads the records a chain publishes,
// proves them with a light client, verifies the proofs, and delivers
// records from other ledgers into the chain over IBC v2.
//
// A Chain is one connected chain (NewChain): one or more full nodes, each
// reached over CometBFT RPC (light blocks, store proofs, blocks,
// transactions) and gRPC (module, auth and ibc queries, simulation).
// NewChain checks every node's chain id and that the module's chain_name
// parameter is the chain's agreed name. The Chain hands out the role
// objects of package relayer: Source, Prover (also a TrustBootstrapper),
// Verifier and Destination. NewVerifier builds the verifier alone, for
// offline checks of exported bundles. SetupClient creates the gateway's
// client (see "Delivery" below); `liaison cosmos setup-client` runs it.
//
// # Trust model "tendermint"
//
// The anchor (Anchor.Scheme "tendermint") is a proofs/tendermint
// TrustedState: chain id, height, time, hash, app hash and next validator
// set of one header, with the trust parameters (trusting period, trust
// level, clock drift). Bootstrap builds it from trust.height and
// trust.hash: it reads the light block at that height from a node and
// accepts it only if the header hashes to the configured hash and more
// than two thirds of its validator set signed it. The hash comes from the
// configuration, never from the node. It warns when the trusting period is
// not shorter than the staking module's unbonding period, and refuses a
// configured block that is already older than the trusting period.
//
// Evidence for a record has two parts:
//
//   - Inclusion: the ICS-23 proof (IAVL, then the multistore) that the
//     "records" store held the record's permanent value, key 0x06 ‖ id, at
//     store version H. The module writes that value, the record's JSON,
//     once in the publishing transaction and never changes or deletes it.
//     The IBC v2 packet commitment that also carries the record is not
//     used: ibc-go deletes it on acknowledgement or timeout, so a proof of
//     it would depend on when it was taken, and it proves nothing the value
//     does not.
//   - Consensus: the light blocks that take the light client from the
//     anchor to the header at H+1, whose app hash is the root of state H.
//     The prover proves at the newest possible version (the node's latest
//     height minus one), skips from the anchor when more than the trust
//     level of the anchor's validators signed the head, and bisects
//     otherwise (at most MaxLightBlocks light blocks). Validator sets are
//     carried normalized (no proposer, no priorities), so a bundle has one
//     encoding.
//
// The verifier checks, in this order: form, anchor (digest, chain, state),
// record (Record.Check, emitter "records"), inclusion (store and key; the
// value must decode with the module's rules to exactly the record, so a
// changed destination, receiver, content type or payload is caught), the
// light blocks with tendermint.Verify from the anchor at the caller's now
// (this is where an expired anchor, a forged header or app hash, a wrong
// validator set or too little voting power fail), and last the ICS-23
// proof against the final header's app hash (proofs/ics23). Each failure is
// a *relayer.VerifyError naming the Check and wrapping relayer.ErrEvidence and the
// cause. It returns the light client's state at H+1 as the next anchor, so
// trust moves forward with every record and the trusting period restarts.
// An exported bundle stays checkable offline only within the trusting
// period of its anchor: `liaison evidence verify --at` checks it as of an
// earlier time.
//
// The chain warns (log, and Options.OnTrustExpiring) when its newest
// trusted header expires within trust.expiry_warning; the check runs on
// every poll and proof. A chain that publishes nothing for a whole trusting
// period lets its anchor expire: proofs then fail with relayer.ErrPermanent
// wrapping tendermint.ErrExpired until trust.height and trust.hash are set
// to a recent block (the engine takes a configured anchor that is higher
// than the stored one).
//
// Misbehaviour. Before it proves, the prover compares the node's block at
// the anchor's height with the anchor; when they differ and the node's next
// header is signed by the anchor's next validators, those validators signed
// a block on top of another block than the trusted one. While it walks the
// light blocks it checks that every adjacent header's parent is the
// trusted block. With more than one node it fetches the head from every
// other node (a witness) and, when a witness serves another header that
// the light client also accepts from the anchor, that is a fork
// (tendermint.CheckConflict). Each case is a *MisbehaviourError
// (relayer.ErrPermanent and tendermint.ErrConflict) after which the Chain
// is halted: every later Poll and Prove returns it until the process
// restarts. A witness that is behind, unreachable or serves headers the
// light client rejects is logged and ignored.
//
// Assumptions: fewer than a third (the trust level) of each trusted
// validator set is byzantine within the trusting period, the trusting
// period is shorter than the unbonding period, and the configured block is
// right. What the light client cannot tell: that validators holding more
// than two thirds of the power did not sign a false state transition
// (every light client trusts that), and whether the records module the
// chain runs is the published one.
//
// # Source cursor
//
// The Source reads records by sequence, from the state at the newest
// height H whose proof can be checked (latest minus one, since a proof of
// version H needs the header at H+1): the module's next sequence at H,
// then each new record with PublishedBySequence at H, and the publishing
// transaction's hash from the liaison.record_published event in the
// record's block. Its cursor is
//
//	cosmos1:<next sequence>:<height read>:<block hash at that height>
//
// Every poll first checks that the node still serves that hash at that
// height; otherwise it fails with a *relayer.ForkError (relayer.ErrPermanent).
// Records the selector does not select, and records sent on another IBC
// client than gateway.client_id (when set), are skipped. Batch.Head is H;
// Batch.Reached is H when every record was read, else the height of the
// last record returned.
//
// # Delivery
//
// Records from other ledgers enter the chain as IBC v2 packets from the
// gateway: the chain holds an 06-solomachine client (gateway.client_id)
// whose public key is the attestor key, or a LegacyAminoPubKey threshold
// multisig of the departments' attestor keys, with a registered
// counterparty (gateway.counterparty_client_id, prefix ["ibc", ""]). The
// packet's source client is that counterparty id, whatever ledger the
// record came from (its source chain is in the record JSON); its sequence
// is PacketSequence(id), the first 8 bytes of the record ID, so every
// submission of one record is the same packet to the chain's receipts; it
// has one payload (ports "records", version "liaison-records-1", encoding
// "application/json", value the record JSON) and times out
// gateway.packet_timeout (at most 24 h) after submission.
//
// Submit reads the client state (sequence, timestamp, key; a frozen client
// or another key is relayer.ErrPermanent) and the account from the chain,
// signs the solomachine proof (TimestampedSignatureData over SignBytes of
// the commitment path and CommitPacket(packet), with the timestamp now or
// the client's if that is later, so it never decreases), dry-runs
// MsgRecvPacket, and only then signs and broadcasts the transaction (with
// a timeout height 50 blocks ahead) and waits up to
// gateway.inclusion_timeout for its block. Each proof uses up one
// solomachine sequence, so one Chain serializes its submissions, and
// state is read from the chain before every signature: a restart needs
// nothing remembered. Two processes delivering through one client would
// race for sequences (one transaction fails and is retried); run one per
// client.
//
// Confirm reads the transaction: in a block (CometBFT blocks are final)
// with the module's success acknowledgement naming the record is nil; an
// error acknowledgement is relayer.ErrPermanent with the module's reason
// from its ibccallbackerror-liaison.record_refused event, except "record
// already delivered", which is relayer.ErrNotLanded like a packet the chain
// had already received (a no-op) and a transaction that failed or passed
// its timeout height: the engine then asks Delivered, the module's
// Delivered query (NotFound is false; a delivered record with the same ID
// but other content is relayer.ErrPermanent).
//
// Timeouts: a packet whose timeout passed before its block fails (or is
// refused in the dry run) with nothing written, not even a receipt, so the
// next submission of the record is received with a fresh timeout. The
// gateway side has no state to clean up, so no MsgTimeout is needed for
// deliveries. Packets the records module sends to the gateway (every
// published record) are neither acknowledged nor timed out by Liaison:
// their commitments stay in the ibc store, which costs nothing and which
// the evidence does not use.
//
// The destination is not a relayer.Preparer. A prepared transaction would
// fix the account sequence and the solomachine sequence and timestamp at
// preparation; any other submission in between (another route, another
// record) makes it unlandable, so a crash-resumed copy would mostly fail
// and be prepared again. It would add no safety either: the packet
// sequence is the same for every submission of a record, the chain
// receives a packet sequence once, the module refuses a record ID
// delivered before, and the engine asks Delivered before it submits again.
//
// # M-of-N attestors
//
// With gateway.multisig the client's key is LegacyAminoPubKey{threshold M,
// the N public keys in order}; setup-client creates it so. Every proof then
// needs M signatures over the same SignBytes. This package signs with the
// keys it holds (gateway.attestor_keys, each a member) and assembles the
// MultiSignatureData from the first M in member order; Destination refuses
// to start when it holds fewer than M.
//
// In a real deployment each department holds one key, so the signatures
// must be collected. The design: the department that submits (the
// coordinator) sends every co-signer the delivery (record and evidence
// bundle) and the proposed SignBytes (client sequence and timestamp read
// from the chain, diversifier, commitment path, packet commitment) and the
// packet. Each co-signer runs its own liaison verifier against its own
// trusted anchor of the source chain, recomputes the packet and its
// commitment from the record (the packet sequence follows from the ID; it
// checks the source client, ports, version and a timeout within its
// limit), checks that the sequence is the client's current one, signs
// SignBytes with its key, and records that it signed that sequence so it
// never signs two packets for one sequence. The coordinator adds the
// signatures by member index and submits. If the client's sequence moved
// meanwhile (another coordinator), the transaction fails and the round is
// repeated. A co-signer that refuses (the evidence does not verify for
// it) withholds its signature, which is the point of M of N. This
// collection protocol is not implemented here.
//
// # Error mapping
//
// Foreign errors are translated at the node, in node.go, tx.go and
// destination.go; nothing above inspects error text or transport types.
//
//	failure                                            sentinel                may have landed?
//	RPC or gRPC transport failure, gRPC Unavailable,   relayer.ErrUnavailable  no (reads); a
//	  DeadlineExceeded, ResourceExhausted                                       broadcast only when
//	                                                                             the dial failed
//	"version does not exist", height not reached yet   relayer.ErrUnavailable  (reads)
//	gRPC NotFound (Delivered query)                    not delivered           -
//	broadcast: other transport failure                 plain error             yes: the engine asks
//	                                                                             Delivered first
//	CheckTx code sdk/19 (already in mempool),          success                 it is in the mempool
//	  RPC "tx already exists in cache"
//	CheckTx sdk/32 (account sequence), sdk/20 (full)   relayer.ErrUnavailable  no (a tx of ours is
//	                                                                             pending, or later)
//	CheckTx other refusal, simulation refusal          relayer.ErrNotLanded    no
//	dry run: module refuses the record                 relayer.ErrPermanent    no (nothing sent)
//	dry run or block: already received / delivered     relayer.ErrNotLanded    it was before: the
//	                                                                             engine asks Delivered
//	transaction failed in its block (timeout elapsed,  relayer.ErrNotLanded    no
//	  proof refused)
//	transaction unknown past its timeout height        relayer.ErrNotLanded    no, never
//	transaction unknown before it                      relayer.ErrPending      -
//	client frozen, other key, no counterparty,         relayer.ErrPermanent    nothing sent
//	  unfunded account
//	expired anchor, record not in the store, too       relayer.ErrPermanent    (proving)
//	  many light blocks
//	light blocks a node serves that do not verify      plain error             (proving; retried)
//	misbehaviour                                       *MisbehaviourError      (halts the chain)
//	a block read by the source changed                 *relayer.ForkError              (ErrPermanent)
//
// A Chain with several nodes runs each operation on the node that answered
// last and moves to the next one only on ErrUnavailable; every call is
// bounded by the chain's timeout.
//
// # Tests
//
// Unit tests run without any node: the prover against synthetic CometBFT
// chains in process (real headers and commits signed by ed25519
// validators that can rotate, and a real SDK multistore whose commit
// hashes are the app hashes, so the ICS-23 proofs are real), for skips,
// bisection, expiry, forks and faulty witnesses; the verifier against real
// bundles in testdata/, produced on a liaison-simd devnet, with corruptions
// of one byte or one field (FuzzVerify is seeded from them). Tests with
// the build tag e2e bring up e2e/cosmos/devnet.sh and run the Source,
// Prover, Destination (single key and 2-of-3 multisig) and SetupClient
// against the real node; regenerate testdata with
//
//	go test -tags e2e ./adapters/cosmos -run TestTestdata -update
package cosmos
