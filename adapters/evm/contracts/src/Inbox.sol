// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title Liaison Inbox
/// @notice Delivers records from other ledgers once `threshold` of the
/// registered attestors have attested the same record digest.
/// @dev The record ID and digest follow the same rules as the Outbox:
///   id = sha256("liaison/record-id/v1" ‖ uint16be(len(sourceChain))
///               ‖ sourceChain ‖ uint16be(len(emitter)) ‖ emitter
///               ‖ uint64be(sequence))
///   digest = keccak256(abi.encode(bytes32 id, uint64 sequence,
///            string destination, string receiver, string contentType,
///            bytes32 sha256(payload)))
/// Votes are counted per (id, digest), so an attestor that signs a wrong
/// record can neither block nor change the delivery of the right one; it
/// only raises AttestationConflict alarms.
/// A vote is counted when it is cast: removing an attestor later does not
/// withdraw the votes it already cast, and lowering the threshold does not
/// deliver a record until one more attestor attests it.
contract Inbox {
    /// @notice A record as the relayer submits it; the ID and digest are
    /// recomputed from these fields.
    /// @param sourceChain The source ledger's agreed chain name.
    /// @param emitter The publishing program on the source ledger (the
    /// 20-byte Outbox address on EVM).
    /// @param sequence The record's sequence number at the emitter.
    /// @param destination The destination chain name; must be this Inbox's.
    /// @param receiver The receiver on this ledger, free-form.
    /// @param contentType The payload's media type, free-form.
    /// @param payload The payload bytes.
    struct Record {
        string sourceChain;
        bytes emitter;
        uint64 sequence;
        string destination;
        string receiver;
        string contentType;
        bytes payload;
    }

    /// @notice One record of a committee attestation (docs/ARCHITECTURE.md,
    /// "Committee attestations").
    struct AttestedEntry {
        bytes32 id;
        bytes32 digest;
        bytes32 evidenceHash;
    }

    /// @notice A committee attestation: what M of the attestors sign.
    struct Attestation {
        bytes32 destination;
        uint64 nonce;
        AttestedEntry[] records;
    }

    /// @notice The most records one committee attestation may carry.
    uint256 public constant MAX_ATTESTED_RECORDS = 1024;

    /// @notice The digest delivered for each record ID; zero while the
    /// record is not delivered.
    mapping(bytes32 id => bytes32 digest) public deliveredDigest;

    /// @notice How many attestors attested each digest of each record ID.
    mapping(bytes32 id => mapping(bytes32 digest => uint256 count)) public votes;

    /// @notice The digest each attestor attested for each record ID; zero
    /// if it has not attested that ID.
    mapping(bytes32 id => mapping(address attestor => bytes32 digest)) public attestationOf;

    /// @notice The first digest attested for each record ID; a later vote for
    /// another digest raises an AttestationConflict alarm.
    mapping(bytes32 id => bytes32 digest) public firstDigest;

    /// @notice Whether an address is a current attestor.
    mapping(address account => bool) public isAttestor;

    /// @notice The number of current attestors.
    uint256 public attestorCount;

    /// @notice The number of matching attestations that delivers a record
    /// (1 ≤ threshold ≤ attestorCount).
    uint256 public threshold;

    /// @notice The account that manages attestors and the threshold.
    address public admin;

    /// @notice The account proposed as the next admin; zero when none.
    address public pendingAdmin;

    /// @notice This ledger's agreed chain name.
    string private _chainName;

    /// @dev The order of secp256k1's group, and half of it.
    uint256 private constant _SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 private constant _SECP256K1_HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @dev keccak256 of _chainName, to compare destinations cheaply.
    bytes32 private immutable _chainNameHash;

    /// @notice A committee attestation of `count` records, batch `nonce`,
    /// whose signing input is `signingInput`, was verified with the
    /// signatures of `signers` and submitted by `submitter`.
    /// @param signingInput sha256(0x4c ‖ sha256(abi.encode(attestation))).
    /// @param nonce The batch's nonce.
    /// @param signers The attestors whose signatures it carried, in order.
    /// @param submitter The account that sent it.
    /// @param count The number of records.
    event CommitteeAttested(
        bytes32 indexed signingInput, uint64 nonce, address[] signers, address indexed submitter, uint256 count
    );

    /// @notice `attestor` attested `digest` for record `id`.
    /// @param id The record ID.
    /// @param attestor The attestor.
    /// @param digest The record digest it attested.
    /// @param evidenceHash The hash of the attestor's off-chain evidence
    /// (e.g. the source proof it checked); opaque to the Inbox.
    event Attested(bytes32 indexed id, address indexed attestor, bytes32 digest, bytes32 evidenceHash);

    /// @notice An alarm: `attestor` attested `digest` for record `id`, but
    /// `existingDigest` was delivered, attested first, or attested earlier by
    /// the same attestor. At least one attestor is faulty or was fed a wrong
    /// record.
    /// @param id The record ID.
    /// @param attestor The attestor whose attestation conflicts.
    /// @param digest The digest it attested now.
    /// @param existingDigest The digest it conflicts with.
    event AttestationConflict(bytes32 indexed id, address indexed attestor, bytes32 digest, bytes32 existingDigest);

    /// @notice Record `id` reached the threshold and is delivered.
    /// @param id The record ID.
    /// @param sourceChain The source ledger's chain name.
    /// @param sequence The record's sequence number at its emitter.
    /// @param receiver The receiver on this ledger.
    /// @param digest The delivered record digest.
    /// @param payload The payload bytes.
    event RecordDelivered(
        bytes32 indexed id, string sourceChain, uint64 sequence, string receiver, bytes32 digest, bytes payload
    );

    /// @notice `attestor` became an attestor.
    /// @param attestor The new attestor.
    event AttestorAdded(address indexed attestor);

    /// @notice `attestor` is no longer an attestor.
    /// @param attestor The removed attestor.
    event AttestorRemoved(address indexed attestor);

    /// @notice The threshold changed.
    /// @param oldThreshold The previous threshold (zero at construction).
    /// @param newThreshold The new threshold.
    event ThresholdChanged(uint256 oldThreshold, uint256 newThreshold);

    /// @notice The admin proposed `proposed` as the next admin (zero cancels).
    /// @param admin The current admin.
    /// @param proposed The proposed admin.
    event AdminProposed(address indexed admin, address indexed proposed);

    /// @notice The admin changed.
    /// @param oldAdmin The previous admin (zero at construction).
    /// @param newAdmin The new admin.
    event AdminChanged(address indexed oldAdmin, address indexed newAdmin);

    /// @notice The chain name given to the constructor is empty.
    error EmptyChainName();

    /// @notice An address argument is zero where an account is required.
    error ZeroAddress();

    /// @notice The caller is not an attestor.
    /// @param caller The caller.
    error NotAttestor(address caller);

    /// @notice The caller is not the admin.
    /// @param caller The caller.
    error NotAdmin(address caller);

    /// @notice The caller is not the pending admin.
    /// @param caller The caller.
    error NotPendingAdmin(address caller);

    /// @notice The record's destination is not this Inbox's chain name.
    /// @param destination The record's destination.
    error WrongDestination(string destination);

    /// @notice A record field that is length-prefixed with a uint16 in the
    /// record ID is longer than 65535 bytes.
    /// @param length The field's length in bytes.
    error FieldTooLong(uint256 length);

    /// @notice attestBatch got a different number of records and evidence
    /// hashes.
    /// @param records The number of records.
    /// @param evidenceHashes The number of evidence hashes.
    error LengthMismatch(uint256 records, uint256 evidenceHashes);

    /// @notice The account is already an attestor.
    /// @param attestor The account.
    error AlreadyAttestor(address attestor);

    /// @notice The account is not an attestor, so it cannot be removed.
    /// @param account The account.
    error UnknownAttestor(address account);

    /// @notice The threshold is outside 1..attestorCount.
    /// @param threshold The refused threshold.
    /// @param attestorCount The number of attestors it must not exceed.
    error InvalidThreshold(uint256 threshold, uint256 attestorCount);

    /// @notice Removing an attestor would leave fewer attestors than the
    /// threshold; lower the threshold first.
    /// @param remaining The number of attestors that would remain.
    /// @param threshold The current threshold.
    error BelowThreshold(uint256 remaining, uint256 threshold);

    /// @notice Signature `index` of a committee attestation is malformed:
    /// not 65 bytes, v not in {0, 1, 27, 28}, r or s out of range, s in the
    /// upper half of the curve order, or not recoverable.
    /// @param index The signature's position.
    error BadSignature(uint256 index);

    /// @notice A committee attestation carried fewer signatures than the
    /// threshold.
    /// @param signatures The number of signatures.
    /// @param threshold The threshold.
    error NotEnoughSignatures(uint256 signatures, uint256 threshold);

    /// @notice Two signatures of a committee attestation are from the same
    /// attestor.
    /// @param signer The attestor.
    error DuplicateSigner(address signer);

    /// @notice A signature of a committee attestation is from an account
    /// that is not an attestor.
    /// @param index The signature's position.
    /// @param signer The account it recovers to.
    error SignerNotAttestor(uint256 index, address signer);

    /// @notice A committee attestation must carry 1 to MAX_ATTESTED_RECORDS
    /// records.
    /// @param count The number given.
    error BadBatchSize(uint256 count);

    /// @dev Reverts with NotAdmin unless the caller is the admin.
    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        _;
    }

    /// @notice Creates an Inbox for the ledger called `chainName_`.
    /// @dev Reverts with EmptyChainName, ZeroAddress, AlreadyAttestor (for a
    /// duplicate) or InvalidThreshold. Emits AdminChanged, AttestorAdded for
    /// each attestor and ThresholdChanged.
    /// @param chainName_ The ledger's agreed chain name; records must name it
    /// as their destination.
    /// @param admin_ The admin; not zero.
    /// @param attestors The initial attestors; distinct and not zero.
    /// @param threshold_ The initial threshold, 1 ≤ threshold_ ≤ attestors.length.
    constructor(string memory chainName_, address admin_, address[] memory attestors, uint256 threshold_) {
        if (bytes(chainName_).length == 0) revert EmptyChainName();
        if (admin_ == address(0)) revert ZeroAddress();
        _chainName = chainName_;
        _chainNameHash = keccak256(bytes(chainName_));
        admin = admin_;
        emit AdminChanged(address(0), admin_);
        for (uint256 i = 0; i < attestors.length; i++) {
            _addAttestor(attestors[i]);
        }
        _setThreshold(threshold_);
    }

    /// @notice Attests record `r`; delivers it when `threshold` attestors
    /// have attested the same digest.
    /// @dev Only attestors may call (NotAttestor); the destination must be
    /// this chain (WrongDestination); sourceChain and emitter must be at most
    /// 65535 bytes (FieldTooLong). Then, in order:
    /// 1. already delivered with this digest: nothing happens, returns true;
    /// 2. already delivered with another digest: emits AttestationConflict,
    ///    returns false, changes nothing;
    /// 3. the caller already attested this digest: returns false;
    /// 4. the caller already attested another digest: emits
    ///    AttestationConflict, returns false, changes nothing;
    /// 5. otherwise the vote is counted and Attested is emitted (plus an
    ///    AttestationConflict alarm if another digest was attested first);
    ///    when the digest reaches the threshold the record is delivered,
    ///    RecordDelivered is emitted and the call returns true.
    /// Refusals 2 and 4 return instead of reverting so the alarm event stays
    /// on chain.
    /// @param r The record.
    /// @param evidenceHash The hash of the caller's off-chain evidence.
    /// @return delivered Whether the record is delivered after this call.
    function attest(Record calldata r, bytes32 evidenceHash) external returns (bool delivered) {
        if (!isAttestor[msg.sender]) revert NotAttestor(msg.sender);
        return _attest(r, evidenceHash);
    }

    /// @notice Attests several records in one call, each exactly as
    /// `attest` would: per record, a replay is a no-op, a conflict emits
    /// AttestationConflict and changes nothing, and a vote is counted and may
    /// deliver the record. A conflict on one record does not revert the
    /// others.
    /// @dev Only attestors may call (NotAttestor); `rs` and `evidenceHashes`
    /// must have the same length (LengthMismatch). A record that `attest`
    /// would revert for (WrongDestination, FieldTooLong) reverts the whole
    /// call; the relayer then sends the batch's records in smaller batches.
    /// @param rs The records, attested in order.
    /// @param evidenceHashes The hash of the caller's evidence for each
    /// record.
    /// @return delivered Whether each record is delivered after this call.
    function attestBatch(Record[] calldata rs, bytes32[] calldata evidenceHashes)
        external
        returns (bool[] memory delivered)
    {
        if (!isAttestor[msg.sender]) revert NotAttestor(msg.sender);
        if (rs.length != evidenceHashes.length) revert LengthMismatch(rs.length, evidenceHashes.length);
        delivered = new bool[](rs.length);
        for (uint256 i = 0; i < rs.length; i++) {
            delivered[i] = _attest(rs[i], evidenceHashes[i]);
        }
    }

    /// @dev attest for one record, the caller being an attestor.
    function _attest(Record calldata r, bytes32 evidenceHash) private returns (bool delivered) {
        if (keccak256(bytes(r.destination)) != _chainNameHash) revert WrongDestination(r.destination);
        bytes32 id = _recordId(r);
        bytes32 digest = _digest(id, r);

        bytes32 delivered_ = deliveredDigest[id];
        if (delivered_ != bytes32(0)) {
            if (delivered_ == digest) return true;
            emit AttestationConflict(id, msg.sender, digest, delivered_);
            return false;
        }
        bytes32 previous = attestationOf[id][msg.sender];
        if (previous != bytes32(0)) {
            if (previous != digest) emit AttestationConflict(id, msg.sender, digest, previous);
            return false;
        }

        attestationOf[id][msg.sender] = digest;
        uint256 count = votes[id][digest] + 1;
        votes[id][digest] = count;
        emit Attested(id, msg.sender, digest, evidenceHash);
        bytes32 first = firstDigest[id];
        if (first == bytes32(0)) {
            firstDigest[id] = digest;
        } else if (first != digest) {
            emit AttestationConflict(id, msg.sender, digest, first);
        }
        if (count < threshold) return false;
        _deliver(id, digest, r);
        return true;
    }

    /// @notice Delivers records on a committee attestation: at least
    /// `threshold` distinct attestors signed, for this Inbox, batch `nonce`,
    /// each record's ID, digest and evidence hash (docs/ARCHITECTURE.md,
    /// "Committee attestations"). Anyone may submit it; the signatures are
    /// the authority.
    /// @dev The attestation is rebuilt here from the records, so the
    /// signatures must be over exactly these records, in this order, with
    /// these evidence hashes, for this chain and Inbox. Reverts with
    /// LengthMismatch, BadBatchSize, WrongDestination or FieldTooLong (as
    /// attestBatch), NotEnoughSignatures, BadSignature, SignerNotAttestor or
    /// DuplicateSigner. Then, per record, in order: already delivered with
    /// this digest: nothing happens (a replay), returns true; already
    /// delivered with another digest: emits AttestationConflict with a zero
    /// attestor (the committee), returns false; otherwise the record is
    /// delivered (RecordDelivered), with an AttestationConflict alarm if an
    /// attestor voted another digest for it before. Emits CommitteeAttested
    /// once.
    /// @param nonce The batch's nonce, as signed.
    /// @param rs The records, in the attestation's order.
    /// @param evidenceHashes The evidence hash of each record, as signed.
    /// @param signatures The attestors' signatures r ‖ s ‖ v.
    /// @return delivered Whether each record is delivered after this call.
    function deliverAttested(
        uint64 nonce,
        Record[] calldata rs,
        bytes32[] calldata evidenceHashes,
        bytes[] calldata signatures
    ) external returns (bool[] memory delivered) {
        if (rs.length != evidenceHashes.length) revert LengthMismatch(rs.length, evidenceHashes.length);
        if (rs.length == 0 || rs.length > MAX_ATTESTED_RECORDS) revert BadBatchSize(rs.length);
        Attestation memory a;
        a.destination = attestationDestination();
        a.nonce = nonce;
        a.records = new AttestedEntry[](rs.length);
        for (uint256 i = 0; i < rs.length; i++) {
            if (keccak256(bytes(rs[i].destination)) != _chainNameHash) revert WrongDestination(rs[i].destination);
            bytes32 id = _recordId(rs[i]);
            a.records[i] = AttestedEntry(id, _digest(id, rs[i]), evidenceHashes[i]);
        }
        bytes32 h = sha256(abi.encodePacked(bytes1(0x4c), sha256(abi.encode(a))));
        address[] memory signers = _committee(h, signatures);
        emit CommitteeAttested(h, nonce, signers, msg.sender, rs.length);
        delivered = new bool[](rs.length);
        for (uint256 i = 0; i < rs.length; i++) {
            delivered[i] = _deliverAttested(a.records[i].id, a.records[i].digest, rs[i]);
        }
    }

    /// @dev The signers of `h`: at least threshold signatures, each well
    /// formed, from an attestor, no attestor twice.
    function _committee(bytes32 h, bytes[] calldata signatures) private view returns (address[] memory signers) {
        if (signatures.length < threshold) revert NotEnoughSignatures(signatures.length, threshold);
        signers = new address[](signatures.length);
        for (uint256 j = 0; j < signatures.length; j++) {
            address signer = _recover(h, signatures[j], j);
            if (!isAttestor[signer]) revert SignerNotAttestor(j, signer);
            for (uint256 k = 0; k < j; k++) {
                if (signers[k] == signer) revert DuplicateSigner(signer);
            }
            signers[j] = signer;
        }
    }

    /// @dev Delivers record `id` with `digest` on the committee's word.
    function _deliverAttested(bytes32 id, bytes32 digest, Record calldata r) private returns (bool) {
        bytes32 done = deliveredDigest[id];
        if (done != bytes32(0)) {
            if (done == digest) return true;
            emit AttestationConflict(id, address(0), digest, done);
            return false;
        }
        bytes32 first = firstDigest[id];
        if (first != bytes32(0) && first != digest) emit AttestationConflict(id, address(0), digest, first);
        _deliver(id, digest, r);
        return true;
    }

    /// @notice Proposes `proposed` as the next admin; it takes over when it
    /// calls acceptAdmin. Proposing zero cancels a pending proposal.
    /// @dev Only the admin may call (NotAdmin). Emits AdminProposed.
    /// @param proposed The proposed admin.
    function proposeAdmin(address proposed) external onlyAdmin {
        pendingAdmin = proposed;
        emit AdminProposed(msg.sender, proposed);
    }

    /// @notice Makes the pending admin the admin.
    /// @dev Only the pending admin may call (NotPendingAdmin). Emits
    /// AdminChanged.
    function acceptAdmin() external {
        if (msg.sender != pendingAdmin) revert NotPendingAdmin(msg.sender);
        emit AdminChanged(admin, msg.sender);
        admin = msg.sender;
        pendingAdmin = address(0);
    }

    /// @notice Adds `attestor` to the attestors.
    /// @dev Only the admin may call (NotAdmin). Reverts with ZeroAddress or
    /// AlreadyAttestor. Emits AttestorAdded. The threshold does not change.
    /// @param attestor The new attestor.
    function addAttestor(address attestor) external onlyAdmin {
        _addAttestor(attestor);
    }

    /// @notice Removes `attestor` from the attestors. Votes it already cast
    /// still count.
    /// @dev Only the admin may call (NotAdmin). Reverts with UnknownAttestor,
    /// or BelowThreshold if fewer than `threshold` attestors would remain.
    /// Emits AttestorRemoved.
    /// @param attestor The attestor to remove.
    function removeAttestor(address attestor) external onlyAdmin {
        if (!isAttestor[attestor]) revert UnknownAttestor(attestor);
        uint256 remaining = attestorCount - 1;
        if (remaining < threshold) revert BelowThreshold(remaining, threshold);
        isAttestor[attestor] = false;
        attestorCount = remaining;
        emit AttestorRemoved(attestor);
    }

    /// @notice Sets the number of matching attestations that delivers a
    /// record.
    /// @dev Only the admin may call (NotAdmin). Reverts with InvalidThreshold
    /// unless 1 ≤ newThreshold ≤ attestorCount. Emits ThresholdChanged.
    /// @param newThreshold The new threshold.
    function setThreshold(uint256 newThreshold) external onlyAdmin {
        _setThreshold(newThreshold);
    }

    /// @notice This ledger's agreed chain name.
    /// @return The chain name given to the constructor.
    function chainName() external view returns (string memory) {
        return _chainName;
    }

    /// @notice Whether record `id` is delivered.
    /// @param id The record ID.
    /// @return True once the record reached the threshold.
    function isDelivered(bytes32 id) external view returns (bool) {
        return deliveredDigest[id] != bytes32(0);
    }

    /// @notice Whether `who` attested record `id` (any digest).
    /// @param id The record ID.
    /// @param who The account.
    /// @return True if `who` has a vote on `id`.
    function hasAttested(bytes32 id, address who) external view returns (bool) {
        return attestationOf[id][who] != bytes32(0);
    }

    /// @notice The digest of record `r`, by the rule in the contract doc.
    /// @dev Reverts with FieldTooLong if sourceChain or emitter is longer
    /// than 65535 bytes. It does not check the destination.
    /// @param r The record.
    /// @return The record digest.
    function digestOf(Record calldata r) external pure returns (bytes32) {
        return _digest(_recordId(r), r);
    }

    /// @dev Adds an attestor; reverts with ZeroAddress or AlreadyAttestor.
    function _addAttestor(address attestor) private {
        if (attestor == address(0)) revert ZeroAddress();
        if (isAttestor[attestor]) revert AlreadyAttestor(attestor);
        isAttestor[attestor] = true;
        attestorCount += 1;
        emit AttestorAdded(attestor);
    }

    /// @dev Sets the threshold; reverts with InvalidThreshold.
    function _setThreshold(uint256 newThreshold) private {
        if (newThreshold == 0 || newThreshold > attestorCount) {
            revert InvalidThreshold(newThreshold, attestorCount);
        }
        emit ThresholdChanged(threshold, newThreshold);
        threshold = newThreshold;
    }

    /// @notice This Inbox's destination identifier in committee
    /// attestations (docs/ARCHITECTURE.md, "Committee attestations"):
    /// sha256(abi.encode("liaison/evm/v1", block.chainid, address(this))).
    /// @return The identifier.
    function attestationDestination() public view returns (bytes32) {
        return sha256(abi.encode(string("liaison/evm/v1"), block.chainid, address(this)));
    }

    /// @notice The hash that committee members sign over an encoded
    /// attestation `data`: sha256(0x4c ‖ sha256(data)).
    /// @param data The ABI-encoded attestation.
    /// @return The signing input.
    function attestationSigningInput(bytes calldata data) public pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x4c), sha256(data)));
    }

    /// @notice The signer of each signature over `data`, checked as the
    /// attestation format requires (BadSignature otherwise). Membership,
    /// distinctness and the threshold are the caller's to check.
    /// @param data The ABI-encoded attestation.
    /// @param signatures Signatures r ‖ s ‖ v.
    /// @return signers The recovered addresses, in order.
    function attestationSigners(bytes calldata data, bytes[] calldata signatures)
        public
        pure
        returns (address[] memory signers)
    {
        bytes32 h = attestationSigningInput(data);
        signers = new address[](signatures.length);
        for (uint256 i = 0; i < signatures.length; i++) {
            signers[i] = _recover(h, signatures[i], i);
        }
    }

    /// @dev The signer of `h` with signature `sig` (position `index`).
    function _recover(bytes32 h, bytes calldata sig, uint256 index) private pure returns (address signer) {
        if (sig.length != 65) revert BadSignature(index);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (v < 27) v += 27;
        if (v != 27 && v != 28) revert BadSignature(index);
        // r and s in [1, n-1], s at most n/2 (no malleated copies).
        if (r == bytes32(0) || uint256(r) >= _SECP256K1_N) revert BadSignature(index);
        if (s == bytes32(0) || uint256(s) > _SECP256K1_HALF_N) revert BadSignature(index);
        signer = ecrecover(h, v, r, s);
        if (signer == address(0)) revert BadSignature(index);
    }

    /// @dev Marks record `id` delivered with `digest` and emits RecordDelivered.
    /// A function of its own to keep attest's stack shallow.
    function _deliver(bytes32 id, bytes32 digest, Record calldata r) private {
        deliveredDigest[id] = digest;
        emit RecordDelivered(id, r.sourceChain, r.sequence, r.receiver, digest, r.payload);
    }

    /// @dev The record ID of `r`; reverts with FieldTooLong.
    function _recordId(Record calldata r) private pure returns (bytes32) {
        uint256 chainLength = bytes(r.sourceChain).length;
        uint256 emitterLength = r.emitter.length;
        if (chainLength > type(uint16).max) revert FieldTooLong(chainLength);
        if (emitterLength > type(uint16).max) revert FieldTooLong(emitterLength);
        return sha256(
            abi.encodePacked(
                "liaison/record-id/v1",
                uint16(chainLength),
                r.sourceChain,
                uint16(emitterLength),
                r.emitter,
                r.sequence
            )
        );
    }

    /// @dev The digest of `r` given its record ID.
    function _digest(bytes32 id, Record calldata r) private pure returns (bytes32) {
        return keccak256(abi.encode(id, r.sequence, r.destination, r.receiver, r.contentType, sha256(r.payload)));
    }
}
