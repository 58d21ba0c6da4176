package records

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// committeeKey is a committee attestor's key.
type committeeKey struct {
	priv *secp256k1.PrivateKey
	addr string
}

// committeeKeys are the three test keys of the shared attestation vector.
func committeeKeys(t *testing.T) []committeeKey {
	t.Helper()
	v := loadAttestationVector(t)
	var out []committeeKey
	for _, a := range v.Attestors {
		out = append(out, committeeKey{secp256k1.PrivKeyFromBytes(unhex(t, a.Key)), strings.ToLower(a.Address)})
	}
	return out
}

// committeeWorld is newWorld with a 2-of-3 committee of the vector's keys.
func committeeWorld(t *testing.T) (*world, []committeeKey) {
	t.Helper()
	w := newWorld(t, true)
	keys := committeeKeys(t)
	list, _ := json.Marshal([]string{keys[2].addr, keys[0].addr, strings.ToUpper(keys[1].addr[2:])})
	w.must(w.admin1, "SetCommittee", string(list), "2")
	return w, keys
}

// signedBatch is DeliverAttested's arguments.
type signedBatch struct {
	nonce                  uint64
	records, evidence, sig string
}

func (b signedBatch) args() []string {
	return []string{fmt.Sprint(b.nonce), b.records, b.evidence, b.sig}
}

// signBatch builds the attestation of recs for destination (channel,
// chaincode, chain name) and signs it with keys.
func signBatch(t *testing.T, dest [3]string, nonce uint64, recs []Record, evByte byte, keys ...committeeKey) signedBatch {
	t.Helper()
	a := attestationT{Destination: fabricDestination(dest[0], dest[1], dest[2]), Nonce: nonce}
	var hashes []string
	for _, r := range recs {
		_, id, digest, err := r.check()
		if err != nil {
			t.Fatal(err)
		}
		var ev [32]byte
		copy(ev[:], unhex(t, evidence(evByte)))
		a.Records = append(a.Records, attEntryT{ID: id, Digest: digest, EvidenceHash: ev})
		hashes = append(hashes, evidence(evByte))
	}
	h := attestationSigningInput(encodeAttestation(&a))
	var sigs []string
	for _, k := range keys {
		c := ecdsa.SignCompact(k.priv, h[:], false) // [27+v] ‖ r ‖ s
		sig := append(append([]byte{}, c[1:]...), c[0])
		sigs = append(sigs, "0x"+hex.EncodeToString(sig))
	}
	rj, _ := json.Marshal(recs)
	hj, _ := json.Marshal(hashes)
	sj, _ := json.Marshal(sigs)
	return signedBatch{nonce, string(rj), string(hj), string(sj)}
}

// here is the fake ledger's destination: channel "records", chaincode
// "records", chain name "registry".
var here = [3]string{"records", "records", "registry"}

func inboundN(t *testing.T, from uint64, n int, payload string) []Record {
	var out []Record
	for i := range n {
		r, _ := inbound(t, from+uint64(i), "registry", fmt.Sprintf("%s %d", payload, i))
		out = append(out, r)
	}
	return out
}

func TestDeliverAttested(t *testing.T) {
	w, keys := committeeWorld(t)
	recs := inboundN(t, 1, 3, "licence")
	b := signBatch(t, here, 5, recs, 9, keys[1], keys[0])
	// A client with no attestor role submits it.
	r := w.must(w.user2, "DeliverAttested", b.args()...)
	for i, res := range batchResults(t, r) {
		if res.Outcome != OutcomeDelivered || res.Attestor != "committee" || res.Votes != 2 || res.Threshold != 2 || res.ID != recs[i].ID {
			t.Fatalf("record %d: %+v", i, res)
		}
	}
	if r.event == nil || r.event.EventName != EventCommitteeAttested {
		t.Fatalf("event %+v", r.event)
	}
	var ev CommitteeAttested
	if err := json.Unmarshal(r.event.Payload, &ev); err != nil || ev.Nonce != 5 || len(ev.Results) != 3 ||
		len(ev.Signers) != 2 || ev.Signers[0] != keys[1].addr || ev.Signers[1] != keys[0].addr {
		t.Fatalf("CommitteeAttested %+v (%v)", ev, err)
	}
	var d Delivery
	if err := json.Unmarshal([]byte(w.must(w.user1, "GetDelivered", recs[2].ID).payload), &d); err != nil {
		t.Fatal(err)
	}
	if d.Committee == nil || d.Committee.Nonce != 5 || d.Committee.SigningInput != ev.SigningInput || len(d.Votes) != 0 {
		t.Fatalf("delivery %+v", d)
	}
	// A replay, by anyone: nothing changes.
	r = w.must(w.user1, "DeliverAttested", b.args()...)
	for _, res := range batchResults(t, r) {
		if res.Outcome != OutcomeDuplicate {
			t.Fatalf("replay: %+v", res)
		}
	}
	if len(r.writes) != 0 {
		t.Fatalf("a replay wrote %d keys", len(r.writes))
	}
	// An identity attestor's vote on a delivered record: a duplicate.
	if res := attestResult(t, w.must(w.alice, "Attest", recordJSON(t, recs[0]), evidence(1))); res.Outcome != OutcomeDuplicate {
		t.Fatalf("vote after committee delivery: %+v", res)
	}
}

