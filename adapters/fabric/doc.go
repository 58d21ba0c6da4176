// Package fabric is the relayer side of Hyperledger Fabric: it reads the
// records the Liaison records chaincode publishes, proves them with the
// channel's own signatures, verifies those proofs, and attests records on
// the chaincode's Inbox. The chaincode is adapters/fabric/chaincode (its own
// module), whose doc states the record ID rule, the digest rule
// (RecordDigest here), the state key (StateKey) and the events.
//
// A Chain is one connected channel (NewChain): gRPC with TLS to one or more
// gateway peers (Fabric 2.4+ Gateway service, through fabric-gateway
// pkg/client), as one client identity (X.509 certificate and private key
// of an MSP). NewChain asks every peer for the chaincode's GetConfig and
// refuses a chaincode initialized with another chain name than the
// configured one, or under another chaincode name: both are hashed into
// record IDs. It hands out the role objects of package relayer: Source,
// Prover (also a TrustBootstrapper), Verifier and Destination (also a
// Preparer). NewVerifier builds the verifier alone, for offline checks of
// exported bundles (`liaison evidence verify`).
//
// # Trust model "fabric-orderer+endorsement"
//
// The anchor (scheme "fabric-config", AnchorState) is a channel config
// block the operator trusts (trust.config_block, typically the genesis
// block as `peer channel fetch 0` writes it), reduced by proofs/fabric to
// what verification reads (MSP root CAs, orderer organizations and BFT
// consenters, the BlockValidation policy, each application org's
// Endorsement policy), plus the chaincode's name and its endorsement
// policy (trust.endorsement_policy: "majority", "any", "all" or a
// signature policy expression). Fabric keeps chaincode endorsement
// policies in the chaincode definitions, not in the channel config, so the
// operator states the policy, and it belongs to the anchor: its digest
// pins it, and an offline verifier that holds the anchor knows the policy
// without trusting the bundle's author. The anchor's height is the config
// block's number.
//
// The evidence of a record is the block that holds its transaction, byte
// for byte as the peer stores it (qscc GetBlockByTxID), and the
// transaction's index (Inclusion); plus the config blocks between the
// anchor's and the one the block was cut under, if the channel config
// changed, with the anchor's own config block (Consensus; at most
// MaxConfigBlocks). The verifier, pure (no network, no clock), checks with
// proofs/fabric:
//   - each config block is signed by the orderers under the config before
//     it, and its config update is one a Fabric peer accepts: made against
//     that config, each changed element one version up and authorized by
//     the admins its mod_policy names (so one orderer key cannot rewrite
//     the config, as Raft's "ANY Writers" block policy would allow), with
//     exactly the block's config as the result; the first is checked
//     against the anchor's full config, from the anchor's config block
//     (whose hash the anchor pins). The last one becomes the trusted
//     config (and the next anchor, returned by Verify);
//   - the block's header is signed by orderers of that config as its
//     BlockValidation policy (and for BFT the quorum) requires, its data
//     hash covers its envelopes, and its signed last-config index is that
//     config block;
//   - the transaction's creator signature and transaction ID, each
//     endorsement's signature by a peer of a channel MSP, and that the
//     endorsers satisfy the anchor's endorsement policy;
//   - the peers' validation flag of the transaction is VALID;
//   - the transaction writes StateKey(id) = RecordDigest(record) in the
//     chaincode's namespace, and its chaincode event is the chaincode's
//     RecordPublished event of exactly this record, or its
//     RecordsPublished event (PublishRecords) listing this record once.
//
// The validation flags (block metadata TRANSACTIONS_FILTER) are the one
// input nobody signs: whoever serves the block can flip them. A flag
// flipped to VALID on a transaction the endorsers did not approve (for
// example endorsed by one org where the policy needs two) is caught by the
// endorsement-policy re-check, which is the compensation. What no
// single-block proof can catch is an endorsed transaction that lost its
// MVCC check to a conflicting one (two publishes that took the same
// sequence in one block): its flag says MVCC_READ_CONFLICT, and a source
// that flips it presents a record with a taken ID but other content. The
// destination side limits the damage (the Inbox counts votes per digest, so
// one lying attestor cannot deliver it), but the bundle alone cannot rule
// it out. PublishRecords widens this: an endorsed PublishRecords that lost
// its MVCC check carries up to MaxPublishBatch records, and those whose
// sequences were never taken by a valid transaction would not even collide
// with a record delivered before. The stronger check, a GetCommitment query endorsed by peers of M
// organisations (signed proposal responses that state the committed
// digest), is NOT implemented; each bundle carries a note that says so.
//
// Trust assumption: the configured config block is the channel's, the
// ordering service is honest to its BlockValidation policy, and the
// endorsement policy is the chaincode's.
//
// Blocks cut under an older config than the current anchor (a record
// proven after the anchor moved past its block) are proven against the
// anchor of that older config, which the prover rebuilds from the peer's
// config block; the engine accepts it only if it trusted exactly that
// anchor before. Records in blocks before trust.config_block cannot be
// proven: keep start_block above it, or anchor at the genesis block.
//
// # Source cursor
//
// The Source reads blocks through the peer's block event stream
// (client.WithStartBlock) from its cursor, but never beyond the ledger
// height it asked for first (qscc GetChainInfo), so a Poll returns as soon
// as it has read what exists (at most 500 blocks). A committed Fabric block
// is final. Of each block it takes the transactions the peer flagged VALID
// whose chaincode event is the configured chaincode's RecordPublished:
// Source.Height is the block number, Source.TxID the transaction ID,
// Source.Emitter the chaincode name's bytes. The cursor is
//
//	fab1:<next block>:<tx index>:<hex hash of block next-1, or ->
//
// Transactions of block <next block> with an index below <tx index> were
// already returned (a batch that stopped at its limit in the middle of a
// block). Every block read must link to the hash of the block before it,
// the first one to the hash in the cursor; otherwise the peer serves
// another ledger and Poll fails with a *relayer.ForkError (relayer.ErrPermanent).
//
// # Error mapping
//
// Foreign errors are translated at the edge, in gateway.go; nothing above
// it inspects gRPC codes or message text. "Might it still commit?" is the
// question the engine needs answered.
//
//	failure                                         result                  might it still commit?
//	query (evaluate, block events): Unavailable,    relayer.ErrUnavailable  (queries have no effect)
//	  DeadlineExceeded, ResourceExhausted, Aborted
//	query: channel not joined, chaincode missing    plain error             (queries)
//	query: chaincode "not initialized:"             relayer.ErrUnavailable  (queries)
//	endorse: peers unreachable, timeout,            relayer.ErrUnavailable  no: nothing was ordered
//	  "not initialized:"
//	endorse: chaincode "conflict:", "unauthorized:", relayer.ErrPermanent   no: refused by rule
//	  "wrong destination:", "invalid:"
//	endorse: "duplicate transaction found"          look the tx ID up:      it already did, or never will
//	                                                VALID is success, other
//	                                                codes relayer.ErrNotLanded
//	endorse: anything else (peers disagree,         plain error             no: nothing was ordered
//	  policy cannot be planned)
//	submit to the orderer failed (SubmitError)      plain error             yes: the engine asks
//	                                                                        Delivered first
//	commit status not known within timeouts.commit  success (the tx ID)     yes: Confirm decides
//	  (CommitStatusError)
//	commit status not VALID (CommitError: MVCC_     relayer.ErrNotLanded    no: the ID is spent
//	  READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE…)
//	Confirm: tx ID committed VALID                  nil
//	Confirm: tx ID committed with another code      relayer.ErrNotLanded    no
//	Confirm: tx ID unknown to the peer              relayer.ErrPending      yes
//	Confirm: still unknown after timeouts.lost      relayer.ErrNotLanded    no longer VALID-able once
//	                                                                        the next attempt commits
//
// The last row rests on the chaincode: every Attest reads the record's
// vote and delivery keys, and the next attestation writes them, so a lost
// transaction that surfaces after its replacement committed fails its MVCC
// check; and a repeated attestation is a no-op for the Inbox anyway.
//
// A Chain with several peers runs each operation on the peer that answered
// last and moves to the next one only on relayer.ErrUnavailable.
//
// # Submissions
//
// Prepare builds and signs the Attest proposal offline; its transaction ID
// is fixed by its nonce and creator. The engine stores it before Submit,
// and a resumed submission sends the same proposal again, so the ledger
// sees one transaction ID: Fabric's endorsers refuse a proposal whose ID is
// on the ledger ("duplicate transaction found"), and its committer marks a
// second copy DUPLICATE_TXID. Delivered reads HasAttested(id, our attestor
// key) and IsDelivered(id) from committed state, which is final on Fabric;
// a delivery with another digest is relayer.ErrPermanent. The identity must
// be exactly one attestor of the chaincode (by certificate fingerprint or
// OU); Destination fails otherwise, with the AddAttestor call that fixes
// it.
//
// # Tests
//
// The verifier's tests use real blocks captured from e2e/fabric networks
// (proofs/fabric/testdata): Raft and SmartBFT blocks, a transaction
// endorsed by one org under a two-org policy (flagged invalid; with the
// flag flipped to VALID it still fails), one-byte and one-field
// corruptions. testdata/ holds bundles made from them, the seeds of
// FuzzVerify; regenerate them with
// go test -run TestTestdata ./adapters/fabric -args -update. The
// integration tests (build tag e2e) run against a real network from
// e2e/fabric/network.sh.
package fabric
