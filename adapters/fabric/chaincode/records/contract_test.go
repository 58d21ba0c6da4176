package records

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// world is an initialized ledger with the identities the tests use.
type world struct {
	*ledger
	admin1, admin2, admin3 *identity // admins of Org1MSP, Org2MSP (admin MSPs) and Org3MSP (not)
	user1, user2           *identity // clients of Org1MSP
	alice, bob             *identity // attestors by certificate (Org1MSP, Org2MSP)
	relay                  *identity // attestor by OU "relayer" of Org3MSP
	aliceKey, bobKey       string
	relayKey               string
}

// newWorld initializes chain "registry" with admin MSPs Org1MSP and
// Org2MSP, and with no attestors when attestors is false.
func newWorld(t *testing.T, attestors bool) *world {
	t.Helper()
	w := &world{
		ledger: newLedger(t),
		admin1: newIdentity(t, "Org1MSP", "Admin@org1", "admin"),
		admin2: newIdentity(t, "Org2MSP", "Admin@org2", "admin"),
		admin3: newIdentity(t, "Org3MSP", "Admin@org3", "admin"),
		user1:  newIdentity(t, "Org1MSP", "User1@org1", "client"),
		user2:  newIdentity(t, "Org1MSP", "User2@org1", "client"),
		alice:  newIdentity(t, "Org1MSP", "alice", "client"),
		bob:    newIdentity(t, "Org2MSP", "bob", "client"),
		relay:  newIdentity(t, "Org3MSP", "relay", "client", "relayer"),
	}
	w.must(w.admin1, "Init", "registry", `["Org2MSP","Org1MSP"]`)
	if attestors {
		w.aliceKey = w.must(w.admin1, "AddAttestor", "Org1MSP", "cert", w.alice.fingerprint()).payload
		w.bobKey = w.must(w.admin2, "AddAttestor", "Org2MSP", "cert", strings.ToUpper(w.bob.fingerprint())).payload
		w.relayKey = w.must(w.admin1, "AddAttestor", "Org3MSP", "ou", "relayer").payload
		w.must(w.admin1, "SetThreshold", "2")
	}
	return w
}

func (w *world) config() Config {
	w.t.Helper()
	var cfg Config
	if err := json.Unmarshal([]byte(w.must(w.user1, "GetConfig").payload), &cfg); err != nil {
		w.t.Fatal(err)
	}
	return cfg
}