func TestDeliverAttestedRefusals(t *testing.T) {
	w, keys := committeeWorld(t)
	recs := inboundN(t, 1, 3, "permit")
	outsider := committeeKey{priv: secp256k1.PrivKeyFromBytes([]byte("an outsider's key, 32 bytes long")), addr: ""}
	good := signBatch(t, here, 7, recs, 9, keys[0], keys[2])
	with := func(f func(b *signedBatch)) []string { b := good; f(&b); return b.args() }
	other := func(dest [3]string, nonce uint64, rs []Record, ev byte, ks ...committeeKey) []string {
		b := signBatch(t, dest, nonce, rs, ev, ks...)
		return with(func(x *signedBatch) { x.sig = b.sig })
	}
	twice := append(append([]Record(nil), recs...), recs[0])
	elsewhere, _ := inbound(t, 9, "finance", "x")
	for _, tc := range []struct {
		name, prefix string
		args         []string
	}{
		{"one signature", "unauthorized: ", signBatch(t, here, 7, recs, 9, keys[0]).args()},
		{"an outsider's signature", "unauthorized: ", signBatch(t, here, 7, recs, 9, keys[0], outsider).args()},
		{"same key twice", "invalid: ", signBatch(t, here, 7, recs, 9, keys[0], keys[0]).args()},
		{"more signatures than members", "invalid: ", signBatch(t, here, 7, recs, 9, keys[0], keys[1], keys[2], keys[0]).args()},
		{"another nonce", "unauthorized: ", with(func(b *signedBatch) { b.nonce = 8 })},
		{"other evidence", "unauthorized: ", other(here, 7, recs, 8, keys[0], keys[2])},
		{"another channel", "unauthorized: ", other([3]string{"other", "records", "registry"}, 7, recs, 9, keys[0], keys[2])},
		{"another chaincode", "unauthorized: ", other([3]string{"records", "records-v2", "registry"}, 7, recs, 9, keys[0], keys[2])},
		{"another chain name", "unauthorized: ", other([3]string{"records", "records", "registry-2"}, 7, recs, 9, keys[0], keys[2])},
		{"records in another order", "unauthorized: ", other(here, 7, []Record{recs[1], recs[0], recs[2]}, 9, keys[0], keys[2])},
		{"a record left out", "unauthorized: ", other(here, 7, recs[:2], 9, keys[0], keys[2])},
		{"a record twice", "invalid: ", signBatch(t, here, 7, twice, 9, keys[0], keys[2]).args()},
		{"addressed elsewhere", "wrong destination: ", signBatch(t, here, 7, []Record{elsewhere}, 9, keys[0], keys[2]).args()},
		{"malformed signature", "invalid: ", with(func(b *signedBatch) { b.sig = `["0x01", "0x02"]` })},
		{"no records", "invalid: ", with(func(b *signedBatch) { b.records, b.evidence = "[]", "[]" })},
		{"lengths differ", "invalid: ", with(func(b *signedBatch) { b.evidence = `["` + evidence(9) + `"]` })},
	} {
		if r := w.invoke(w.user1, "DeliverAttested", tc.args...); !strings.HasPrefix(r.err, tc.prefix) {
			t.Errorf("%s: DeliverAttested gave %q (payload %.80s), want an error starting with %q", tc.name, r.err, r.payload, tc.prefix)
		}
	}
	for _, r := range recs {
		if w.must(w.user1, "IsDelivered", r.ID).payload != "false" {
			t.Fatalf("record %s delivered by a refused batch", r.ID)
		}
	}
	// With the committee off, even good signatures deliver nothing.
	w.must(w.admin2, "SetCommittee", "[]", "0")
	w.fails("unauthorized: ", w.user1, "DeliverAttested", good.args()...)
}

func TestDeliverAttestedConflict(t *testing.T) {
	w, keys := committeeWorld(t)
	recs := inboundN(t, 1, 3, "cert")
	w.must(w.alice, "Attest", recordJSON(t, recs[1]), evidence(1))
	w.must(w.bob, "Attest", recordJSON(t, recs[1]), evidence(1)) // delivered by votes
	forged, _ := inbound(t, 2, "registry", "forged")             // record 2's ID, another digest
	r := w.must(w.user1, "DeliverAttested", signBatch(t, here, 1, []Record{recs[0], forged, recs[2]}, 9, keys[0], keys[1]).args()...)
	got := batchResults(t, r)
	if got[0].Outcome != OutcomeDelivered || got[1].Outcome != OutcomeConflict || got[2].Outcome != OutcomeDelivered ||
		!strings.HasPrefix(got[1].Error, "conflict: ") {
		t.Fatalf("outcomes %+v", got)
	}
	var d Delivery
	if err := json.Unmarshal([]byte(w.must(w.user1, "GetDelivered", recs[1].ID).payload), &d); err != nil || d.Committee != nil || len(d.Votes) != 2 {
		t.Fatalf("the conflicting batch changed record 2's delivery: %+v (%v)", d, err)
	}
}

func TestSetCommittee(t *testing.T) {
	w := newWorld(t, true)
	keys := committeeKeys(t)
	a, b := keys[0].addr, keys[1].addr
	w.fails("unauthorized: ", w.user1, "SetCommittee", `["`+a+`"]`, "1")
	w.fails("unauthorized: ", w.admin3, "SetCommittee", `["`+a+`"]`, "1")
	for _, tc := range []struct{ list, m string }{
		{`["` + a + `","` + b + `"]`, "3"},
		{`["` + a + `","` + b + `"]`, "0"},
		{`[]`, "1"},
		{`["` + a + `","` + strings.ToUpper(a[2:]) + `"]`, "1"},
		{`["0x0000000000000000000000000000000000000000"]`, "1"},
		{`["0x1234"]`, "1"},
		{`not json`, "1"},
	} {
		w.fails("invalid: ", w.admin1, "SetCommittee", tc.list, tc.m)
	}
	w.must(w.admin1, "SetCommittee", `["`+b+`","`+a+`"]`, "2")
	if c := w.config().Committee; c.Threshold != 2 || len(c.Attestors) != 2 || c.Attestors[0] > c.Attestors[1] {
		t.Fatalf("committee %+v", c)
	}
}
