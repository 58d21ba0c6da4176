package records_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	abci "github.com/cometbft/cometbft/abci/types"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	clientv2types "github.com/cosmos/ibc-go/v10/modules/core/02-client/v2/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"
	hostv2 "github.com/cosmos/ibc-go/v10/modules/core/24-host/v2"
	solomachine "github.com/cosmos/ibc-go/v10/modules/light-clients/06-solomachine"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/app"
	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

// These tests run the records module on real in-process chains: ibc-go's
// testing coordinator with liaison-simd's app (simapp + records), so every
// packet goes through ibc-go's own send, receive, acknowledge and timeout
// handlers and their proofs.

func TestMain(m *testing.M) {
	ibctesting.DefaultTestingAppInit = newTestingApp
	os.Exit(m.Run())
}

// chainNames are handed out to the chains the next coordinator creates, in
// order; newCoordinator sets them.
var chainNames []string

func newTestingApp() (ibctesting.TestingApp, map[string]json.RawMessage) {
	a, err := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.EmptyAppOptions{})
	if err != nil {
		panic(err)
	}
	if len(chainNames) == 0 {
		panic("newTestingApp: no chain name left; use newCoordinator")
	}
	name := chainNames[0]
	chainNames = chainNames[1:]
	gen := a.DefaultGenesis()
	gen[types.ModuleName] = a.AppCodec().MustMarshalJSON(&types.GenesisState{Params: types.Params{ChainName: name}, NextSequence: 1})
	return a, gen
}

// newCoordinator starts one in-process chain per name; chain i+1 has the
// records chain name names[i].
func newCoordinator(t *testing.T, names ...string) *ibctesting.Coordinator {
	t.Helper()
	chainNames = names
	return ibctesting.NewCoordinator(t, len(names))
}

func chain(coord *ibctesting.Coordinator, i int) *ibctesting.TestChain {
	return coord.GetChain(ibctesting.GetChainID(i))
}

func recordsApp(c *ibctesting.TestChain) *app.App { return c.App.(*app.App) }

// publish sends MsgPublishRecord from c's default sender and returns the
// response, the packet it sent and the transaction result.
func publish(t *testing.T, c *ibctesting.TestChain, msg *types.MsgPublishRecord) (*types.MsgPublishRecordResponse, channeltypesv2.Packet, *abci.ExecTxResult) {
	t.Helper()
	msg.Sender = c.SenderAccount.GetAddress().String()
	res, err := c.SendMsgs(msg)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	var data sdk.TxMsgData
	if err := proto.Unmarshal(res.Data, &data); err != nil {
		t.Fatal(err)
	}
	var out types.MsgPublishRecordResponse
	if err := proto.Unmarshal(data.MsgResponses[0].Value, &out); err != nil {
		t.Fatal(err)
	}
	packets, err := ibctesting.ParseIBCV2Packets(channeltypesv2.EventTypeSendPacket, res.Events)
	if err != nil || len(packets) != 1 {
		t.Fatalf("send_packet events: %v, %d packets", err, len(packets))
	}
	return &out, packets[0], res
}

func eventAttrs(events []abci.Event, typ string) map[string]string {
	for _, e := range events {
		if e.Type == typ {
			m := map[string]string{}
			for _, a := range e.Attributes {
				m[a.Key] = a.Value
			}
			return m
		}
	}
	return nil
}

