package cosmos

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/crypto/types/multisig"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	clientv2types "github.com/cosmos/ibc-go/v10/modules/core/02-client/v2/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"
	hostv2 "github.com/cosmos/ibc-go/v10/modules/core/24-host/v2"
	solomachine "github.com/cosmos/ibc-go/v10/modules/light-clients/06-solomachine"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// CounterpartyPrefix is the Merkle prefix registered for the gateway side:
// ["ibc", ""], so that the path of a packet commitment is ("ibc", key) and
// the solomachine signs key itself (the second element).
var CounterpartyPrefix = [][]byte{[]byte("ibc"), {}}

// attestorKeys is the key of the gateway's solomachine client and the
// private keys this relayer signs its proofs with.
type attestorKeys struct {
	// pub is the client's public key: one secp256k1 key, or a
	// LegacyAminoPubKey of N keys with threshold M.
	pub cryptotypes.PubKey
	// members are the multisig's keys in order; nil for a single key.
	members []cryptotypes.PubKey
	// signers are the private keys held here, by member index (single
	// key: index 0).
	signers   map[int]*secp256k1.PrivKey
	threshold int
}

// loadAttestors builds the client key from the configuration. With
// multisig, every held key must be a member, and at least threshold of
// them must be held: collecting the other departments' signatures is not
// implemented (doc.go describes how it would work).
func loadAttestors(g config.CosmosGateway) (*attestorKeys, error) {
	keys := make([]*secp256k1.PrivKey, len(g.AttestorKeys))
	for i, s := range g.AttestorKeys {
		k, err := loadKey(fmt.Sprintf("gateway.attestor_keys[%d]", i), s)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	if g.Multisig == nil {
		if len(keys) != 1 {
			return nil, fmt.Errorf("gateway: want exactly one attestor key without multisig, have %d (set account.key or gateway.attestor_keys)", len(keys))
		}
		return &attestorKeys{pub: keys[0].PubKey(), signers: map[int]*secp256k1.PrivKey{0: keys[0]}, threshold: 1}, nil
	}
	ms := g.Multisig
	a := &attestorKeys{signers: map[int]*secp256k1.PrivKey{}, threshold: ms.Threshold}
	for i, s := range ms.PublicKeys {
		b, err := config.ParseCosmosPubKey(s)
		if err != nil {
			return nil, fmt.Errorf("gateway.multisig.public_keys[%d]: %w", i, err)
		}
		a.members = append(a.members, &secp256k1.PubKey{Key: b})
	}
	if ms.Threshold < 1 || ms.Threshold > len(a.members) {
		return nil, fmt.Errorf("gateway.multisig.threshold %d: must be from 1 to %d", ms.Threshold, len(a.members))
	}
	for i, k := range keys {
		idx := -1
		for j, m := range a.members {
			if m.Equals(k.PubKey()) {
				idx = j
			}
		}
		if idx < 0 {
			return nil, fmt.Errorf("gateway.attestor_keys[%d] (public key %X) is not one of gateway.multisig.public_keys", i, k.PubKey().Bytes())
		}
		a.signers[idx] = k
	}
	a.pub = kmultisig.NewLegacyAminoPubKey(ms.Threshold, a.members)
	return a, nil
}

// canSign reports whether the keys held here make a valid proof.
func (a *attestorKeys) canSign() error {
	if len(a.signers) < a.threshold {
		return fmt.Errorf("%w: this relayer holds %d of the %d attestor signatures the gateway client needs; "+
			"collecting the other departments' signatures is not implemented (see the package doc)", relayer.ErrPermanent, len(a.signers), a.threshold)
	}
	return nil
}

// pubAny is the client's public key as the consensus state holds it.
func (a *attestorKeys) pubAny() (*codectypes.Any, error) { return codectypes.NewAnyWithValue(a.pub) }

// sign signs msg with the held keys: a single signature, or a multisig
// made of the first threshold held keys in member order.
func (a *attestorKeys) sign(msg []byte) ([]byte, error) {
	if err := a.canSign(); err != nil {
		return nil, err
	}
	var data signing.SignatureData
	if a.members == nil {
		sig, err := a.signers[0].Sign(msg)
		if err != nil {
			return nil, err
		}
		data = &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT, Signature: sig}
	} else {
		md := multisig.NewMultisig(len(a.members))
		n := 0
		for idx := range a.members {
			k, ok := a.signers[idx]
			if !ok || n == a.threshold {
				continue
			}
			sig, err := k.Sign(msg)
			if err != nil {
				return nil, err
			}
			multisig.AddSignature(md, &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT, Signature: sig}, idx)
			n++
		}
		data = md
	}
	return signing.SignatureDataToProto(data).Marshal()
}

// loadKey reads a hex secp256k1 key. Errors name the secret's source only.
func loadKey(field string, s config.Secret) (*secp256k1.PrivKey, error) {
	raw, err := s.Resolve()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	h := strings.TrimPrefix(strings.TrimPrefix(string(raw), "0x"), "0X")
	b, err := hex.DecodeString(h)
	for i := range raw {
		raw[i] = 0
	}
	if err != nil || len(b) != secp256k1.PrivKeySize {
		return nil, fmt.Errorf("%s (%v): not a 32-byte hex secp256k1 key", field, s)
	}
	return &secp256k1.PrivKey{Key: b}, nil
}

// PacketSequence returns the IBC v2 sequence of the packet that delivers
// the record with the given ID: its first 8 bytes, big-endian (1 if they
// are zero). It is deterministic, so every submission of one record is the
// same packet as far as the chain's receipts go: the chain receives a
// sequence once, and a repeated delivery is a no-op.
func PacketSequence(id relayer.RecordID) uint64 {
	if s := binary.BigEndian.Uint64(id[:8]); s != 0 {
		return s
	}
	return 1
}