// inbound returns a record from procurement's EVM outbox to destination,
// as JSON, and its digest.
func inbound(t testing.TB, seq uint64, destination, payload string) (Record, string) {
	t.Helper()
	emitter, _ := hex.DecodeString("5fbdb2315678afecb367f032d93f642f64180aa3")
	r, d, err := newRecord("procurement", emitter, seq, destination, "licensing", "application/json", []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return r, "0x" + hex.EncodeToString(d[:])
}

func recordJSON(t testing.TB, r Record) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func evidence(n byte) string { return strings.Repeat(fmt.Sprintf("%02x", n), 32) }

func attestResult(t testing.TB, r tx) AttestResult {
	t.Helper()
	var res AttestResult
	if err := json.Unmarshal([]byte(r.payload), &res); err != nil {
		t.Fatalf("attest result %q: %v", r.payload, err)
	}
	return res
}

func TestInit(t *testing.T) {
	l := newLedger(t)
	admin := newIdentity(t, "Org1MSP", "Admin@org1", "admin")
	user := newIdentity(t, "Org1MSP", "User1@org1", "client")

	// Nothing works before Init.
	l.fails("not initialized: ", user, "PublishRecord", "procurement", "r", "text/plain", "")
	l.fails("not initialized: ", user, "GetConfig")
	l.fails("not initialized: ", admin, "AddAttestor", "Org1MSP", "ou", "relayer")
	l.fails("not initialized: ", admin, "SetThreshold", "1")
	l.fails("not initialized: ", user, "Attest", "{}", evidence(1))

	l.fails("unauthorized: ", user, "Init", "registry", "[]")
	l.fails("invalid: ", admin, "Init", "", "[]")
	l.fails("invalid: ", admin, "Init", "registry", `["Org/1"]`)
	r := l.must(admin, "Init", "registry", "[]")
	if len(r.writes) != 1 || r.writes[keyConfig] == nil || r.event.EventName != EventConfigChanged {
		t.Fatalf("Init wrote %v and event %v, want only %q and a ConfigChanged event", r.writes, r.event, keyConfig)
	}
	var cfg Config
	if err := json.Unmarshal([]byte(l.must(user, "GetConfig").payload), &cfg); err != nil {
		t.Fatal(err)
	}
	want := Config{ChainName: "registry", Emitter: "records", AdminMSPs: []string{"Org1MSP"}, Attestors: []Attestor{}, Threshold: 1}
	if fmt.Sprint(cfg) != fmt.Sprint(want) {
		t.Fatalf("config = %+v, want %+v", cfg, want)
	}
	l.fails("already initialized: ", admin, "Init", "other", "[]")
	l.fails("already initialized: ", newIdentity(t, "Org2MSP", "Admin@org2", "admin"), "Init", "other", "[]")
}

func TestAdminGating(t *testing.T) {
	w := newWorld(t, true)
	calls := []struct {
		fn   string
		args []string
	}{
		{"AddAttestor", []string{"Org1MSP", "ou", "auditors"}},
		{"RemoveAttestor", []string{"Org3MSP/ou/relayer"}},
		{"SetThreshold", []string{"1"}},
	}
	for _, c := range calls {
		for _, who := range []*identity{w.user1, w.alice, w.relay, w.admin3} {
			t.Run(c.fn+"/"+who.cert.Subject.CommonName, func(t *testing.T) {
				before := w.config()
				w.fails("unauthorized: ", who, c.fn, c.args...)
				if fmt.Sprint(w.config()) != fmt.Sprint(before) {
					t.Fatal("a refused admin call changed the config")
				}
			})
		}
	}
	// The admins of both admin MSPs may.
	w.must(w.admin2, "AddAttestor", "Org1MSP", "ou", "auditors")
	w.must(w.admin1, "SetThreshold", "3")
	w.must(w.admin2, "SetThreshold", "1")
	w.must(w.admin2, "RemoveAttestor", "Org1MSP/ou/auditors")
}

func TestAttestorManagement(t *testing.T) {
	w := newWorld(t, true)
	cfg := w.config()
	keys := []string{}
	for _, a := range cfg.Attestors {
		keys = append(keys, a.Key)
	}
	want := []string{"Org1MSP/cert/" + w.alice.fingerprint(), "Org2MSP/cert/" + w.bob.fingerprint(), "Org3MSP/ou/relayer"}
	slices.Sort(want)
	if !slices.Equal(keys, want) || cfg.Threshold != 2 {
		t.Fatalf("attestors %v threshold %d, want %v threshold 2", keys, cfg.Threshold, want)
	}
	if w.bobKey != "Org2MSP/cert/"+w.bob.fingerprint() {
		t.Fatalf("AddAttestor returned %q: the fingerprint is not normalized to lower case", w.bobKey)
	}

	w.fails("invalid: ", w.admin1, "AddAttestor", "Org3MSP", "ou", "relayer")         // duplicate
	w.fails("invalid: ", w.admin1, "AddAttestor", "Org1MSP", "cert", "abcd")          // short fingerprint
	w.fails("invalid: ", w.admin1, "AddAttestor", "Org1MSP", "cert", evidence(1)[1:]) // odd hex
	w.fails("invalid: ", w.admin1, "AddAttestor", "Org1MSP", "name", "alice")
	w.fails("invalid: ", w.admin1, "AddAttestor", "Org1MSP", "ou", "")
	w.fails("invalid: ", w.admin1, "AddAttestor", "", "ou", "x")
	w.fails("invalid: ", w.admin1, "AddAttestor", "Org/1", "ou", "x")
	w.fails("not found: ", w.admin1, "RemoveAttestor", "Org1MSP/ou/nobody")
	w.fails("invalid: ", w.admin1, "SetThreshold", "0")
	w.fails("invalid: ", w.admin1, "SetThreshold", "4")

	w.must(w.admin1, "SetThreshold", "3")
	w.fails("invalid: ", w.admin1, "RemoveAttestor", w.relayKey) // 2 left < 3
	w.must(w.admin1, "SetThreshold", "2")
	w.must(w.admin1, "RemoveAttestor", w.relayKey)
	if n := len(w.config().Attestors); n != 2 {
		t.Fatalf("%d attestors after removal, want 2", n)
	}
}

func TestPublishRecord(t *testing.T) {
	w := newWorld(t, false)
	payloads := [][]byte{[]byte(`{"licence":"L-1"}`), {0, 1, 2, 0xff}, {}}
	for i, p := range payloads {
		seq := uint64(i + 1)
		r := w.must(w.user1, "PublishRecord", "procurement", "licensing", "application/json", base64.StdEncoding.EncodeToString(p))

		wantID, _ := RecordID("registry", []byte("records"), seq)
		if r.payload != hex.EncodeToString(wantID[:]) {
			t.Fatalf("record %d: id %s, want %x", seq, r.payload, wantID)
		}
		ph := sha256.Sum256(p)
		digest, _ := RecordDigest(wantID, seq, "procurement", "licensing", "application/json", ph)
		// Exactly two writes: the sequence and the commitment.
		wantWrites := map[string]string{
			"outbox/seq": hex.EncodeToString(binary.BigEndian.AppendUint64(nil, seq)),
			"outbox/record/" + hex.EncodeToString(wantID[:]): hex.EncodeToString(digest[:]),
		}
		if len(r.writes) != len(wantWrites) {
			t.Fatalf("record %d: %d writes, want %d", seq, len(r.writes), len(wantWrites))
		}
		for k, v := range wantWrites {
			if got := hex.EncodeToString(r.writes[k]); got != v {
				t.Fatalf("record %d: write %s = %s, want %s", seq, k, got, v)
			}
		}
		if r.event == nil || r.event.EventName != EventRecordPublished {
			t.Fatalf("record %d: event %v, want %s", seq, r.event, EventRecordPublished)
		}
		var ev map[string]any
		if err := json.Unmarshal(r.event.Payload, &ev); err != nil {
			t.Fatal(err)
		}
		wantEv := map[string]any{
			"id": hex.EncodeToString(wantID[:]), "source_chain": "registry", "emitter": "0x" + hex.EncodeToString([]byte("records")),
			"sequence": float64(seq), "destination": "procurement", "receiver": "licensing", "content_type": "application/json",
			"payload": base64.StdEncoding.EncodeToString(p), "payload_hash": "0x" + hex.EncodeToString(ph[:]),
		}
		if fmt.Sprint(ev) != fmt.Sprint(wantEv) {
			t.Fatalf("record %d: event payload\n%v\nwant\n%v", seq, ev, wantEv)
		}
		// The event's record passes the Inbox's own consistency check.
		var rec Record
		_ = json.Unmarshal(r.event.Payload, &rec)
		if _, _, d, err := rec.check(); err != nil || d != digest {
			t.Fatalf("record %d: event record check: %v (digest %x, want %x)", seq, err, d, digest)
		}
		if got := w.must(w.user2, "GetCommitment", "0x"+strings.ToUpper(r.payload)).payload; got != "0x"+hex.EncodeToString(digest[:]) {
			t.Fatalf("GetCommitment = %s, want %x", got, digest)
		}
	}
	w.fails("not found: ", w.user1, "GetCommitment", evidence(7))
	w.fails("invalid: ", w.user1, "GetCommitment", "xyz")

	w.fails("invalid: ", w.user1, "PublishRecord", "procurement", "r", "text/plain", "not base64!")
	w.fails("invalid: ", w.user1, "PublishRecord", "procurement", "r", "text/plain", "AAE") // unpadded
	w.fails("invalid: ", w.user1, "PublishRecord", "", "r", "text/plain", "")

	// Called under another chaincode name (a chaincode-to-chaincode call):
	// its event would be lost, so it is refused.
	w.name = "wrapper"
	w.fails("unauthorized: ", w.user1, "PublishRecord", "procurement", "r", "text/plain", "")
}

func TestPublishRecords(t *testing.T) {
	w := newWorld(t, false)
	w.must(w.user1, "PublishRecord", "procurement", "r", "text/plain", "") // sequence 1
	in := []PublishInput{
		{Destination: "procurement", Receiver: "licensing", ContentType: "application/json", Payload: base64.StdEncoding.EncodeToString([]byte(`{"licence":"L-2"}`))},
		{Destination: "finance", Receiver: "", ContentType: "", Payload: ""},
		{Destination: "procurement", Receiver: "licensing", ContentType: "application/octet-stream", Payload: base64.StdEncoding.EncodeToString([]byte{0, 0xff})},
	}
	js, _ := json.Marshal(in)
	r := w.must(w.user1, "PublishRecords", string(js))
	var ids []string
	if err := json.Unmarshal([]byte(r.payload), &ids); err != nil || len(ids) != len(in) {
		t.Fatalf("PublishRecords returned %q (%v), want %d IDs", r.payload, err, len(in))
	}
	if r.event == nil || r.event.EventName != EventRecordsPublished {
		t.Fatalf("event %v, want %s", r.event, EventRecordsPublished)
	}
	var evRecs []Record
	if err := json.Unmarshal(r.event.Payload, &evRecs); err != nil || len(evRecs) != len(in) {
		t.Fatalf("event payload: %v, %d records", err, len(evRecs))
	}
	// One write per commitment plus the last sequence.
	if len(r.writes) != len(in)+1 {
		t.Fatalf("%d writes, want %d", len(r.writes), len(in)+1)
	}
	if got := binary.BigEndian.Uint64(r.writes["outbox/seq"]); got != 4 {
		t.Fatalf("outbox/seq = %d, want 4", got)
	}
	for i, p := range in {
		seq := uint64(i + 2)
		wantID, _ := RecordID("registry", []byte("records"), seq)
		body, _ := base64.StdEncoding.DecodeString(p.Payload)
		digest, _ := RecordDigest(wantID, seq, p.Destination, p.Receiver, p.ContentType, sha256.Sum256(body))
		if ids[i] != hex.EncodeToString(wantID[:]) || evRecs[i].ID != ids[i] || evRecs[i].Sequence != seq {
			t.Fatalf("record %d: id %s, event %s seq %d; want %x seq %d", i, ids[i], evRecs[i].ID, evRecs[i].Sequence, wantID, seq)
		}
		if got := r.writes["outbox/record/"+ids[i]]; hex.EncodeToString(got) != hex.EncodeToString(digest[:]) {
			t.Fatalf("record %d: commitment %x, want %x", i, got, digest)
		}
		if _, _, d, err := evRecs[i].check(); err != nil || d != digest {
			t.Fatalf("record %d: event record check: %v", i, err)
		}
	}
	// The next single publish continues the sequence.
	next := w.must(w.user1, "PublishRecord", "procurement", "r", "text/plain", "")
	if id5, _ := RecordID("registry", []byte("records"), 5); next.payload != hex.EncodeToString(id5[:]) {
		t.Fatalf("publish after the batch: id %s, want sequence 5's %x", next.payload, id5)
	}

	// All or nothing, and strict input.
	bad := append(append([]PublishInput(nil), in...), PublishInput{Destination: "", Payload: ""})
	js, _ = json.Marshal(bad)
	w.fails("invalid: record 3: empty destination", w.user1, "PublishRecords", string(js))
	w.fails("invalid: ", w.user1, "PublishRecords", `[{"destination":"x","payload":"AAE"}]`)
	w.fails("invalid: ", w.user1, "PublishRecords", `[{"destination":"x","payload":"","extra":1}]`)
	w.fails("invalid: ", w.user1, "PublishRecords", `[]`)
	w.fails("invalid: ", w.user1, "PublishRecords", `[{"destination":"x","payload":""}] []`)
	w.fails("invalid: ", w.user1, "PublishRecords", `{"destination":"x"}`)
	many, _ := json.Marshal(make([]PublishInput, MaxPublishBatch+1))
	w.fails("invalid: more than ", w.user1, "PublishRecords", string(many))
	w.fails("invalid: records: trailing data", w.user1, "PublishRecords", `[{"destination":"x","payload":""}]]`)
	// Payload bytes: the bound itself is allowed, one byte more is not.
	half := strings.Repeat("a", MaxPublishBatchBytes/2)
	atCap, _ := json.Marshal([]PublishInput{
		{Destination: "x", Payload: base64.StdEncoding.EncodeToString([]byte(half))},
		{Destination: "x", Payload: base64.StdEncoding.EncodeToString([]byte(half))},
	})
	overCap, _ := json.Marshal([]PublishInput{
		{Destination: "x", Payload: base64.StdEncoding.EncodeToString([]byte(half))},
		{Destination: "x", Payload: base64.StdEncoding.EncodeToString([]byte(half + "a"))},
	})
	w.fails("invalid: 65537 payload bytes", w.user1, "PublishRecords", string(overCap))
	w.must(w.user1, "PublishRecords", string(atCap)) // sequences 6 and 7
	// The failed calls wrote nothing: the next record is sequence 8.
	if got, id8 := w.must(w.user1, "PublishRecord", "procurement", "r", "text/plain", ""), func() [32]byte { id, _ := RecordID("registry", []byte("records"), 8); return id }(); got.payload != hex.EncodeToString(id8[:]) {
		t.Fatalf("publish after failed batches: id %s, want sequence 8's %x", got.payload, id8)
	}
	w.name = "wrapper"
	w.fails("unauthorized: ", w.user1, "PublishRecords", string(js))
}

func TestAttestThreshold(t *testing.T) {
	w := newWorld(t, true)
	rec, digest := inbound(t, 1, "registry", `{"licence":"L-9"}`)
	js := recordJSON(t, rec)

	r := w.must(w.alice, "Attest", js, evidence(1))
	if res := attestResult(t, r); res.Outcome != OutcomeVoted || res.Votes != 1 || res.Threshold != 2 || res.Digest != digest || res.Attestor != w.aliceKey {
		t.Fatalf("first vote: %+v", res)
	}
	if r.event.EventName != EventRecordAttested {
		t.Fatalf("first vote event %q, want %q", r.event.EventName, EventRecordAttested)
	}
	if w.must(w.user1, "IsDelivered", rec.ID).payload != "false" {
		t.Fatal("delivered after one vote of two")
	}
	if w.must(w.user1, "HasAttested", rec.ID, w.aliceKey).payload != "true" || w.must(w.user1, "HasAttested", rec.ID, w.bobKey).payload != "false" {
		t.Fatal("HasAttested is wrong after alice's vote")
	}
	w.fails("not found: ", w.user1, "GetDelivered", rec.ID)

	// The OU attestor is the second distinct attestor.
	r = w.must(w.relay, "Attest", js, "0x"+evidence(2))
	if res := attestResult(t, r); res.Outcome != OutcomeDelivered || res.Votes != 2 {
		t.Fatalf("second vote: %+v", res)
	}
	if r.event.EventName != EventRecordDelivered {
		t.Fatalf("delivering event %q, want %q", r.event.EventName, EventRecordDelivered)
	}
	var d Delivery
	if err := json.Unmarshal([]byte(w.must(w.user1, "GetDelivered", rec.ID).payload), &d); err != nil {
		t.Fatal(err)
	}
	if string(r.event.Payload) != string(r.writes["inbox/delivered/"+rec.ID]) {
		t.Fatal("the RecordDelivered event differs from the stored delivery")
	}
	if fmt.Sprint(d.Record) != fmt.Sprint(rec) || d.Digest != digest || d.TxID == "" || len(d.Votes) != 2 ||
		d.Votes[0].Attestor != w.aliceKey || d.Votes[0].EvidenceHash != "0x"+evidence(1) ||
		d.Votes[1].Attestor != w.relayKey || d.Votes[1].EvidenceHash != "0x"+evidence(2) {
		t.Fatalf("delivery %+v", d)
	}
	if w.must(w.user1, "IsDelivered", rec.ID).payload != "true" {
		t.Fatal("not delivered after two votes")
	}

	// A late vote for the same digest changes nothing.
	r = w.must(w.bob, "Attest", js, evidence(3))
	if res := attestResult(t, r); res.Outcome != OutcomeDuplicate || len(r.writes) != 0 || r.event != nil {
		t.Fatalf("late vote: %+v, writes %v, event %v", res, r.writes, r.event)
	}
}

func TestAttestReplayIsNoOp(t *testing.T) {
	w := newWorld(t, true)
	rec, _ := inbound(t, 1, "registry", "x")
	js := recordJSON(t, rec)
	w.must(w.alice, "Attest", js, evidence(1))
	// Same attestor, same digest: before delivery, and with another
	// evidence hash (the digest, not the evidence, is what is voted on).
	for _, ev := range []string{evidence(1), evidence(9)} {
		r := w.must(w.alice, "Attest", js, ev)
		if res := attestResult(t, r); res.Outcome != OutcomeDuplicate || res.Votes != 1 || len(r.writes) != 0 || r.event != nil {
			t.Fatalf("replay: %+v, writes %v, event %v", res, r.writes, r.event)
		}
	}
	// The same record with hex in other cases is the same record.
	alt := rec
	alt.ID = "0x" + strings.ToUpper(rec.ID)
	alt.PayloadHash = strings.ToUpper(rec.PayloadHash[2:])
	r := w.must(w.alice, "Attest", recordJSON(t, alt), evidence(1))
	if res := attestResult(t, r); res.Outcome != OutcomeDuplicate || len(r.writes) != 0 {
		t.Fatalf("replay in other hex case: %+v, writes %v", res, r.writes)
	}
	// After delivery.
	w.must(w.bob, "Attest", js, evidence(2))
	for _, who := range []*identity{w.alice, w.bob} {
		r := w.must(who, "Attest", js, evidence(1))
		if res := attestResult(t, r); res.Outcome != OutcomeDuplicate || len(r.writes) != 0 || r.event != nil {
			t.Fatalf("replay after delivery: %+v, writes %v, event %v", res, r.writes, r.event)
		}
	}
}

func TestAttestConflict(t *testing.T) {
	w := newWorld(t, true)
	rec, _ := inbound(t, 1, "registry", "original")
	forged, _ := inbound(t, 1, "registry", "forged") // same ID, other payload
	if rec.ID != forged.ID {
		t.Fatal("test records should share an ID")
	}
	w.must(w.alice, "Attest", recordJSON(t, rec), evidence(1))
	// The same attestor changes its mind: refused, its vote stands.
	r := w.fails("conflict: ", w.alice, "Attest", recordJSON(t, forged), evidence(1))
	if !strings.Contains(r.err, w.aliceKey) {
		t.Fatalf("conflict error %q does not name the attestor", r.err)
	}
	w.must(w.bob, "Attest", recordJSON(t, rec), evidence(2))
	// After delivery, any different digest is a conflict, also from an
	// attestor that never voted.
	w.fails("conflict: ", w.relay, "Attest", recordJSON(t, forged), evidence(3))
	w.fails("conflict: ", w.bob, "Attest", recordJSON(t, forged), evidence(3))
	var d Delivery
	_ = json.Unmarshal([]byte(w.must(w.user1, "GetDelivered", rec.ID).payload), &d)
	if d.Record.Payload != rec.Payload {
		t.Fatal("the delivered record changed")
	}
}

// One faulty attestor can neither alter a record (its vote for a forged
// digest stays alone) nor block it (the honest ones still reach M).
func TestFaultyAttestorCannotBlockOrAlter(t *testing.T) {
	w := newWorld(t, true)
	rec, digest := inbound(t, 1, "registry", "original")
	forged, forgedDigest := inbound(t, 1, "registry", "forged")

	r := w.must(w.relay, "Attest", recordJSON(t, forged), evidence(6)) // faulty, first
	if res := attestResult(t, r); res.Outcome != OutcomeVoted || res.Digest != forgedDigest {
		t.Fatalf("faulty vote: %+v", res)
	}
	r = w.must(w.alice, "Attest", recordJSON(t, rec), evidence(1))
	if res := attestResult(t, r); res.Outcome != OutcomeVoted || res.Votes != 1 {
		t.Fatalf("honest vote counted with the forged one: %+v", res)
	}
	r = w.must(w.bob, "Attest", recordJSON(t, rec), evidence(2))
	if res := attestResult(t, r); res.Outcome != OutcomeDelivered || res.Digest != digest {
		t.Fatalf("honest majority: %+v", res)
	}
	var d Delivery
	_ = json.Unmarshal([]byte(w.must(w.user1, "GetDelivered", rec.ID).payload), &d)
	if d.Digest != digest || len(d.Votes) != 2 {
		t.Fatalf("delivery %+v", d)
	}
}

func TestAttestRejects(t *testing.T) {
	w := newWorld(t, true)
	rec, _ := inbound(t, 1, "registry", "x")
	js := recordJSON(t, rec)
	mutate := func(f func(*Record)) string {
		r := rec
		f(&r)
		return recordJSON(t, r)
	}
	other := *w.relay
	other.mspID = "Org1MSP" // carries OU "relayer", but in another MSP
	both := newIdentity(t, "Org3MSP", "both", "client", "relayer")
	w.must(w.admin1, "AddAttestor", "Org3MSP", "cert", both.fingerprint())

	cases := []struct {
		name, prefix string
		who          *identity
		record, ev   string
	}{
		{"not an attestor", "unauthorized: ", w.user1, js, evidence(1)},
		{"admin is not an attestor", "unauthorized: ", w.admin1, js, evidence(1)},
		{"OU attestor of another MSP", "unauthorized: ", &other, js, evidence(1)},
		{"identity matching two attestors", "unauthorized: ", both, js, evidence(1)},
		{"wrong destination", "wrong destination: ", w.alice, recordJSON(t, func() Record { r, _ := inbound(t, 1, "finance", "x"); return r }()), evidence(1)},
		{"id does not follow", "invalid: ", w.alice, mutate(func(r *Record) { r.Sequence = 2 }), evidence(1)},
		{"id from another chain", "invalid: ", w.alice, mutate(func(r *Record) { r.SourceChain = "finance" }), evidence(1)},
		{"id from another emitter", "invalid: ", w.alice, mutate(func(r *Record) { r.Emitter = "0x00" }), evidence(1)},
		{"payload altered", "invalid: ", w.alice, mutate(func(r *Record) { r.Payload = base64.StdEncoding.EncodeToString([]byte("y")) }), evidence(1)},
		{"payload hash altered", "invalid: ", w.alice, mutate(func(r *Record) { r.PayloadHash = "0x" + evidence(0) }), evidence(1)},
		{"payload not base64", "invalid: ", w.alice, mutate(func(r *Record) { r.Payload = "!" }), evidence(1)},
		{"short id", "invalid: ", w.alice, mutate(func(r *Record) { r.ID = r.ID[:62] }), evidence(1)},
		{"empty source chain", "invalid: ", w.alice, mutate(func(r *Record) { r.SourceChain = "" }), evidence(1)},
		{"unknown field", "invalid: ", w.alice, strings.Replace(js, `"id"`, `"extra":1,"id"`, 1), evidence(1)},
		{"not JSON", "invalid: ", w.alice, "{", evidence(1)},
		{"short evidence hash", "invalid: ", w.alice, js, evidence(1)[2:]},
		{"evidence not hex", "invalid: ", w.alice, js, strings.Repeat("zz", 32)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w.fails(c.prefix, c.who, "Attest", c.record, c.ev)
		})
	}
	if w.must(w.user1, "HasAttested", rec.ID, w.aliceKey).payload != "false" {
		t.Fatal("a refused attestation left a vote")
	}
}