// TestPublishDeliverAcknowledge publishes a record on "finance", relays the
// packet to "registry" over 07-tendermint clients, and relays the
// acknowledgement back.
func TestPublishDeliverAcknowledge(t *testing.T) {
	coord := newCoordinator(t, "finance", "registry")
	finance, registry := chain(coord, 1), chain(coord, 2)
	path := ibctesting.NewPath(finance, registry)
	path.SetupV2()

	msg := &types.MsgPublishRecord{
		SourceClient:   path.EndpointA.ClientID,
		Destination:    "registry",
		Receiver:       "licences",
		ContentType:    "application/json",
		Payload:        []byte(`{"licence":42}`),
		TimeoutSeconds: 600,
	}
	resp, packet, res := publish(t, finance, msg)

	// Sequence and ID: the first record is sequence 1, and its ID follows
	// the rule with chain "finance" and emitter "records".
	wantID, _ := types.ComputeRecordID("finance", []byte("records"), 1)
	if resp.Sequence != 1 || !bytes.Equal(resp.Id, wantID[:]) {
		t.Fatalf("response = seq %d id %x, want seq 1 id %s", resp.Sequence, resp.Id, wantID)
	}
	// The packet: one payload, records → records, our version and
	// encoding, and the record's JSON as value.
	wantRecord, _ := types.NewRecord("finance", []byte("records"), 1, "registry", "licences", "application/json", []byte(`{"licence":42}`))
	wantValue, _ := types.EncodePacketValue(wantRecord)
	if len(packet.Payloads) != 1 {
		t.Fatalf("packet has %d payloads", len(packet.Payloads))
	}
	p := packet.Payloads[0]
	if p.SourcePort != "records" || p.DestinationPort != "records" || p.Version != "liaison-records-1" ||
		p.Encoding != "application/json" || !bytes.Equal(p.Value, wantValue) {
		t.Fatalf("payload = %+v\nwant value %s", p, wantValue)
	}
	if packet.Sequence != resp.PacketSequence || packet.SourceClient != path.EndpointA.ClientID ||
		packet.DestinationClient != path.EndpointB.ClientID {
		t.Fatalf("packet = %+v", packet)
	}
	if want := uint64(finance.GetContext().BlockTime().Unix()) + 600; packet.TimeoutTimestamp > want || packet.TimeoutTimestamp < want-10 {
		t.Fatalf("timeout %d, want about %d", packet.TimeoutTimestamp, want)
	}
	// The commitment is in the ibc store under the v2 key.
	ctx := finance.GetContext()
	commitment := finance.App.GetIBCKeeper().ChannelKeeperV2.GetPacketCommitment(ctx, packet.SourceClient, packet.Sequence)
	if !bytes.Equal(commitment, channeltypesv2.CommitPacket(packet)) {
		t.Fatal("packet commitment in the ibc store does not match the sent packet")
	}
	// Event and stored state.
	ev := eventAttrs(res.Events, types.EventTypePublished)
	if ev["id"] != wantID.String() || ev["sequence"] != "1" || ev["packet_sequence"] != "1" ||
		ev["source_client"] != path.EndpointA.ClientID || ev["destination_client"] != path.EndpointB.ClientID {
		t.Fatalf("record_published event = %v", ev)
	}
	k := recordsApp(finance).RecordsKeeper
	pub, found, err := k.GetPublished(ctx, wantID)
	if err != nil || !found || pub.Status != types.PUBLISH_STATUS_SENT || pub.Packet.Sequence != packet.Sequence {
		t.Fatalf("published = %+v, %v, %v", pub, found, err)
	}
	if v, _ := k.GetRecordValue(ctx, wantID); !bytes.Equal(v, wantValue) {
		t.Fatalf("record value at 0x06‖id = %s, want the packet value", v)
	}
	if next, _ := k.NextSequence(ctx); next != 2 {
		t.Fatalf("next sequence = %d, want 2", next)
	}

	// Relay to registry.
	if err := path.EndpointB.UpdateClient(); err != nil {
		t.Fatal(err)
	}
	if err := path.EndpointB.MsgRecvPacket(packet); err != nil {
		t.Fatal(err)
	}
	rctx := registry.GetContext()
	d, found, err := recordsApp(registry).RecordsKeeper.GetDelivered(rctx, wantID)
	if err != nil || !found {
		t.Fatalf("delivered: %v, %v", found, err)
	}
	if d.PacketSequence != packet.Sequence || d.DestinationClient != path.EndpointB.ClientID || !bytes.Equal(d.Record.Payload, msg.Payload) {
		t.Fatalf("delivered = %+v", d)
	}
	ack := channeltypesv2.NewAcknowledgement(types.EncodeAck(wantID))
	stored := registry.App.GetIBCKeeper().ChannelKeeperV2.GetPacketAcknowledgement(rctx, packet.DestinationClient, packet.Sequence)
	if !bytes.Equal(stored, channeltypesv2.CommitAcknowledgement(ack)) {
		t.Fatal(`acknowledgement is not {"record_id": id}`)
	}

	// Relay the acknowledgement back.
	if err := path.EndpointA.MsgAcknowledgePacket(packet, ack); err != nil {
		t.Fatal(err)
	}
	pub, _, _ = k.GetPublished(finance.GetContext(), wantID)
	if pub.Status != types.PUBLISH_STATUS_ACKNOWLEDGED {
		t.Fatalf("status after ack = %s", pub.Status)
	}

	// A second record gets the next sequences.
	resp2, packet2, _ := publish(t, finance, msg)
	if resp2.Sequence != 2 || packet2.Sequence != 2 {
		t.Fatalf("second record: seq %d packet %d", resp2.Sequence, packet2.Sequence)
	}
	bySeq, found, _ := k.GetPublishedBySequence(finance.GetContext(), 2)
	if !found || !bytes.Equal(bySeq.Record.Id, resp2.Id) {
		t.Fatal("published-by-sequence index does not find record 2")
	}
}

