package records

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Attack: malformed numeric arguments of the committee functions fail
// without a classified prefix. DeliverAttested takes its nonce, and
// SetCommittee its threshold, as Go integers, so contractapi parses them
// before the contract runs and refuses "-1", "abc", "0x5" or 2^64 with its
// own message ("error managing parameter param0. conversion error. ..."),
// which starts with none of "invalid: ", "unauthorized: ", "wrong
// destination: ", "conflict: ". The Fabric adapter classifies failures by
// that prefix (errors.go), so it cannot tell such a permanent refusal from
// a transient one. Low severity: nothing is written.
func TestAttackCCMalformedNumbersUnclassified(t *testing.T) {
	w, keys := committeeWorld(t)
	b := signBatch(t, here, 5, inboundN(t, 1, 2, "x"), 9, keys[0], keys[1])
	for _, nonce := range []string{"-1", "abc", "0x5", "18446744073709551616"} {
		r := w.invoke(w.user1, "DeliverAttested", nonce, b.records, b.evidence, b.sig)
		if !strings.HasPrefix(r.err, "invalid: ") {
			t.Errorf("DeliverAttested with nonce %q: error %q, want an \"invalid: \" error", nonce, r.err)
		}
	}
	for _, m := range []string{"-1", "two", "4294967296"} {
		r := w.invoke(w.admin1, "SetCommittee", `["`+keys[0].addr+`"]`, m)
		if !strings.HasPrefix(r.err, "invalid: ") {
			t.Errorf("SetCommittee with threshold %q: error %q, want an \"invalid: \" error", m, r.err)
		}
	}
}

// Attack: "anyone may submit" does not hold for a channel member with an
// Idemix identity. DeliverAttested needs the submitter only to name it in
// the CommitteeAttested event, but it calls callerOf, which refuses any
// identity without an X.509 certificate as "unauthorized", after the
// signatures were verified and the deliveries written. A department whose
// relayer submits with an Idemix credential cannot deliver a batch that
// carries a full quorum of valid signatures. Low severity (availability).
func TestAttackCCIdemixSubmitterRefused(t *testing.T) {
	w, keys := committeeWorld(t)
	recs := inboundN(t, 1, 2, "idemix")
	b := signBatch(t, here, 5, recs, 9, keys[0], keys[1])

	ou, _ := proto.Marshal(&msp.OrganizationUnit{OrganizationalUnitIdentifier: "client"})
	role, _ := proto.Marshal(&msp.MSPRole{MspIdentifier: "Org1MSP", Role: msp.MSPRole_CLIENT})
	idemix, _ := proto.Marshal(&msp.SerializedIdemixIdentity{NymX: []byte{1}, NymY: []byte{2}, Ou: ou, Role: role, Proof: []byte{3}})
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: "Org1MSP", IdBytes: idemix})
	if err != nil {
		t.Fatal(err)
	}
	all := append([]string{"DeliverAttested"}, b.args()...)
	stub := &fakeStub{
		state: w.state, writes: map[string][]byte{}, txID: "idemix-tx", creator: creator,
		proposal: signedProposal(t, w.name, all), args: all,
	}
	resp := w.cc.Invoke(stub)
	if resp.Status != 200 {
		t.Fatalf("an Idemix member of the channel submitted a batch with a quorum of valid committee signatures "+
			"and was refused: %q", resp.Message)
	}
}

// Attack: memory amplification at endorsement by anyone. DeliverAttested
// is open to every client and decodes each of its three JSON arrays in
// full (into []json.RawMessage and []string) before it counts them against
// maxBatch and the committee's size. Each "{}," or "\"\"," of input, 3
// bytes, costs tens of bytes; a proposal near the peers' 100 MB gRPC limit
// makes the chaincode allocate several GB for a call that is then refused,
// without any signature. Low severity: endorsement-time DoS, nothing is
// committed.
//
// The test compares the allocation of a 1,000,000-entry array with that
// of an input of the same size refused at once (a JSON string), which is
// what contractapi itself costs (before the fix, about 160 MB against 36).
func TestAttackCCDeliverAttestedDecodesBeforeCounting(t *testing.T) {
	const n = 1_000_000
	w, keys := committeeWorld(t)
	b := signBatch(t, here, 5, inboundN(t, 1, 2, "x"), 9, keys[0], keys[1])
	alloc := func(args ...string) (uint64, string) {
		runtime.GC()
		var a, c runtime.MemStats
		runtime.ReadMemStats(&a)
		r := w.invoke(w.user1, "DeliverAttested", args...)
		runtime.ReadMemStats(&c)
		return c.TotalAlloc - a.TotalAlloc, r.err
	}
	records := "[" + strings.Repeat("{},", n-1) + "{}]"
	strs := "[" + strings.Repeat(`"",`, n-1) + `""]`
	base, baseErr := alloc("5", `"`+strings.Repeat("x", len(records)-2)+`"`, b.evidence, b.sig)
	t.Logf("%d-byte input refused at once: %d MB (%s)", len(records), base>>20, baseErr)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"records", []string{"5", records, b.evidence, b.sig}},
		{"evidence hashes", []string{"5", b.records, strs, b.sig}},
		{"signatures", []string{"5", b.records, b.evidence, strs}},
	} {
		got, err := alloc(tc.args...)
		t.Logf("%d %s: %d MB (%s)", n, tc.name, got>>20, err)
		if err == "" {
			t.Fatalf("%s: accepted", tc.name)
		}
		if got > 2*base {
			t.Errorf("an over-long array of %s costs %d MB to refuse, %.1f× an input of the same size refused at once (%d MB)",
				tc.name, got>>20, float64(got)/float64(base), base>>20)
		}
	}
}

// Attack: a committee delivery that contradicts an identity attestor's
// pending vote raises no alarm. The EVM Inbox's _deliverAttested emits
// AttestationConflict(id, 0, digest, firstDigest) when an earlier
// per-attestor vote named another digest, and still delivers
// (docs/ARCHITECTURE.md: "an earlier per-attestor vote for another digest
// raises the same alarm while the committee's record is delivered"; the
// chaincode is to "do the same"). The chaincode never reads inbox/votes in
// DeliverAttested: the result is a plain "delivered" with no Error, and
// the CommitteeAttested event says nothing, so the one signal that the
// committee and a department's own attestor disagree on a record's
// content is lost on Fabric. Low severity (detection, parity with EVM).
func TestAttackCCCommitteeOverridesPendingVoteSilently(t *testing.T) {
	w, keys := committeeWorld(t)
	real, _ := inbound(t, 1, "registry", "real")
	forged, _ := inbound(t, 1, "registry", "forged") // same ID, another digest
	// Alice, an identity attestor, votes for the real record (threshold 2: pending).
	if res := attestResult(t, w.must(w.alice, "Attest", recordJSON(t, real), evidence(1))); res.Outcome != OutcomeVoted {
		t.Fatalf("alice: %+v", res)
	}
	// The committee delivers another content under the same ID.
	r := w.must(w.user1, "DeliverAttested", signBatch(t, here, 1, []Record{forged}, 9, keys[0], keys[1]).args()...)
	res := batchResults(t, r)[0]
	var ev CommitteeAttested
	_ = json.Unmarshal(r.event.Payload, &ev)
	evText := fmt.Sprintf("%+v", ev)
	if res.Error == "" && !strings.Contains(evText, "conflict") {
		t.Fatalf("the committee delivered digest %s over alice's pending vote for %s with no alarm: result %+v, event %s",
			res.Digest, "the real record's digest", res, evText)
	}
}
