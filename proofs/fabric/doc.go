// Package fabric verifies Hyperledger Fabric blocks and transactions
// offline, from a channel config block: the orderers' signatures on a
// block, the link between blocks, the transactions a block carries, their
// creators, their endorsements and the endorsement policy. It is pure: no
// network, no clock, no package state, and it links no gRPC (the peer and
// orderer protos are read with protowire, see wire.go).
//
// # Trust model
//
// The anchor is a channel config block the caller trusts by other means
// (fetched from its own peer, or pinned by the hash TrustedConfig.Hash
// reports). ParseConfigBlock turns it into a TrustedConfig: the channel ID,
// the MSPs of every organization (root and intermediate CAs, admin
// certificates, CRLs, OU and NodeOU settings), which organizations order
// and which are application organizations, the BFT consenters, the
// /Channel/Orderer/BlockValidation policy and each application org's
// Endorsement policy. Everything later is checked against it:
//
//   - The orderers sign the block header, in metadata[SIGNATURES]: on Raft
//     (and solo, kafka) one orderer signs value ‖ signature_header ‖
//     DER(header), naming itself in the SignatureHeader; on SmartBFT (V3_0
//     channels) each consenter signs value ‖ identifier_header ‖
//     DER(header), naming itself by its consenter ID. value is the
//     OrdererBlockMetadata, which holds the index of the config block the
//     block was cut under, so that index is signed too. DER(header) is
//     SEQUENCE{number, previous_hash, data_hash}; its SHA-256 is the block
//     hash. VerifyBlock requires the signers to be orderers of the
//     channel's orderer organizations (their certificates validate, and
//     carry the orderer OU when the MSP uses NodeOUs, which is stricter
//     than Fabric's default "member" Writers policy), the valid signers to
//     satisfy BlockValidation, and on BFT a quorum of distinct consenters
//     (BFTQuorum: ceil((n+f+1)/2) with f = (n-1)/3, 3 of 4).
//   - The signature covers the header only. The transactions are bound by
//     DataHash = SHA-256(envelope 0 ‖ envelope 1 ‖ …) in the header, which
//     is why checking it is mandatory: without it a block could carry any
//     transactions under genuine signatures. The header names no channel
//     either; the same orderers may serve many channels, so VerifyBlock
//     also requires every envelope's channel header to name the trusted
//     channel (ErrWrongChannel).
//   - A transaction's envelope is signed by its creator (a client of an
//     MSP of the channel); its ID must be hex(SHA-256(nonce ‖ creator)).
//     Its read-write set, response and chaincode event are in the
//     proposal response payload, which each endorser signed together with
//     its identity, and which names (by hash) the proposal it answered;
//     VerifyTransaction checks all of that.
//   - The peers then validate each transaction (endorsement policy, MVCC)
//     and record the verdicts in metadata[TRANSACTIONS_FILTER]. Nobody
//     signs those flags: whoever serves the block can flip INVALID to
//     VALID. VerifyTransaction rejects a transaction not flagged VALID, but
//     does not trust a VALID flag: it re-checks the endorsement policy the
//     caller gives (EndorsementPolicy) against the endorsements it verified
//     itself. A transaction the peers rejected for its endorsements is
//     therefore caught whatever its flag says, as long as the caller gives
//     the chaincode's real policy (Fabric stores chaincode policies in the
//     _lifecycle namespace, not in the channel config; the default is
//     MAJORITY Endorsement).
//   - The implicit rules (ANY, MAJORITY, ALL Endorsement) are evaluated as
//     Fabric's common/policies/implicitmeta.go does, over every application
//     organization of the config: of n, ANY needs 1, MAJORITY n/2+1 and ALL
//     n. An organization without an Endorsement policy counts in n and is
//     never satisfied (Fabric substitutes a reject-all policy). An
//     organization whose MSP is Idemix counts in n and is never satisfied
//     here, because this package cannot verify Idemix endorsements: on a
//     channel of three X.509 orgs and one Idemix org, MAJORITY needs all
//     three X.509 orgs and ALL never passes. That can refuse what a peer
//     accepts, never the reverse. Two cases accept with fewer endorsements,
//     exactly as Fabric does: an organization whose own Endorsement policy
//     is implicit-meta is satisfied by anything (it has no sub-groups, so
//     its threshold is 0), and so is every implicit rule on a channel whose
//     Application group holds no organization.
//
// Config blocks move the anchor, so VerifyBlock (on a config
// block) checks them as a Fabric peer does, not only as blocks the orderers
// signed: under Raft's default "ANY Writers" BlockValidation policy one
// orderer key signs any block, and a config it made up could replace an
// org's root CA and then forge that org's endorsements. A config block needs
// orderer signatures and a CONFIG envelope signed by an orderer, and the
// config update that envelope carries (ConfigEnvelope.last_update) must be
// valid against the trusted config (configtx.go):
//
//   - the ConfigUpdate names the trusted channel, and every element of its
//     read set is in the trusted config at the version read
//     (ErrConfigReadSet);
//   - the elements it changes (in the write set at another version than
//     read) go up exactly one version, new ones start at 0, mod_policies
//     and names are well formed, and something changes (ErrConfigWriteSet);
//   - applying it to the trusted config, as Fabric does, gives exactly the
//     block's config: nothing outside the write set changed
//     (ErrConfigResult);
//   - the signatures of its ConfigUpdateEnvelope (each over
//     signature_header ‖ config_update, by an identity valid under the
//     trusted MSPs) satisfy the trusted mod_policy of every element it
//     changes, resolved relative to the element's path as Fabric resolves
//     it (ErrModPolicy, naming the element and its mod_policy);
//   - the sequence goes up by one (ErrConfigUpdate).
//
// Only then does the new config become the trusted one, and the blocks after
// it are verified under it. The check needs the trusted config's full
// channel config: ParseConfigBlock and VerifyBlock keep it, and a
// TrustedConfig restored from JSON gets it back with WithConfigBlock.
//
// # What is not checked
//
// MVCC. A transaction that was endorsed correctly but lost a race (it read
// a key another transaction of the same or an earlier block had changed) is
// flagged MVCC_READ_CONFLICT by the peers, and its writes are not applied.
// Nothing in the block proves which flag is right, so a source that flips
// such a transaction to VALID passes every check here: the endorsements
// are genuine. For Liaison's records chaincode this needs a conflicting
// PublishRecord of the same sequence (two transactions that both read
// outbox/seq), and only a lying block source can present the loser as
// valid. An adapter that must exclude it should not rely on one peer: it can
// have peers of M organizations endorse (without submitting) a GetCommitment
// proposal for the record, whose signed responses carry the stored digest
// and the version of outbox/record/<id> they read; or it can fetch the same
// block from peers of several organizations and require identical flags.
// Either keeps a single dishonest peer from forging a record. (Checking such
// an endorsed query needs the endorsement checks of VerifyTransaction on an
// envelope outside a block; this package does not offer that yet.)
//
// Also not checked: certificate expiry (like Fabric's MSP, chains are
// validated at the certificate's NotBefore, so history stays verifiable; the
// package has no clock), Idemix identities (reported as ErrUnknownMSP; their
// organizations still count, see above),
// ORGANIZATION_UNIT and other non-role, non-identity policy principals (a
// config whose BlockValidation or X.509 org Endorsement policies use them
// is refused; an Idemix org's policy is not read), private data (only public writes are decoded), and
// the validity of state reads. Keys must be ECDSA, as in Fabric 2.5.
//
// Also not checked on a config update: the submitter's signature on the
// CONFIG_UPDATE envelope (the orderer checks it against /Channel/Writers;
// peers do not, the ConfigSignatures inside are what authorizes a change),
// and the checks Fabric runs on the new config after the update itself
// (an org keeps its MSP ID, consensus-type migration rules, orderer
// endpoints on a move to V3_0): each of those changes still needs the
// mod_policies' signatures.
//
// Some choices are stricter than Fabric and could refuse something a peer
// accepts: one invalid endorsement rejects the transaction (Fabric ignores
// it if the rest satisfy the policy), an endorser of an MSP with NodeOUs
// must be a peer, a block signer must be an orderer, protobuf fields that
// occur twice are refused in the messages decoded with protowire, and a
// config block must name itself as its last config. Honest clients, peers
// and orderers never produce what these refuse. In a mod_policy check, a
// policy this package cannot evaluate (an Idemix signer, a principal other
// than a role or an identity, a policy type other than signature and
// implicit meta) is not satisfied, nor is an implicit-meta policy over a
// group with no subgroups or with an unknown rule (Fabric counts those two
// as satisfied); a config may nest groups 32 deep, and an update may carry
// 256 signatures. Configs are refused when Fabric would refuse them (two
// different definitions of one MSP ID, a policy type other than signature
// and implicit-meta, a signature policy of another version than 0), and
// also when two BFT consenters share a certificate (one key would count
// twice towards the quorum), when an implicit-meta BlockValidation policy
// has a child policy that is not a signature policy, or when
// BlockValidation would pass without any signature.
//
// # Check order and errors
//
// VerifyBlock and VerifyTransaction document their checks; cheap checks run
// first (decoding, links, hashes, counts, policy bounds) and signatures and
// certificate chains last, so junk costs little. Every failure is a
// *VerifyError naming the block and, where there is one, the transaction;
// its Reason wraps one sentinel of errors.go, through a *SignatureError for
// a failing orderer signature, creator or endorsement.
//
// The fabrictest package builds configs, config updates, transactions and
// blocks with throwaway keys for tests; testdata/ holds real blocks from
// Fabric 2.5 (Raft) and a 3.0 snapshot (SmartBFT) networks, and real config
// updates from a Fabric 2.5 network, described in testdata/SOURCES.md.
package fabric