func TestRemovedAttestorStopsCounting(t *testing.T) {
	w := newWorld(t, true)
	rec, _ := inbound(t, 1, "registry", "x")
	js := recordJSON(t, rec)
	w.must(w.relay, "Attest", js, evidence(1))
	w.must(w.admin1, "RemoveAttestor", w.relayKey)
	r := w.must(w.alice, "Attest", js, evidence(2))
	if res := attestResult(t, r); res.Outcome != OutcomeVoted || res.Votes != 1 {
		t.Fatalf("the removed attestor's vote still counts: %+v", res)
	}
	// Its vote is still on record.
	if w.must(w.user1, "HasAttested", rec.ID, w.relayKey).payload != "true" {
		t.Fatal("the removed attestor's vote disappeared")
	}
	r = w.must(w.bob, "Attest", js, evidence(3))
	if res := attestResult(t, r); res.Outcome != OutcomeDelivered || res.Votes != 2 {
		t.Fatalf("third vote: %+v", res)
	}
}

func TestLoweredThresholdDeliversOnReplay(t *testing.T) {
	w := newWorld(t, true)
	rec, _ := inbound(t, 1, "registry", "x")
	js := recordJSON(t, rec)
	w.must(w.alice, "Attest", js, evidence(1))
	w.must(w.admin1, "SetThreshold", "1")
	r := w.must(w.alice, "Attest", js, evidence(1))
	if res := attestResult(t, r); res.Outcome != OutcomeDelivered || res.Votes != 1 {
		t.Fatalf("replay after lowering the threshold: %+v", res)
	}
	if _, ok := r.writes["inbox/votes/"+rec.ID]; ok {
		t.Fatal("the replay rewrote the votes")
	}
}

