// Package records is Liaison's chaincode for Hyperledger Fabric: the contract
// "records", an Outbox that publishes records to other ledgers and an Inbox
// that delivers records from other ledgers once M of N attestors agree.
// Command records (the module root) serves it as a chaincode-as-a-service.
//
// # Functions
//
// Arguments are strings, as Fabric passes them; the contract API converts
// the threshold and the admin MSP list (a JSON array). Call them as
// "records:Name" or just "Name" (records is the default contract).
//
// Submit:
//
//	Init(chainName, adminMSPs)                       admin; once
//	AddAttestor(mspID, kind, value) -> attestor key   admin; kind "cert" (value: hex SHA-256 of the DER certificate) or "ou"
//	RemoveAttestor(attestorKey)                      admin
//	SetThreshold(m)                                  admin; 1 <= m <= number of attestors
//	PublishRecord(destination, receiver, contentType, payloadBase64) -> id hex
//	PublishRecords(recordsJSON) -> []id hex                up to 100 records and 64 KiB of payload, one sequence each
//	Attest(recordJSON, evidenceHashHex) -> AttestResult
//	AttestBatch(recordsJSON, evidenceHashesJSON) -> []AttestResult   up to 1000 records
//
// Evaluate (read only):
//
//	GetCommitment(id) -> "0x" + digest hex
//	IsDelivered(id) -> bool
//	HasAttested(id, attestorKey) -> bool
//	GetDelivered(id) -> Delivery
//	GetConfig() -> Config
//
// An ID argument is 64 hex digits in either case, with or without 0x.
// Errors start with a fixed prefix naming their class, "conflict: ",
// "unauthorized: ", "invalid: ", "wrong destination: ", "not found: ",
// "not initialized: " or "already initialized: " (see errors.go); clients
// classify failures by it.
//
// # Record ID and commitment
//
// The record ID is the same on every ledger:
//
//	id = sha256("liaison/record-id/v1" ‖ u16be(len(chain)) ‖ chain ‖ u16be(len(emitter)) ‖ emitter ‖ u64be(seq))
//
// Here chain is the chain name set at Init (for example "registry") and
// emitter is the UTF-8 bytes of the chaincode name the chaincode was
// invoked under at Init (normally "records"). Sequences start at 1.
//
// The commitment (digest) of a record is Fabric's own rule:
//
//	digest = sha256("liaison/record-digest/v1" ‖ id ‖ u64be(seq)
//	                ‖ u32be(len(destination)) ‖ destination
//	                ‖ u32be(len(receiver)) ‖ receiver
//	                ‖ u32be(len(contentType)) ‖ contentType
//	                ‖ payloadHash)
//
// with payloadHash = sha256(payload), id and payloadHash as 32 raw bytes,
// and the strings as their UTF-8 bytes. A vector (record_test.go): chain
// "registry", emitter "records", seq 1, destination "procurement", receiver
// "licensing", content type "application/json", payload
// {"licence":"L-1"} give
//
//	id          85b305a798ca5fac37b688818699f349aaf059ea6a4e6c1fd762caf9672e5484
//	payloadHash a25b17575798e79dd36b91ff5ccdfa47ce6618bd40ce0d6b47abef8a2c829247
//	digest      da7ad9118949d4c31e24af866b7251413651e0c9ea1e1172e89fca8256e033f8
//
// # State
//
// All keys are plain (not composite) keys in the chaincode's namespace:
//
//	config                      Config as JSON
//	outbox/seq                  the last sequence used, u64be (8 bytes); absent before the first record
//	outbox/record/<id hex>      the record's digest, 32 raw bytes
//	inbox/votes/<id hex>        []Vote as JSON, sorted by attestor key
//	inbox/delivered/<id hex>    Delivery as JSON
//
// <id hex> is 64 lower-case hex digits. A PublishRecord transaction writes
// exactly two keys: outbox/seq and outbox/record/<id hex>. A PublishRecords
// transaction of n records writes n+1: outbox/seq once (the last sequence)
// and outbox/record/<id hex> for each. To prove that a
// record was published, the relayer's Fabric verifier checks that a valid
// transaction of this chaincode (namespace = the chaincode name) has the
// write outbox/record/<id hex> = digest in its read-write set, with the
// digest recomputed from the record, and that the transaction carries
// enough endorsements for the chaincode's endorsement policy.
//
// # Events
//
// A transaction has at most one chaincode event:
//
//	RecordPublished   Record as JSON (PublishRecord)
//	RecordsPublished  []Record as JSON, in sequence order (PublishRecords)
//	RecordAttested    AttestResult as JSON (a vote stored, below the threshold)
//	RecordDelivered   Delivery as JSON, the same bytes as inbox/delivered/<id hex>
//	RecordsAttested   []AttestResult as JSON, the records an AttestBatch voted for or delivered
//	ConfigChanged     Config as JSON (Init and the admin functions)
//
// The Record JSON is
//
//	{"id":"<64 hex>","source_chain":"registry","emitter":"0x7265636f726473","sequence":1,
//	 "destination":"procurement","receiver":"licensing","content_type":"application/json",
//	 "payload":"<standard base64>","payload_hash":"0x<64 hex>"}
//
// # Roles
//
// Admins are identities whose certificate carries the NodeOU "admin"
// organizational unit (cryptogen and Fabric CA set it when the MSP enables
// NodeOUs). Init takes any MSP's admin and names the admin MSPs; after it
// only admins of those MSPs may change attestors and the threshold.
//
// An attestor is an MSP ID plus either a certificate fingerprint (SHA-256
// of its DER) or an organizational unit; its key is "<msp>/cert/<hex>" or
// "<msp>/ou/<ou>". An identity that matches two attestors is refused, so
// that no identity holds two votes. The peer validated the client's
// certificate against its MSP before the chaincode ran; the chaincode reads
// the certificate through the contract API's client identity (the cid
// package).
//
// # Inbox rules
//
// Attest accepts a record addressed to this chain whose ID and payload hash
// follow from its fields. Votes are counted per (ID, digest), and only the
// votes of current attestors count. When M distinct attestors voted for the
// same digest, the record is delivered. Then:
//   - the same attestor attesting the same digest again, or anyone attesting
//     the delivered digest, changes nothing (no write, no event, no error);
//   - an attestation with another digest, after delivery or from an
//     attestor that voted otherwise before, fails with "conflict: ...".
//
// Fabric keeps no event of a failed transaction, so a conflict leaves no
// trace on the ledger; the relayer logs the error.
//
// AttestBatch attests several records in one transaction with these rules
// for each, in order. A conflict there is an outcome of its record
// ("conflict", with the message), not a failed transaction, so the other
// records of the batch count. Records of concurrent batches touch disjoint
// keys (inbox/votes/<id hex> and inbox/delivered/<id hex> of their own
// records, and a read of config), so batches of one attestor do not fail
// each other's MVCC checks; attestors voting on the same record at the
// same moment do, as they would one record at a time.
package records
