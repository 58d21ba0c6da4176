package types

import errorsmod "cosmossdk.io/errors"

// Errors of the records module. Codes are stable: clients may match on
// (codespace "records", code).
var (
	// ErrInvalidRecord: a record's fields are malformed, or its ID or
	// payload hash does not follow from them. Permanent.
	ErrInvalidRecord = errorsmod.Register(ModuleName, 2, "invalid record")
	// ErrWrongDestination: an incoming record names another destination.
	// Permanent.
	ErrWrongDestination = errorsmod.Register(ModuleName, 3, "record is for another destination")
	// ErrAlreadyDelivered: a record with this ID was delivered before.
	// The record is on this chain; the caller should treat it as delivered.
	ErrAlreadyDelivered = errorsmod.Register(ModuleName, 4, "record already delivered")
	// ErrInvalidPayload: the IBC payload's ports, version or encoding are
	// not the records protocol's. Permanent.
	ErrInvalidPayload = errorsmod.Register(ModuleName, 5, "invalid records payload")
	// ErrUnauthorizedSend: a records packet was sent other than by
	// MsgPublishRecord.
	ErrUnauthorizedSend = errorsmod.Register(ModuleName, 6, "records packets are sent only by MsgPublishRecord")
	// ErrNotFound: no record with this ID or sequence.
	ErrNotFound = errorsmod.Register(ModuleName, 7, "record not found")
	// ErrInvalidTimeout: timeout_seconds is above MaxTimeoutSeconds.
	ErrInvalidTimeout = errorsmod.Register(ModuleName, 8, "invalid timeout")
	// ErrInvalidParams: the module parameters are missing or malformed.
	ErrInvalidParams = errorsmod.Register(ModuleName, 9, "invalid records params")
	// ErrInvalidAck: a success acknowledgement does not name the record the
	// packet carried.
	ErrInvalidAck = errorsmod.Register(ModuleName, 10, "invalid records acknowledgement")
)