func TestPublishTimeout(t *testing.T) {
	coord := newCoordinator(t, "finance", "registry")
	finance, registry := chain(coord, 1), chain(coord, 2)
	path := ibctesting.NewPath(finance, registry)
	path.SetupV2()

	resp, packet, _ := publish(t, finance, &types.MsgPublishRecord{
		SourceClient: path.EndpointA.ClientID, Destination: "registry", Payload: []byte("x"), TimeoutSeconds: 30,
	})
	coord.IncrementTimeBy(time.Minute)
	coord.CommitBlock(registry)
	if err := path.EndpointA.UpdateClient(); err != nil {
		t.Fatal(err)
	}
	if err := path.EndpointA.MsgTimeoutPacket(packet); err != nil {
		t.Fatal(err)
	}
	id, _ := types.RecordIDFromBytes(resp.Id)
	pub, _, _ := recordsApp(finance).RecordsKeeper.GetPublished(finance.GetContext(), id)
	if pub.Status != types.PUBLISH_STATUS_TIMED_OUT {
		t.Fatalf("status = %s, want TIMED_OUT", pub.Status)
	}
}

func TestPublishRefused(t *testing.T) {
	coord := newCoordinator(t, "finance", "registry")
	finance, registry := chain(coord, 1), chain(coord, 2)
	path := ibctesting.NewPath(finance, registry)
	path.SetupV2()
	k := recordsApp(finance).RecordsKeeper

	cases := map[string]struct {
		msg  types.MsgPublishRecord
		want error
	}{
		"timeout above 24 h": {types.MsgPublishRecord{SourceClient: path.EndpointA.ClientID, Destination: "registry", TimeoutSeconds: 86401}, types.ErrInvalidTimeout},
		"no destination":     {types.MsgPublishRecord{SourceClient: path.EndpointA.ClientID}, types.ErrInvalidRecord},
		"unknown client":     {types.MsgPublishRecord{SourceClient: "07-tendermint-99", Destination: "registry"}, clientv2types.ErrCounterpartyNotFound},
		"not a client id":    {types.MsgPublishRecord{SourceClient: "records", Destination: "registry"}, types.ErrInvalidRecord},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			msg := tc.msg
			msg.Sender = finance.SenderAccount.GetAddress().String()
			// Directly, on a throw-away branch of the state: the error.
			ctx, _ := finance.GetContext().CacheContext()
			_, err := k.Publish(ctx, &msg)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			// Through a transaction, the failure leaves no trace.
			if _, err := finance.SendMsgs(&msg); err == nil {
				t.Fatal("transaction succeeded")
			}
			if next, _ := k.NextSequence(finance.GetContext()); next != 1 {
				t.Fatalf("next sequence = %d after a failed publish", next)
			}
		})
	}
}

// TestForeignSendRefused checks that no account can send a packet from the
// records port other than through MsgPublishRecord: otherwise anyone could
// make this chain emit records it never published.
func TestForeignSendRefused(t *testing.T) {
	coord := newCoordinator(t, "finance", "registry")
	finance, registry := chain(coord, 1), chain(coord, 2)
	path := ibctesting.NewPath(finance, registry)
	path.SetupV2()

	r, _ := types.NewRecord("finance", []byte("records"), 1, "registry", "", "", []byte("forged"))
	value, _ := types.EncodePacketValue(r)
	payload := channeltypesv2.NewPayload("records", "records", types.Version, types.Encoding, value)
	_, err := path.EndpointA.MsgSendPacket(finance.GetTimeoutTimestampSecs(), payload)
	if err == nil || !strings.Contains(err.Error(), types.ErrUnauthorizedSend.Error()) {
		t.Fatalf("MsgSendPacket on the records port: err = %v, want %v", err, types.ErrUnauthorizedSend)
	}
}

