// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title Liaison Outbox
/// @notice Publishes records for other ledgers. Each record gets the next
/// sequence number, a cross-ledger record ID and a commitment (digest) that
/// is kept in storage, so a relayer can prove it with eth_getProof, and an
/// event that carries the full record.
/// @dev Record ID (the same rule on every ledger):
///   id = sha256("liaison/record-id/v1" ‖ uint16be(len(chain)) ‖ chain
///               ‖ uint16be(20) ‖ address(this) ‖ uint64be(seq))
/// Digest (commitment):
///   keccak256(abi.encode(bytes32 id, uint64 seq, string destination,
///             string receiver, string contentType, bytes32 sha256(payload)))
/// Storage layout: `commitments` is the first state variable, so it lives in
/// slot 0 and the storage key of commitments[id] is
/// keccak256(id ‖ uint256(0)). Do not add state variables before it.
contract Outbox {
    /// @notice The digest of every published record, keyed by record ID;
    /// zero for an ID that was never published.
    /// @dev MUST stay in storage slot 0: relayers prove
    /// keccak256(id ‖ uint256(0)) with eth_getProof.
    mapping(bytes32 id => bytes32 digest) public commitments;

    /// @notice The sequence number of the last published record; zero before
    /// the first one.
    uint64 private _lastSequence;

    /// @notice This ledger's agreed chain name, hashed into every record ID.
    string private _chainName;

    /// @notice A record was published.
    /// @param id The record ID.
    /// @param sequence The record's sequence number (1 for the first record).
    /// @param destination The chain name of the destination ledger.
    /// @param receiver The receiver on the destination ledger, free-form.
    /// @param contentType The payload's media type, free-form.
    /// @param payload The payload bytes.
    /// @param payloadHash sha256(payload).
    event RecordPublished(
        bytes32 indexed id,
        uint64 indexed sequence,
        string destination,
        string receiver,
        string contentType,
        bytes payload,
        bytes32 payloadHash
    );

    /// @notice The chain name given to the constructor is empty.
    error EmptyChainName();

    /// @notice The chain name given to the constructor is longer than 65535
    /// bytes, so its length does not fit the record ID's uint16 prefix.
    /// @param length The chain name's length in bytes.
    error ChainNameTooLong(uint256 length);

    /// @notice publish was called with an empty destination.
    error EmptyDestination();

    /// @notice Creates an Outbox for the ledger called `chainName_`.
    /// @param chainName_ The ledger's agreed chain name (UTF-8, 1 to 65535
    /// bytes); it is part of every record ID and cannot change.
    constructor(string memory chainName_) {
        uint256 length = bytes(chainName_).length;
        if (length == 0) revert EmptyChainName();
        if (length > type(uint16).max) revert ChainNameTooLong(length);
        _chainName = chainName_;
    }

    /// @notice Publishes a record to `destination` and commits to it.
    /// @dev Emits RecordPublished and stores commitments[id] = digest.
    /// Reverts with EmptyDestination when destination is empty.
    /// @param destination The chain name of the destination ledger; not empty.
    /// @param receiver The receiver on the destination ledger.
    /// @param contentType The payload's media type.
    /// @param payload The payload bytes.
    /// @return id The record ID.
    /// @return seq The record's sequence number, starting at 1.
    function publish(
        string calldata destination,
        string calldata receiver,
        string calldata contentType,
        bytes calldata payload
    ) external returns (bytes32 id, uint64 seq) {
        return _publish(destination, receiver, contentType, payload);
    }

    /// @notice A record to publish with publishBatch.
    /// @param destination The chain name of the destination ledger; not empty.
    /// @param receiver The receiver on the destination ledger.
    /// @param contentType The payload's media type.
    /// @param payload The payload bytes.
    struct Message {
        string destination;
        string receiver;
        string contentType;
        bytes payload;
    }

    /// @notice Publishes several records in one transaction, in order, each
    /// exactly as `publish` would: its own sequence number, ID, commitment
    /// and RecordPublished event.
    /// @dev Reverts with EmptyDestination, publishing none, when a message
    /// has an empty destination.
    /// @param messages The records to publish.
    /// @return ids The record IDs, in order.
    /// @return firstSeq The sequence number of the first record; the others
    /// follow it.
    function publishBatch(Message[] calldata messages) external returns (bytes32[] memory ids, uint64 firstSeq) {
        ids = new bytes32[](messages.length);
        firstSeq = _lastSequence + 1;
        for (uint256 i = 0; i < messages.length; i++) {
            Message calldata m = messages[i];
            (ids[i],) = _publish(m.destination, m.receiver, m.contentType, m.payload);
        }
    }

    /// @dev publish for one record.
    function _publish(
        string calldata destination,
        string calldata receiver,
        string calldata contentType,
        bytes calldata payload
    ) private returns (bytes32 id, uint64 seq) {
        if (bytes(destination).length == 0) revert EmptyDestination();
        seq = _lastSequence + 1;
        _lastSequence = seq;
        id = _recordId(seq);
        bytes32 payloadHash = sha256(payload);
        commitments[id] = keccak256(abi.encode(id, seq, destination, receiver, contentType, payloadHash));
        emit RecordPublished(id, seq, destination, receiver, contentType, payload, payloadHash);
    }

    /// @notice The ledger's agreed chain name.
    /// @return The chain name given to the constructor.
    function chainName() external view returns (string memory) {
        return _chainName;
    }

    /// @notice The sequence number the next publish will use.
    /// @return The next sequence number; 1 before the first record.
    function nextSequence() external view returns (uint64) {
        return _lastSequence + 1;
    }

    /// @notice The record ID that sequence `seq` has (or will have) in this
    /// Outbox; it does not say whether the record was published.
    /// @param seq A sequence number.
    /// @return The record ID.
    function recordId(uint64 seq) external view returns (bytes32) {
        return _recordId(seq);
    }

    /// @dev Computes the record ID for `seq` with this contract as emitter.
    function _recordId(uint64 seq) private view returns (bytes32) {
        bytes memory chain = bytes(_chainName);
        return sha256(
            abi.encodePacked("liaison/record-id/v1", uint16(chain.length), chain, uint16(20), address(this), seq)
        );
    }
}
