package records

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
)

func batchArgs(t *testing.T, recs []Record, ev byte) (string, string) {
	t.Helper()
	hashes := make([]string, len(recs))
	for i := range hashes {
		hashes[i] = evidence(ev)
	}
	rb, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	hb, _ := json.Marshal(hashes)
	return string(rb), string(hb)
}

func batchResults(t *testing.T, r tx) []AttestResult {
	t.Helper()
	var out []AttestResult
	if err := json.Unmarshal([]byte(r.payload), &out); err != nil {
		t.Fatalf("batch results %q: %v", r.payload, err)
	}
	return out
}

// TestAttestBatchSameAsOneByOne: a batch leaves the state that attesting
// its records one by one leaves, and returns the same outcomes; a conflict
// is an outcome of its record, not a failed transaction.
func TestAttestBatchSameAsOneByOne(t *testing.T) {
	batched, single := newWorld(t, true), newWorld(t, true)
	var recs []Record
	for i := range 4 {
		r, _ := inbound(t, uint64(i+1), "registry", fmt.Sprintf("licence %d", i))
		recs = append(recs, r)
	}
	forged, _ := inbound(t, 3, "registry", "forged") // record 3's ID, another digest
	steps := []struct {
		who  func(w *world) *identity
		recs []Record
	}{
		{func(w *world) *identity { return w.alice }, recs[:3]},
		// Bob delivers 1 and 2, conflicts with nothing yet on the forged 3
		// (a vote for another digest), and casts a first vote for 4.
		{func(w *world) *identity { return w.bob }, []Record{recs[0], recs[1], forged, recs[3]}},
		// Alice replays 1, changes her mind on 3 (a conflict) and delivers 4.
		{func(w *world) *identity { return w.alice }, []Record{recs[0], forged, recs[3]}},
	}
	for n, step := range steps {
		rj, hj := batchArgs(t, step.recs, 7)
		r := batched.must(step.who(batched), "AttestBatch", rj, hj)
		got := batchResults(t, r)
		if len(got) != len(step.recs) {
			t.Fatalf("step %d: %d results for %d records", n, len(got), len(step.recs))
		}
		for i, rec := range step.recs {
			one := single.invoke(step.who(single), "Attest", recordJSON(t, rec), evidence(7))
			want := AttestResult{Outcome: OutcomeConflict}
			if one.err == "" {
				want = attestResult(t, one)
			} else if !strings.HasPrefix(one.err, "conflict: ") || batched.role(got[i].Error) != single.role(one.err) {
				t.Fatalf("step %d record %d: Attest failed with %q, the batch says %+v", n, i, one.err, got[i])
			}
			want.Attestor, got[i].Attestor = single.role(want.Attestor), batched.role(got[i].Attestor)
			if got[i].Outcome != want.Outcome || (one.err == "" && got[i] != want) {
				t.Fatalf("step %d record %d: batch %+v, one by one %+v", n, i, got[i], want)
			}
		}
		// The same state, key for key, but for the transaction IDs the
		// votes and deliveries name.
		if a, b := stripTx(batched), stripTx(single); !maps.Equal(a, b) {
			t.Fatalf("step %d: the batched and the one-by-one ledgers differ", n)
		}
		if r.event == nil || r.event.EventName != EventRecordsAttested {
			t.Fatalf("step %d: event %v, want %s", n, r.event, EventRecordsAttested)
		}
	}
}

// role replaces the world's attestor keys in s by their names, so that two
// worlds (with their own keys) compare.
func (w *world) role(s string) string {
	return strings.NewReplacer(w.aliceKey, "alice", w.bobKey, "bob", w.relayKey, "relay").Replace(s)
}

// stripTx returns the world's ledger state with "tx_id" values blanked and
// attestor keys named (see role).
func stripTx(w *world) map[string]string {
	out := map[string]string{}
	for k, v := range w.state {
		if k == keyConfig {
			continue // the attestors' certificates differ
		}
		s := w.role(string(v))
		for {
			i := strings.Index(s, `"tx_id":"tx`)
			if i < 0 {
				break
			}
			s = s[:i] + `"tx_id":"-"` + s[i+len(`"tx_id":"tx0000"`):]
		}
		out[k] = s
	}
	return out
}

// TestAttestBatchRejects: what fails a whole batch.
func TestAttestBatchRejects(t *testing.T) {
	w := newWorld(t, true)
	a, _ := inbound(t, 1, "registry", "a")
	b, _ := inbound(t, 2, "registry", "b")
	elsewhere, _ := inbound(t, 3, "finance", "c")
	rj, hj := batchArgs(t, []Record{a, b}, 1)
	w.fails("unauthorized: ", w.user1, "AttestBatch", rj, hj)
	_, short := batchArgs(t, []Record{a}, 1)
	w.fails("invalid: ", w.alice, "AttestBatch", rj, short)
	w.fails("invalid: ", w.alice, "AttestBatch", "[]", "[]")
	w.fails("invalid: ", w.alice, "AttestBatch", "{}", hj)
	rj2, hj2 := batchArgs(t, []Record{a, a}, 1)
	w.fails("invalid: ", w.alice, "AttestBatch", rj2, hj2)
	rj3, hj3 := batchArgs(t, []Record{a, elsewhere}, 1)
	w.fails("wrong destination: ", w.alice, "AttestBatch", rj3, hj3)
	// Nothing of a refused batch was written.
	if w.must(w.user1, "HasAttested", a.ID, w.aliceKey).payload != "false" {
		t.Fatal("a refused batch left a vote")
	}
}
