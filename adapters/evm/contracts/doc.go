// Package contracts holds Liaison's on-chain EVM programs, the Outbox and
// the Inbox, and their Go bindings (abigen --v2). The Solidity sources are in
// src/, the compiled ABI and bytecode in build/, and outbox.go / inbox.go are
// generated: change the sources and run `make contracts`; `make
// contracts-check` fails while the generated files are stale. The bytecode
// targets the istanbul EVM (no PUSH0, BASEFEE or transient storage), so it
// runs on GoQuorum and Besu networks as well as on geth.
//
// # Record ID and digest
//
// A record's ID is the same on every ledger (relayer.ComputeRecordID):
//
//	id = sha256("liaison/record-id/v1" ‖ u16be(len(chain)) ‖ chain ‖ u16be(len(emitter)) ‖ emitter ‖ u64be(seq))
//
// chain is the source ledger's agreed chain name; on EVM the emitter is the
// 20-byte Outbox address. The record's digest, which the Outbox stores as its
// commitment and the Inbox counts votes for, is
//
//	digest = keccak256(abi.encode(bytes32 id, uint64 seq, string destination,
//	                              string receiver, string contentType, bytes32 sha256(payload)))
//
// Inbox.digestOf computes it on chain for a given record.
//
// # Outbox
//
// Outbox(chainName) hands out sequence numbers from 1. publish stores
// commitments[id] = digest and emits RecordPublished(id indexed, sequence
// indexed, destination, receiver, contentType, payload, payloadHash). It
// refuses an empty destination (EmptyDestination). publishBatch(messages)
// publishes several records in one transaction, each exactly as publish
// would, with consecutive sequence numbers; one empty destination reverts
// the whole batch.
//
// Storage layout: commitments is a mapping(bytes32 => bytes32) in slot 0, so
// the storage key of a record's commitment is keccak256(id ‖ uint256(0)). A
// relayer proves it with eth_getProof against the block's state root; a zero
// value means the record was never published.
//
// # Inbox
//
// Inbox(chainName, admin, attestors, threshold) delivers a record once
// threshold attestors have called attest with the same digest for its ID.
// Votes are counted per (id, digest), so a faulty attestor can neither block
// nor alter the delivery of the honest majority's record. attest refuses
// callers that are not attestors (NotAttestor) and records for another
// destination (WrongDestination), both by reverting. It does not revert for
// a repeated or conflicting attestation: it returns false and, for a
// conflict, emits AttestationConflict, so the alarm stays on chain.
// attestBatch(records, evidenceHashes) attests several records in one
// transaction, each exactly as attest would; a conflict on one does not
// revert the others, and what attest reverts for reverts the batch
// (LengthMismatch too, when the two arrays differ in length).
//
// Events: Attested(id, attestor, digest, evidenceHash) for each counted vote,
// RecordDelivered(id, sourceChain, sequence, receiver, digest, payload) once
// per record, AttestationConflict(id, attestor, digest, existingDigest) when
// an attestation disagrees with the delivered digest, the attestor's own
// earlier vote, or the first digest attested for the ID. Administration
// (proposeAdmin/acceptAdmin, addAttestor, removeAttestor, setThreshold)
// emits AdminProposed, AdminChanged, AttestorAdded, AttestorRemoved and
// ThresholdChanged.
//
// Votes are counted when cast: removing an attestor does not withdraw the
// votes it already cast, and lowering the threshold does not deliver a
// pending record until one more attestor attests it.
package contracts
