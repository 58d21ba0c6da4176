package types

// Event types and attribute keys. Attribute values are strings: record IDs
// as 64 lower-case hex digits, integers in decimal.
const (
	// EventTypePublished is emitted by MsgPublishRecord.
	EventTypePublished = "liaison.record_published"
	// EventTypeDelivered is emitted when an incoming record is stored.
	EventTypeDelivered = "liaison.record_delivered"
	// EventTypeRefused is emitted when an incoming record is refused. IBC
	// v2 renames a failed callback's events, so clients see it as
	// "ibccallbackerror-liaison.record_refused" with every attribute key
	// prefixed by "ibccallbackerror-".
	EventTypeRefused = "liaison.record_refused"
	// EventTypeAcknowledged is emitted when the destination acknowledged a
	// published record (success or error ack).
	EventTypeAcknowledged = "liaison.record_acknowledged"
	// EventTypeTimedOut is emitted when a published record's packet timed out.
	EventTypeTimedOut = "liaison.record_timed_out"

	AttributeID                = "id"
	AttributeSequence          = "sequence"
	AttributeSourceChain       = "source_chain"
	AttributeDestination       = "destination"
	AttributeReceiver          = "receiver"
	AttributePacketSequence    = "packet_sequence"
	AttributeSourceClient      = "source_client"
	AttributeDestinationClient = "destination_client"
	AttributeStatus            = "status"
	AttributeReason            = "reason"
)