// gateway is a 06-solomachine client on a chain that stands for another
// ledger's gateway, as in production: its key signs packet commitments.
type gateway struct {
	solo     *ibctesting.Solomachine
	clientID string // on the chain
	remoteID string // the gateway's own "client id", the packets' source client
	nextSeq  uint64
}

func newGateway(t *testing.T, c *ibctesting.TestChain) *gateway {
	t.Helper()
	solo := ibctesting.NewSolomachine(t, c.App.AppCodec(), "solomachine", "gateway", 1)
	g := &gateway{solo: solo, clientID: solo.CreateClient(c), remoteID: "gateway-0", nextSeq: 1}
	msg := clientv2types.NewMsgRegisterCounterparty(g.clientID, [][]byte{[]byte("ibc"), []byte("")}, g.remoteID, c.SenderAccount.GetAddress().String())
	if _, err := c.SendMsgs(msg); err != nil {
		t.Fatal(err)
	}
	return g
}

// deliver sends value to c's records port in a new packet signed by the
// gateway and returns the packet, the acknowledgement c stored for it and
// the transaction result.
func (g *gateway) deliver(t *testing.T, c *ibctesting.TestChain, value []byte, version string) (channeltypesv2.Packet, []byte, *abci.ExecTxResult) {
	t.Helper()
	payload := channeltypesv2.NewPayload("records", "records", version, types.Encoding, value)
	packet := channeltypesv2.NewPacket(g.nextSeq, g.remoteID, g.clientID, c.GetTimeoutTimestampSecs(), payload)
	g.nextSeq++
	res := g.relay(t, c, packet)
	ack := c.App.GetIBCKeeper().ChannelKeeperV2.GetPacketAcknowledgement(c.GetContext(), packet.DestinationClient, packet.Sequence)
	return packet, ack, res
}

// relay submits MsgRecvPacket for packet with a fresh gateway signature.
func (g *gateway) relay(t *testing.T, c *ibctesting.TestChain, packet channeltypesv2.Packet) *abci.ExecTxResult {
	t.Helper()
	proof := g.solo.GenerateProof(&solomachine.SignBytes{
		Sequence:    g.solo.Sequence,
		Timestamp:   g.solo.Time,
		Diversifier: g.solo.Diversifier,
		Path:        hostv2.PacketCommitmentKey(packet.SourceClient, packet.Sequence),
		Data:        channeltypesv2.CommitPacket(packet),
	})
	msg := channeltypesv2.NewMsgRecvPacket(packet, proof, g.solo.GetHeight().(clienttypes.Height), c.SenderAccount.GetAddress().String())
	res, err := c.SendMsgs(msg)
	if err != nil {
		t.Fatalf("MsgRecvPacket: %v", err)
	}
	return res
}

var (
	errorAck = channeltypesv2.CommitAcknowledgement(channeltypesv2.NewAcknowledgement(channeltypesv2.ErrorAcknowledgement[:]))
	// refusedEvent is the name ibc-go gives our refusal event.
	refusedEvent = "ibccallbackerror-" + types.EventTypeRefused
)

func successAck(id types.RecordID) []byte {
	return channeltypesv2.CommitAcknowledgement(channeltypesv2.NewAcknowledgement(types.EncodeAck(id)))
}

