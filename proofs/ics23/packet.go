package ics23

import (
	"crypto/sha256"
	"encoding/binary"
)

// Prefix bytes of the IBC v2 packet keys (ibc-go v10 24-host/v2): a key is
// the client ID, one of these, and the sequence as 8 big-endian bytes.
const (
	packetCommitmentPrefix      = 1
	packetReceiptPrefix         = 2
	packetAcknowledgementPrefix = 3
)

// PacketCommitmentKey returns the IBC-store key of the commitment of the
// IBC v2 packet sent with sequence on the source client clientID:
// clientID ‖ 0x01 ‖ uint64be(sequence). Its Merkle path is ("ibc", key).
func PacketCommitmentKey(clientID string, sequence uint64) []byte {
	return packetKey(clientID, packetCommitmentPrefix, sequence)
}

// PacketReceiptKey returns the key of the receipt, at the destination, of
// the packet with sequence received on clientID: clientID ‖ 0x02 ‖
// uint64be(sequence). Its absence proves a timeout.
func PacketReceiptKey(clientID string, sequence uint64) []byte {
	return packetKey(clientID, packetReceiptPrefix, sequence)
}

// PacketAcknowledgementKey returns the key of the acknowledgement
// commitment, at the destination, of the packet with sequence received on
// clientID: clientID ‖ 0x03 ‖ uint64be(sequence).
func PacketAcknowledgementKey(clientID string, sequence uint64) []byte {
	return packetKey(clientID, packetAcknowledgementPrefix, sequence)
}

func packetKey(clientID string, prefix byte, sequence uint64) []byte {
	k := make([]byte, 0, len(clientID)+9)
	k = append(k, clientID...)
	k = append(k, prefix)
	return binary.BigEndian.AppendUint64(k, sequence)
}

// Payload is one application payload of an IBC v2 packet.
type Payload struct {
	SourcePort      string `json:"source_port"`
	DestinationPort string `json:"destination_port"`
	Version         string `json:"version"`
	Encoding        string `json:"encoding"`
	Value           []byte `json:"value"`
}

// Packet is an IBC v2 packet (ibc.core.channel.v2.Packet).
type Packet struct {
	Sequence          uint64    `json:"sequence"`
	SourceClient      string    `json:"source_client"`
	DestinationClient string    `json:"destination_client"`
	TimeoutTimestamp  uint64    `json:"timeout_timestamp"` // Unix seconds
	Payloads          []Payload `json:"payloads"`
}

// CommitPacket returns the 32-byte value ibc-go v10 stores under
// PacketCommitmentKey for p:
//
//	sha256(0x02 ‖ sha256(DestinationClient) ‖ sha256(uint64be(TimeoutTimestamp)) ‖ sha256(P))
//
// where P is the concatenation, in order, of one hash per payload,
// sha256(sha256(SourcePort) ‖ sha256(DestinationPort) ‖ sha256(Version) ‖
// sha256(Encoding) ‖ sha256(Value)). Every part is hashed to a fixed size
// before concatenation, so no two packets share a preimage. The sequence
// and source client are not hashed: they are in the key.
func CommitPacket(p Packet) []byte {
	payloads := make([]byte, 0, sha256.Size*len(p.Payloads))
	for _, pl := range p.Payloads {
		payloads = append(payloads, hashPayload(pl)...)
	}
	var timeout [8]byte
	binary.BigEndian.PutUint64(timeout[:], p.TimeoutTimestamp)

	h := sha256.New()
	h.Write([]byte{2})
	h.Write(sum([]byte(p.DestinationClient)))
	h.Write(sum(timeout[:]))
	h.Write(sum(payloads))
	return h.Sum(nil)
}

func hashPayload(pl Payload) []byte {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(pl.SourcePort), []byte(pl.DestinationPort), []byte(pl.Version), []byte(pl.Encoding), pl.Value} {
		h.Write(sum(part))
	}
	return h.Sum(nil)
}

// CommitAcknowledgement returns the value ibc-go v10 stores under
// PacketAcknowledgementKey for the application acknowledgements acks (one
// per payload): sha256(0x02 ‖ sha256(acks[0]) ‖ sha256(acks[1]) ‖ …).
func CommitAcknowledgement(acks [][]byte) []byte {
	h := sha256.New()
	h.Write([]byte{2})
	for _, a := range acks {
		h.Write(sum(a))
	}
	return h.Sum(nil)
}

func sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
