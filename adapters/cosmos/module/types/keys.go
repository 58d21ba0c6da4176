package types

import "encoding/binary"

const (
	// ModuleName is the module's name in genesis, routes and events.
	ModuleName = "records"
	// StoreKey is the name of the module's KV store: the "records" in the
	// ABCI query path "store/records/key".
	StoreKey = ModuleName
	// PortID is the IBC v2 port of the module on every Cosmos ledger, and
	// the UTF-8 emitter hashed into the IDs of the records it publishes.
	PortID = "records"
	// Version is the payload version every records packet carries.
	Version = "liaison-records-1"
	// Encoding is the payload encoding every records packet carries.
	Encoding = "application/json"

	// MaxTimeoutSeconds caps a packet timeout: ibc-go refuses timeouts more
	// than 24 hours after the block time.
	MaxTimeoutSeconds = 24 * 60 * 60
	// DefaultTimeoutSeconds is the timeout used when a message gives 0.
	DefaultTimeoutSeconds = 60 * 60
)

// Store layout of the "records" KV store. Every key begins with one prefix
// byte; record IDs are the raw 32 bytes and integers are big-endian, so the
// keys can be built by any client that wants a proof (ABCI query path
// "store/records/key" with prove=true).
const (
	// ParamsPrefix holds Params (protobuf), under the single key {0x01}.
	ParamsPrefix byte = 0x01
	// NextSequencePrefix holds the next record sequence as u64be, under
	// the single key {0x02}. Absent means 1.
	NextSequencePrefix byte = 0x02
	// PublishedPrefix: {0x03} ‖ id(32) → PublishedRecord (protobuf).
	PublishedPrefix byte = 0x03
	// DeliveredPrefix: {0x04} ‖ id(32) → DeliveredRecord (protobuf).
	DeliveredPrefix byte = 0x04
	// SequenceIndexPrefix: {0x05} ‖ u64be(sequence) → id(32) of the
	// record this chain published with that sequence.
	SequenceIndexPrefix byte = 0x05
	// RecordValuePrefix: {0x06} ‖ id(32) → the packet value that carried
	// the published record (its JSON, EncodePacketValue). Written once by
	// MsgPublishRecord and never changed or deleted, unlike the packet
	// commitment in the ibc store, which ibc-go deletes on acknowledgement
	// or timeout. A relayer proves a published record with this key.
	RecordValuePrefix byte = 0x06
)

// ParamsKey returns the key of the module parameters.
func ParamsKey() []byte { return []byte{ParamsPrefix} }

// NextSequenceKey returns the key of the next record sequence.
func NextSequenceKey() []byte { return []byte{NextSequencePrefix} }

// PublishedKey returns the key of the published record with the given ID.
func PublishedKey(id RecordID) []byte { return append([]byte{PublishedPrefix}, id[:]...) }

// DeliveredKey returns the key of the delivered record with the given ID.
func DeliveredKey(id RecordID) []byte { return append([]byte{DeliveredPrefix}, id[:]...) }

// RecordValueKey returns the key of the packet value of the published
// record with the given ID.
func RecordValueKey(id RecordID) []byte { return append([]byte{RecordValuePrefix}, id[:]...) }

// SequenceIndexKey returns the key of the ID of the record this chain
// published with sequence seq.
func SequenceIndexKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{SequenceIndexPrefix}, seq)
}