// The query functions return what the state holds, in the documented JSON.
func TestQueries(t *testing.T) {
	w := newWorld(t, true)
	rec, _ := inbound(t, 1, "registry", "x")
	if w.must(w.user1, "IsDelivered", rec.ID).payload != "false" || w.must(w.user1, "HasAttested", rec.ID, w.aliceKey).payload != "false" {
		t.Fatal("fresh record reported delivered or attested")
	}
	w.fails("invalid: ", w.user1, "IsDelivered", "12")
	w.fails("invalid: ", w.user1, "HasAttested", "12", w.aliceKey)
	w.fails("invalid: ", w.user1, "GetDelivered", "12")

	var cfg map[string]any
	if err := json.Unmarshal([]byte(w.must(w.user1, "GetConfig").payload), &cfg); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"chain_name", "emitter", "admin_msps", "attestors", "threshold"} {
		if _, ok := cfg[k]; !ok {
			t.Errorf("GetConfig has no %q: %v", k, cfg)
		}
	}
	// The contract API's metadata lists the read-only functions as such.
	md := w.must(w.user1, "org.hyperledger.fabric:GetMetadata").payload
	for _, fn := range []string{"GetCommitment", "IsDelivered", "HasAttested", "GetDelivered", "GetConfig"} {
		if !metadataTags(t, md, fn, "evaluate") {
			t.Errorf("%s is not tagged evaluate in the metadata", fn)
		}
	}
	if metadataTags(t, md, "Attest", "evaluate") {
		t.Error("Attest is tagged evaluate")
	}
}

// metadataTags reports whether fn carries tag in the contract's metadata.
func metadataTags(t *testing.T, md, fn, tag string) bool {
	t.Helper()
	var m struct {
		Contracts map[string]struct {
			Transactions []struct {
				Name string   `json:"name"`
				Tags []string `json:"tag"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	if err := json.Unmarshal([]byte(md), &m); err != nil {
		t.Fatal(err)
	}
	for _, tr := range m.Contracts[ContractName].Transactions {
		if tr.Name == fn {
			return slices.ContainsFunc(tr.Tags, func(s string) bool { return strings.EqualFold(s, tag) })
		}
	}
	return false
}