// deliveryPacket builds the IBC v2 packet that carries rec from the gateway
// (sourceClient, the counterparty id) to the chain's gateway client, timing
// out at timeout (Unix seconds).
func deliveryPacket(rec *relayer.Record, sourceClient, destClient string, timeout uint64) (channeltypesv2.Packet, error) {
	value, err := EncodeRecordValue(rec)
	if err != nil {
		return channeltypesv2.Packet{}, err
	}
	payload := channeltypesv2.NewPayload(PortID, PortID, PayloadVersion, PayloadEncoding, value)
	return channeltypesv2.NewPacket(PacketSequence(rec.ID), sourceClient, destClient, timeout, payload), nil
}

// clientState is what delivery needs of the gateway client.
type clientState struct {
	sequence    uint64
	timestamp   uint64 // nanoseconds
	diversifier string
	frozen      bool
	pubKey      *codectypes.Any
}

// readClientState reads the gateway client from the chain at its latest
// height.
func readClientState(ctx context.Context, ep *endpoint, clientID string) (clientState, error) {
	var resp clienttypes.QueryClientStateResponse
	if err := ep.invoke(ctx, "/ibc.core.client.v1.Query/ClientState", &clienttypes.QueryClientStateRequest{ClientId: clientID}, &resp, 0); err != nil {
		if errors.Is(err, errNotFound) {
			return clientState{}, fmt.Errorf("%w: client %s does not exist on the chain (run liaison cosmos setup-client): %w", relayer.ErrPermanent, clientID, err)
		}
		return clientState{}, err
	}
	if resp.ClientState == nil || resp.ClientState.TypeUrl != "/ibc.lightclients.solomachine.v3.ClientState" {
		return clientState{}, fmt.Errorf("%w: client %s is not a 06-solomachine client", relayer.ErrPermanent, clientID)
	}
	var cs solomachine.ClientState
	if err := cs.Unmarshal(resp.ClientState.Value); err != nil || cs.ConsensusState == nil {
		return clientState{}, fmt.Errorf("node %s: client %s: undecodable solomachine client state: %v", ep.name, clientID, err)
	}
	return clientState{sequence: cs.Sequence, timestamp: cs.ConsensusState.Timestamp, diversifier: cs.ConsensusState.Diversifier,
		frozen: cs.IsFrozen, pubKey: cs.ConsensusState.PublicKey}, nil
}

// readCounterparty reads the counterparty registered for the client.
func readCounterparty(ctx context.Context, ep *endpoint, clientID string) (clientv2types.CounterpartyInfo, error) {
	var resp clientv2types.QueryCounterpartyInfoResponse
	if err := ep.invoke(ctx, "/ibc.core.client.v2.Query/CounterpartyInfo", &clientv2types.QueryCounterpartyInfoRequest{ClientId: clientID}, &resp, 0); err != nil {
		if errors.Is(err, errNotFound) {
			return clientv2types.CounterpartyInfo{}, fmt.Errorf("%w: client %s has no registered counterparty (run liaison cosmos setup-client): %w", relayer.ErrPermanent, clientID, err)
		}
		return clientv2types.CounterpartyInfo{}, err
	}
	if resp.CounterpartyInfo == nil {
		return clientv2types.CounterpartyInfo{}, fmt.Errorf("%w: client %s has no registered counterparty", relayer.ErrPermanent, clientID)
	}
	return *resp.CounterpartyInfo, nil
}

// commitmentProof signs the solomachine proof that the gateway committed
// packet: TimestampedSignatureData over SignBytes{sequence, timestamp,
// diversifier, path = the commitment key under the counterparty prefix,
// data = CommitPacket(packet)}. The timestamp is now, or the client's if
// that is later, so that it never decreases.
func (a *attestorKeys) commitmentProof(cs clientState, prefix [][]byte, packet channeltypesv2.Packet, now time.Time) ([]byte, uint64, error) {
	path := channeltypesv2.BuildMerklePath(prefix, hostv2.PacketCommitmentKey(packet.SourceClient, packet.Sequence))
	key, err := path.GetKey(1)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: counterparty prefix of %d elements: %v", relayer.ErrPermanent, len(prefix), err)
	}
	ts := max(uint64(now.UnixNano()), cs.timestamp)
	sb := solomachine.SignBytes{Sequence: cs.sequence, Timestamp: ts, Diversifier: cs.diversifier, Path: key, Data: channeltypesv2.CommitPacket(packet)}
	msg, err := sb.Marshal()
	if err != nil {
		return nil, 0, err
	}
	sig, err := a.sign(msg)
	if err != nil {
		return nil, 0, err
	}
	proof, err := (&solomachine.TimestampedSignatureData{SignatureData: sig, Timestamp: ts}).Marshal()
	return proof, ts, err
}

// checkClient checks that the client is active and has our key.
func (a *attestorKeys) checkClient(clientID string, cs clientState) error {
	if cs.frozen {
		return fmt.Errorf("%w: client %s is frozen (a misbehaviour was submitted for it): create a new one with liaison cosmos setup-client", relayer.ErrPermanent, clientID)
	}
	want, err := a.pubAny()
	if err != nil {
		return err
	}
	if cs.pubKey == nil || cs.pubKey.TypeUrl != want.TypeUrl || !bytes.Equal(cs.pubKey.Value, want.Value) {
		return fmt.Errorf("%w: client %s has another public key than the configured attestor key(s): wrong client_id, or the keys changed", relayer.ErrPermanent, clientID)
	}
	return nil
}

// hashTx is CometBFT's transaction hash.
func hashTx(tx []byte) string {
	sum := sha256.Sum256(tx)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