// TestDeliverFromGateway delivers records into "finance" from a gateway
// (another ledger attested by a solomachine key): the path every non-Cosmos
// ledger's records take.
func TestDeliverFromGateway(t *testing.T) {
	coord := newCoordinator(t, "finance")
	finance := chain(coord, 1)
	g := newGateway(t, finance)
	k := recordsApp(finance).RecordsKeeper

	record, _ := types.NewRecord("registry", []byte{0x5f, 0xbd, 0xb2}, 1, "finance", "treasury", "text/plain", []byte("licence 42"))
	good, _ := types.EncodePacketValue(record)
	id := record.RecordID()

	first, ack, res := g.deliver(t, finance, good, types.Version)
	if !bytes.Equal(ack, successAck(id)) {
		t.Fatal("first delivery: not a success ack naming the record")
	}
	if ev := eventAttrs(res.Events, types.EventTypeDelivered); ev["id"] != id.String() || ev["source_chain"] != "registry" {
		t.Fatalf("record_delivered event = %v", ev)
	}
	d, found, _ := k.GetDelivered(finance.GetContext(), id)
	if !found || d.SourceClient != g.remoteID || d.DestinationClient != g.clientID || string(d.Record.Payload) != "licence 42" {
		t.Fatalf("delivered = %+v", d)
	}

	other, _ := types.NewRecord("registry", []byte{0x5f, 0xbd, 0xb2}, 2, "procurement", "", "", []byte("x"))
	wrongDest, _ := types.EncodePacketValue(other)
	tampered := bytes.Replace(good, []byte(`"bGljZW5jZSA0Mg=="`), []byte(`"bGljZW5jZSA0Mw=="`), 1) // "licence 43"
	if bytes.Equal(tampered, good) {
		t.Fatal("test setup: payload not replaced")
	}
	self, _ := types.NewRecord("finance", []byte("records"), 9, "finance", "", "", nil)
	selfValue, _ := types.EncodePacketValue(self)

	refusals := map[string]struct {
		value   []byte
		version string
		reason  string
	}{
		"replay in a new packet": {good, types.Version, types.ErrAlreadyDelivered.Error()},
		"wrong destination":      {wrongDest, types.Version, types.ErrWrongDestination.Error()},
		"tampered payload":       {tampered, types.Version, "payload_hash"},
		"not json":               {[]byte("licence"), types.Version, types.ErrInvalidRecord.Error()},
		"wrong version":          {good, "liaison-records-0", types.ErrInvalidPayload.Error()},
		"from this chain":        {selfValue, types.Version, "claims to come from this chain"},
	}
	for name, tc := range refusals {
		t.Run(name, func(t *testing.T) {
			_, ack, res := g.deliver(t, finance, tc.value, tc.version)
			if !bytes.Equal(ack, errorAck) {
				t.Fatal("refused record: ack is not the error ack")
			}
			ev := eventAttrs(res.Events, refusedEvent)
			if ev == nil || !strings.Contains(ev["ibccallbackerror-reason"], tc.reason) {
				t.Fatalf("refusal event = %v, want a reason containing %q", ev, tc.reason)
			}
			if eventAttrs(res.Events, types.EventTypeDelivered) != nil {
				t.Fatal("refused record emitted record_delivered")
			}
		})
	}
	// The original delivery is untouched by the replay.
	d2, _, _ := k.GetDelivered(finance.GetContext(), id)
	if d2.PacketSequence != d.PacketSequence {
		t.Fatalf("replay overwrote the delivery: packet %d, was %d", d2.PacketSequence, d.PacketSequence)
	}
	// The very same packet again never reaches the module: ibc-go's
	// receipt turns it into a no-op. Do it last: a no-op does not use up
	// the gateway signature's solomachine sequence.
	res = g.relay(t, finance, first)
	if eventAttrs(res.Events, types.EventTypeDelivered) != nil || eventAttrs(res.Events, refusedEvent) != nil {
		t.Fatal("a packet received before reached the records module")
	}
}

// TestPublishOverGateway publishes from "finance" to a gateway counterparty
// (a solomachine client), as a Cosmos source ledger does in production.
func TestPublishOverGateway(t *testing.T) {
	coord := newCoordinator(t, "finance")
	finance := chain(coord, 1)
	g := newGateway(t, finance)
	resp, packet, _ := publish(t, finance, &types.MsgPublishRecord{
		SourceClient: g.clientID, Destination: "registry", Receiver: "r", ContentType: "text/plain", Payload: []byte("p"),
	})
	if packet.DestinationClient != g.remoteID || packet.SourceClient != g.clientID || resp.PacketSequence != 1 {
		t.Fatalf("packet = %+v", packet)
	}
	want := uint64(finance.GetContext().BlockTime().Unix()) + types.DefaultTimeoutSeconds
	if packet.TimeoutTimestamp > want || packet.TimeoutTimestamp < want-10 {
		t.Fatalf("default timeout: %d, want about %d", packet.TimeoutTimestamp, want)
	}
}
