package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

func open(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func observe(t *testing.T, s *Store, route string, seqs ...uint64) []relayer.Record {
	t.Helper()
	var news []relayer.NewRecord
	var recs []relayer.Record
	for _, q := range seqs {
		r := relayer.NewTestRecord("a", []byte("e"), q, []byte("p"))
		recs = append(recs, r)
		news = append(news, relayer.NewRecord{Record: r, TraceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
			Event: relayer.Event{Stage: relayer.StageObserved, At: time.Now()}})
	}
	if err := s.Observe(context.Background(), route, news, relayer.Cursor("c")); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestObserveIsIdempotentAndMovesTheCursor(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	observe(t, s, "r", 1, 2)
	observe(t, s, "r", 2, 3) // 2 again: ignored
	es, err := s.List(ctx, relayer.Filter{Route: "r"})
	if err != nil || len(es) != 3 {
		t.Fatalf("List = %d entries, %v", len(es), err)
	}
	c, _ := s.Cursor(ctx, "r")
	if c != "c" {
		t.Fatalf("cursor = %q", c)
	}
	tl, _ := s.Timeline(ctx, es[1].Key())
	if len(tl) != 1 {
		t.Fatalf("re-observing added events: %v", tl)
	}
	// Another route may carry the same record.
	observe(t, s, "r2", 2)
	got, _ := s.Get(ctx, es[1].Record.ID)
	if len(got) != 2 {
		t.Fatalf("record on two routes: %d entries", len(got))
	}
}

func TestApplyChecksTheFromState(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	recs := observe(t, s, "r", 1, 2)
	k1 := relayer.Key{Route: "r", ID: recs[0].ID}
	k2 := relayer.Key{Route: "r", ID: recs[1].ID}
	applied, err := s.Apply(ctx, []relayer.Transition{
		{Key: k1, From: relayer.StateObserved, To: relayer.StateSubmitting, Evidence: []byte("{}"), Prepared: []byte("tx"), DestTx: "0x1",
			Events: []relayer.Event{{Stage: relayer.StageVerified}, {Stage: relayer.StagePrepared, TxID: "0x1"}}},
		{Key: k2, From: relayer.StateVerified, To: relayer.StateSubmitting}, // stale: k2 is observed
	})
	if err != nil || !applied[0] || applied[1] {
		t.Fatalf("Apply = %v, %v", applied, err)
	}
	es, _ := s.Get(ctx, recs[0].ID)
	if e := es[0]; e.State != relayer.StateSubmitting || string(e.Prepared) != "tx" || e.DestTx != "0x1" || string(e.Evidence) != "{}" {
		t.Fatalf("entry = %+v", e)
	}
	// nil keeps, empty replaces.
	s.Apply(ctx, []relayer.Transition{{Key: k1, From: relayer.StateSubmitting, To: relayer.StateSubmitting, Prepared: []byte{}}})
	es, _ = s.Get(ctx, recs[0].ID)
	if len(es[0].Prepared) != 0 || string(es[0].Evidence) != "{}" || es[0].DestTx != "0x1" {
		t.Fatalf("after clearing prepared: %+v", es[0])
	}
	tl, _ := s.Timeline(ctx, k1)
	if len(tl) != 3 || tl[2].TxID != "0x1" {
		t.Fatalf("timeline = %+v", tl)
	}
}

// Transitions of one shape share an UPDATE; each record is still checked
// against its own From state and gets its own events, in order.
func TestApplyGroupsTransitionsOfOneShape(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	recs := observe(t, s, "r", 1, 2, 3, 4, 5)
	key := func(i int) relayer.Key { return relayer.Key{Route: "r", ID: recs[i].ID} }
	// Records 0-3 verified; 4 stays observed (an operator's doing, say).
	var ts []relayer.Transition
	for i := range 4 {
		ts = append(ts, relayer.Transition{Key: key(i), From: relayer.StateObserved, To: relayer.StateVerified, Evidence: []byte{byte(i)}})
	}
	if applied, err := s.Apply(ctx, ts); err != nil || !allTrue(applied) {
		t.Fatalf("verify: %v, %v", applied, err)
	}
	ts = ts[:0]
	for i := range 5 {
		ts = append(ts, relayer.Transition{Key: key(i), From: relayer.StateVerified, To: relayer.StateSubmitting, DestTx: "0xb",
			Batch: "B", Prepared: []byte{}, Events: []relayer.Event{{Stage: relayer.StagePrepared, TxID: "0xb", Detail: fmt.Sprint("member ", i)}}})
	}
	ts[0].NewBatch = &relayer.BatchInfo{ID: "B", Route: "r", DestTx: "0xb", Prepared: []byte("batch"), Size: 5, Created: time.Now()}
	// Another shape in the same call, and a stale member.
	ts[2].DestTx = "0xc"
	applied, err := s.Apply(ctx, ts)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, true, true, true, false}; fmt.Sprint(applied) != fmt.Sprint(want) {
		t.Fatalf("applied = %v, want %v", applied, want)
	}
	for i := range 5 {
		es, _ := s.Get(ctx, recs[i].ID)
		e := es[0]
		wantTx, wantState := "0xb", relayer.StateSubmitting
		switch i {
		case 2:
			wantTx = "0xc"
		case 4:
			wantTx, wantState = "", relayer.StateObserved
		}
		if e.State != wantState || e.DestTx != wantTx || (i < 4 && (e.Batch != "B" || len(e.Evidence) != 1 || e.Evidence[0] != byte(i))) {
			t.Fatalf("record %d: %+v", i, e)
		}
		tl, _ := s.Timeline(ctx, key(i))
		if last := tl[len(tl)-1]; i < 4 && last.Detail != fmt.Sprint("member ", i) {
			t.Fatalf("record %d: last event %+v", i, last)
		} else if i == 4 && len(tl) != 1 {
			t.Fatalf("the stale record got events: %+v", tl)
		}
	}
	// One record twice in a call: its transitions apply in order.
	applied, err = s.Apply(ctx, []relayer.Transition{
		{Key: key(0), From: relayer.StateSubmitting, To: relayer.StateSubmitted, Events: []relayer.Event{{Stage: relayer.StageSubmitted}}},
		{Key: key(1), From: relayer.StateSubmitting, To: relayer.StateSubmitted},
		{Key: key(0), From: relayer.StateSubmitted, To: relayer.StateConfirmed, Events: []relayer.Event{{Stage: relayer.StageConfirmed}}},
	})
	if err != nil || !allTrue(applied) {
		t.Fatalf("one record twice: %v, %v", applied, err)
	}
	tl, _ := s.Timeline(ctx, key(0))
	if n := len(tl); tl[n-2].Stage != relayer.StageSubmitted || tl[n-1].Stage != relayer.StageConfirmed {
		t.Fatalf("timeline order: %+v", tl)
	}
}

func allTrue(bs []bool) bool {
	for _, b := range bs {
		if !b {
			return false
		}
	}
	return true
}

func TestDueHeadAndStats(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	recs := observe(t, s, "r", 3, 1, 2)
	now := time.Now()
	// Record 1 waits for a retry in the future; record 2 is dead.
	s.Apply(ctx, []relayer.Transition{
		{Key: relayer.Key{Route: "r", ID: recs[1].ID}, From: relayer.StateObserved, To: relayer.StateObserved, NextAt: now.Add(time.Hour), Attempts: 1},
		{Key: relayer.Key{Route: "r", ID: recs[2].ID}, From: relayer.StateObserved, To: relayer.StateDead},
	})
	due, err := s.Due(ctx, relayer.DueQuery{Route: "r", Now: now, Limit: 10})
	if err != nil || len(due) != 1 || due[0].Record.Source.Sequence != 3 {
		t.Fatalf("Due = %v, %v", due, err)
	}
	due, _ = s.Due(ctx, relayer.DueQuery{Route: "r", Now: now.Add(2 * time.Hour), Limit: 10, Exclude: map[relayer.RecordID]struct{}{recs[0].ID: {}}})
	if len(due) != 1 || due[0].Record.Source.Sequence != 1 {
		t.Fatalf("Due later, excluding 3 = %v", due)
	}
	head, err := s.Head(ctx, "r")
	if err != nil || head.Record.Source.Sequence != 1 {
		t.Fatalf("Head = %d, %v", head.Record.Source.Sequence, err)
	}
	st, err := s.Stats(ctx)
	if err != nil || len(st) != 1 || st[0].Pending != 2 || st[0].Dead != 1 || st[0].OldestPending.IsZero() {
		t.Fatalf("Stats = %+v, %v", st, err)
	}
	if _, err := s.Head(ctx, "nothing"); !errors.Is(err, relayer.ErrNotFound) {
		t.Fatalf("Head of an empty route: %v", err)
	}
}

func TestOperatorActionsAreAudited(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	recs := observe(t, s, "r", 1, 2)
	k := relayer.Key{Route: "r", ID: recs[0].ID}
	s.Apply(ctx, []relayer.Transition{{Key: k, From: relayer.StateObserved, To: relayer.StateDead, DestTx: "0xabc", Attempts: 8, LastError: "boom"}})
	from, to, err := s.Retry(ctx, relayer.OperatorAction{Key: k, Actor: "alice", Action: "retry", Reason: "fixed", At: time.Now()})
	// It was submitted once (DestTx), so it goes back to submitting.
	if err != nil || from != relayer.StateDead || to != relayer.StateSubmitting {
		t.Fatalf("Retry: %s → %s, %v", from, to, err)
	}
	es, _ := s.Get(ctx, k.ID)
	if es[0].Attempts != 0 || es[0].LastError != "" {
		t.Fatalf("retry kept attempts %d / error %q", es[0].Attempts, es[0].LastError)
	}
	// Submitting: its delivery may be on the destination, so it cannot
	// be skipped until it is dead (or confirmed).
	if _, err := s.Skip(ctx, relayer.OperatorAction{Key: k, Actor: "bob", Action: "skip", Reason: "gone", At: time.Now()}); !errors.Is(err, relayer.ErrConflict) {
		t.Fatalf("skip of a submitting record: %v, want ErrConflict", err)
	}
	s.Apply(ctx, []relayer.Transition{{Key: k, From: relayer.StateSubmitting, To: relayer.StateDead, LastError: "refused"}})
	if _, err := s.Skip(ctx, relayer.OperatorAction{Key: k, Actor: "bob", Action: "skip", Reason: "gone", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Skip(ctx, relayer.OperatorAction{Key: k, Actor: "bob", Action: "skip", At: time.Now()}); err == nil || !strings.Contains(err.Error(), "already skipped") {
		t.Fatalf("skipping twice: %v", err)
	}
	if _, _, err := s.Retry(ctx, relayer.OperatorAction{Key: relayer.Key{Route: "r", ID: relayer.RecordID{1}}, At: time.Now()}); !errors.Is(err, relayer.ErrNotFound) {
		t.Fatalf("retry of an unknown record: %v", err)
	}
	audit, err := s.Audit(ctx, 10)
	if err != nil || len(audit) != 2 || audit[0].Actor != "alice" || audit[1].To != relayer.StateSkipped || audit[1].From != relayer.StateDead {
		t.Fatalf("Audit = %+v, %v", audit, err)
	}
	// A record that died after it passed verification (it has evidence)
	// may have landed without a transaction id: it goes back to
	// submitting too. One that never passed is proven afresh.
	k2 := relayer.Key{Route: "r", ID: recs[1].ID}
	s.Apply(ctx, []relayer.Transition{{Key: k2, From: relayer.StateObserved, To: relayer.StateDead, Evidence: []byte(`{}`), LastError: "connection reset"}})
	if _, to, err := s.Retry(ctx, relayer.OperatorAction{Key: k2, Actor: "alice", Action: "retry", At: time.Now()}); err != nil || to != relayer.StateSubmitting {
		t.Fatalf("retry of a verified dead record: → %s, %v; want submitting", to, err)
	}
	k3 := relayer.Key{Route: "r", ID: observe(t, s, "r", 3)[0].ID}
	s.Apply(ctx, []relayer.Transition{{Key: k3, From: relayer.StateObserved, To: relayer.StateDead, LastError: "evidence rejected"}})
	if _, to, err := s.Retry(ctx, relayer.OperatorAction{Key: k3, Actor: "alice", Action: "retry", At: time.Now()}); err != nil || to != relayer.StateObserved {
		t.Fatalf("retry of a record that never passed verification: → %s, %v; want observed", to, err)
	}
}

func TestAnchors(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	if _, err := s.LatestAnchor(ctx, "a"); !errors.Is(err, relayer.ErrNotFound) {
		t.Fatalf("no anchor: %v", err)
	}
	a1, _ := relayer.NewAnchor("a", "x", []byte("e"), 1, []byte(`{"h":1}`))
	a5, _ := relayer.NewAnchor("a", "x", []byte("e"), 5, []byte(`{"h":5}`))
	for _, a := range []relayer.Anchor{a5, a1, a1} {
		if err := s.SaveAnchor(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.LatestAnchor(ctx, "a")
	if got.Digest != a5.Digest || got.CheckDigest() != nil {
		t.Fatalf("latest = %+v", got)
	}
	got, err := s.AnchorByDigest(ctx, "a", a1.Digest)
	if err != nil || got.Height != 1 {
		t.Fatalf("by digest = %+v, %v", got, err)
	}
	if _, err := s.AnchorByDigest(ctx, "b", a1.Digest); !errors.Is(err, relayer.ErrNotFound) {
		t.Fatalf("another chain's anchor: %v", err)
	}
	if string(got.Emitter) != "e" {
		t.Fatalf("emitter = %q", got.Emitter)
	}
	for h, want := range map[relayer.Height]string{1: a1.Digest, 4: a1.Digest, 5: a5.Digest, 99: a5.Digest} {
		if at, err := s.AnchorAt(ctx, "a", h); err != nil || at.Digest != want {
			t.Fatalf("AnchorAt(%d) = %s, %v; want %s", h, at.Digest, err, want)
		}
	}
	if _, err := s.AnchorAt(ctx, "a", 0); !errors.Is(err, relayer.ErrNotFound) {
		t.Fatalf("AnchorAt below every anchor: %v", err)
	}
	a3, _ := relayer.NewAnchor("a", "x", []byte("e"), 3, []byte(`{"h":3}`))
	if err := s.ReplaceAnchors(ctx, a3); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []relayer.Anchor{a1, a5} {
		if _, err := s.AnchorByDigest(ctx, "a", gone.Digest); !errors.Is(err, relayer.ErrNotFound) {
			t.Fatalf("anchor at %d survived ReplaceAnchors: %v", gone.Height, err)
		}
	}
	if got, err := s.LatestAnchor(ctx, "a"); err != nil || got.Digest != a3.Digest {
		t.Fatalf("latest after ReplaceAnchors = %+v, %v", got, err)
	}
}

func TestReopenAndNewerSchema(t *testing.T) {
	s, path := open(t)
	observe(t, s, "r", 1)
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.w.Exec(`UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "newer than this build") {
		t.Fatalf("opening a newer schema: %v", err)
	}
	if _, err := Open(path, Options{Synchronous: "sometimes"}); err == nil {
		t.Fatal("bad synchronous accepted")
	}
}

func TestSourceTimeRoundTrip(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 30, 12, 0, 0, 123456789, time.FixedZone("x", 3600))
	known := relayer.NewTestRecord("a", []byte("e"), 1, []byte("p"))
	known.Source.Time = at
	unknown := relayer.NewTestRecord("a", []byte("e"), 2, []byte("p"))
	if err := s.Observe(ctx, "r", []relayer.NewRecord{{Record: known}, {Record: unknown}}, "c"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, known.ID)
	if len(got) != 1 || !got[0].Record.Source.Time.Equal(at) || got[0].Record.Source.Time.Location() != time.UTC {
		t.Fatalf("known source time: %+v", got)
	}
	got, _ = s.Get(ctx, unknown.ID)
	if len(got) != 1 || !got[0].Record.Source.Time.IsZero() {
		t.Fatalf("unknown source time: %+v", got)
	}
	var null int
	if err := s.r.QueryRow(`SELECT count(*) FROM records WHERE src_time IS NULL`).Scan(&null); err != nil || null != 1 {
		t.Fatalf("rows with a NULL src_time: %d, %v", null, err)
	}
}

// storeAtVersion writes a database as a store of schema version v left it
// (the first v migrations), runs insert on it, and returns its path.
func storeAtVersion(t *testing.T, v int, insert string, args ...any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, fmt.Sprintf(`INSERT INTO schema_version VALUES (%d)`, v)}
	for _, q := range append(stmts, migrations[:v]...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(insert, args...); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMigrateFromVersion2 opens a database written before the source time
// existed: its records read back with an unknown time.
func TestMigrateFromVersion2(t *testing.T) {
	rec := relayer.NewTestRecord("a", []byte("e"), 1, []byte("p"))
	path := storeAtVersion(t, 2, `INSERT INTO records (route, id, src_chain, src_height, src_tx, emitter, sequence, dest_chain, receiver,
		content_type, payload, payload_hash, state, observed_at, updated_at) VALUES ('r', ?, 'a', 1, 'tx', ?, 1, 'dest', '', 'text/plain', ?, ?, 'confirmed', 1, 2)`,
		rec.ID[:], rec.Source.Emitter, rec.Payload, rec.PayloadHash[:])
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Get(context.Background(), rec.ID)
	if err != nil || len(got) != 1 || !got[0].Record.Source.Time.IsZero() {
		t.Fatalf("old record: %+v, %v", got, err)
	}
	var v int
	if err := s.r.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d, %v", v, err)
	}
	// The old confirmed record has no events; StageTimes has nothing to
	// join, and says so by leaving it out.
	st, err := s.StageTimes(context.Background(), relayer.StageQuery{Route: "r"})
	if err != nil || len(st) != 0 {
		t.Fatalf("StageTimes on the old record: %+v, %v", st, err)
	}
}

// TestStageTimesPlan checks that StageTimes reads the window through the
// records_confirmed index and each record's events through events_by_rec:
// no scan of either table.
func TestStageTimesPlan(t *testing.T) {
	s, _ := open(t)
	rows, err := s.r.Query(`EXPLAIN QUERY PLAN `+stageTimesQuery, "r", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	all := strings.Join(plan, "\n")
	for _, want := range []string{"records_confirmed", "events_by_rec"} {
		if !strings.Contains(all, want) {
			t.Errorf("plan does not use %s:\n%s", want, all)
		}
	}
	for _, line := range plan {
		if strings.HasPrefix(line, "SCAN") && !strings.Contains(line, "USING") {
			t.Errorf("plan scans a table:\n%s", all)
		}
	}
	t.Logf("plan:\n%s", all)
}

// TestBatchesAndOpen: a batch is stored with the transition that carries
// it, its members name it, Batch returns it with its open members in
// sequence order, and ClearBatch releases a member.
func TestBatchesAndOpen(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	recs := observe(t, s, "r", 3, 1, 2)
	key := func(i int) relayer.Key { return relayer.Key{Route: "r", ID: recs[i].ID} }
	b := relayer.BatchInfo{ID: "b1", Route: "r", DestTx: "0xb1", Prepared: []byte("signed"), Size: 2, Created: time.Now()}
	applied, err := s.Apply(ctx, []relayer.Transition{
		{Key: key(0), From: relayer.StateObserved, To: relayer.StateSubmitting, DestTx: b.DestTx, Batch: b.ID, NewBatch: &b},
		{Key: key(2), From: relayer.StateObserved, To: relayer.StateSubmitting, DestTx: b.DestTx, Batch: b.ID},
	})
	if err != nil || !applied[0] || !applied[1] {
		t.Fatalf("Apply = %v, %v", applied, err)
	}
	got, members, err := s.Batch(ctx, "b1")
	if err != nil || got.DestTx != "0xb1" || string(got.Prepared) != "signed" || got.Size != 2 || got.Route != "r" {
		t.Fatalf("Batch = %+v, %v", got, err)
	}
	// recs are sequences 3, 1, 2: the members are 3 and 2.
	if len(members) != 2 || members[0].Record.Source.Sequence != 2 || members[1].Record.Source.Sequence != 3 || members[0].Batch != "b1" {
		t.Fatalf("members = %+v", members)
	}
	// One member confirmed, the other released: no open member is left.
	s.Apply(ctx, []relayer.Transition{
		{Key: key(0), From: relayer.StateSubmitting, To: relayer.StateConfirmed},
		{Key: key(2), From: relayer.StateSubmitting, To: relayer.StateVerified, ClearBatch: true},
	})
	if _, members, err = s.Batch(ctx, "b1"); err != nil || len(members) != 0 {
		t.Fatalf("members after = %+v, %v", members, err)
	}
	es, _ := s.Get(ctx, recs[2].ID)
	if es[0].Batch != "" {
		t.Fatalf("released member still names batch %q", es[0].Batch)
	}
	// Due batches, and records submitted without one.
	s.Apply(ctx, []relayer.Transition{{Key: key(1), From: relayer.StateObserved, To: relayer.StateSubmitted, DestTx: "0xsingle"}})
	b2 := relayer.BatchInfo{ID: "b2", Route: "r", DestTx: "0xb2", Prepared: []byte("p"), Size: 1, Created: time.Now()}
	s.Apply(ctx, []relayer.Transition{{Key: key(2), From: relayer.StateVerified, To: relayer.StateSubmitting, DestTx: "0xb2", Batch: "b2", NewBatch: &b2}})
	sent := []relayer.State{relayer.StateSubmitting, relayer.StateSubmitted}
	if ids, err := s.DueBatches(ctx, relayer.DueQuery{Route: "r", Now: time.Now(), Limit: 5, States: sent}); err != nil || len(ids) != 1 || ids[0] != "b2" {
		t.Fatalf("DueBatches = %v, %v", ids, err)
	}
	single, err := s.Due(ctx, relayer.DueQuery{Route: "r", Now: time.Now(), Limit: 5, States: sent, Unbatched: true})
	if err != nil || len(single) != 1 || single[0].DestTx != "0xsingle" {
		t.Fatalf("unbatched Due = %v, %v", single, err)
	}
	if _, _, err := s.Batch(ctx, "nope"); !errors.Is(err, relayer.ErrNotFound) {
		t.Fatalf("unknown batch: %v", err)
	}
	open, err := s.Open(ctx, "r", 10)
	if err != nil || len(open) != 2 || open[0].Record.Source.Sequence != 1 || open[1].Record.Source.Sequence != 2 || open[1].Batch != "b2" {
		t.Fatalf("Open = %v, %v", open, err)
	}
}

func TestListPageFiltersAndPages(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	recs := observe(t, s, "r", 1, 2, 3, 4, 5, 6, 7)
	observe(t, s, "q", 1, 2)
	seen := map[relayer.RecordID]bool{}
	var sizes []int
	f := relayer.Filter{Route: "r", Limit: 3}
	for {
		es, next, err := s.ListPage(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(es))
		for i, e := range es {
			if e.Record.Route != "r" || seen[e.Record.ID] {
				t.Fatalf("page %d: record %s of route %s, seen before: %v", len(sizes), e.Record.ID, e.Record.Route, seen[e.Record.ID])
			}
			if i > 0 && e.Record.Source.Sequence > es[i-1].Record.Source.Sequence {
				t.Fatalf("page %d is not newest first", len(sizes))
			}
			seen[e.Record.ID] = true
		}
		if next == "" {
			break
		}
		f.After = next
	}
	if fmt.Sprint(sizes) != "[3 3 1]" || len(seen) != 7 {
		t.Fatalf("pages of %v, %d records", sizes, len(seen))
	}
	// By destination transaction.
	k := relayer.Key{Route: "r", ID: recs[2].ID}
	if _, err := s.Apply(ctx, []relayer.Transition{{Key: k, From: relayer.StateObserved, To: relayer.StateSubmitted, DestTx: "0xdead"}}); err != nil {
		t.Fatal(err)
	}
	es, next, err := s.ListPage(ctx, relayer.Filter{DestTx: "0xdead"})
	if err != nil || len(es) != 1 || es[0].Record.ID != recs[2].ID || next != "" {
		t.Fatalf("by dest tx: %d entries, next %q, %v", len(es), next, err)
	}
	// By source transaction: the record on both routes.
	r := relayer.NewTestRecord("a", []byte("e"), 99, []byte("p"))
	r.Source.TxID = "0xbeef"
	for _, route := range []string{"r", "q"} {
		if err := s.Observe(ctx, route, []relayer.NewRecord{{Record: r}}, "c"); err != nil {
			t.Fatal(err)
		}
	}
	es, _, err = s.ListPage(ctx, relayer.Filter{SourceTx: "0xbeef"})
	if err != nil || len(es) != 2 || es[0].Record.ID != r.ID {
		t.Fatalf("by source tx: %d entries, %v", len(es), err)
	}
	// Observed in a window.
	if es, _, _ := s.ListPage(ctx, relayer.Filter{Since: time.Now().Add(time.Hour)}); len(es) != 0 {
		t.Fatalf("observed after the future: %d", len(es))
	}
	if es, _, _ := s.ListPage(ctx, relayer.Filter{Since: time.Now().Add(-time.Hour), Until: time.Now().Add(time.Hour)}); len(es) != 11 {
		t.Fatalf("observed within the hour: %d", len(es))
	}
	for _, bad := range []string{"x", "-1", "0"} {
		if _, _, err := s.ListPage(ctx, relayer.Filter{After: bad}); !errors.Is(err, relayer.ErrBadQuery) {
			t.Errorf("cursor %q: %v, want ErrBadQuery", bad, err)
		}
	}
}

// TestMigrateEvidenceToItsTable opens a store written before migration 8,
// with a bundle in the records row: it reads back from the evidence table,
// the row's copy is gone, and a later state change keeps it.
func TestMigrateEvidenceToItsTable(t *testing.T) {
	rec := relayer.NewTestRecord("a", []byte("e"), 1, []byte("p"))
	bundle := []byte(`{"version":1,"ledger":"evm"}`)
	path := storeAtVersion(t, 7, `INSERT INTO records (route, id, src_chain, src_height, src_tx, emitter, sequence, dest_chain, receiver,
		content_type, payload, payload_hash, state, evidence, observed_at, updated_at)
		VALUES ('r', ?, 'a', 1, 'tx', ?, 1, 'dest', '', 'text/plain', ?, ?, 'submitting', ?, 1, 2)`,
		rec.ID[:], rec.Source.Emitter, rec.Payload, rec.PayloadHash[:], bundle)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	got, err := s.Get(ctx, rec.ID)
	if err != nil || len(got) != 1 || string(got[0].Evidence) != string(bundle) {
		t.Fatalf("migrated record: %+v, %v", got, err)
	}
	var inRow int
	if err := s.r.QueryRow(`SELECT count(*) FROM records WHERE evidence IS NOT NULL`).Scan(&inRow); err != nil || inRow != 0 {
		t.Fatalf("%d rows still carry their bundle, %v", inRow, err)
	}
	k := relayer.Key{Route: "r", ID: rec.ID}
	if _, err := s.Apply(ctx, []relayer.Transition{{Key: k, From: relayer.StateSubmitting, To: relayer.StateSubmitted, DestTx: "0x1"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, rec.ID); string(got[0].Evidence) != string(bundle) || got[0].State != relayer.StateSubmitted {
		t.Fatalf("after a state change: %s %q", got[0].State, got[0].Evidence)
	}
	// New evidence (a record proven again after a retry) replaces it.
	if _, err := s.Apply(ctx, []relayer.Transition{{Key: k, From: relayer.StateSubmitted, To: relayer.StateVerified, Evidence: []byte(`{"new":1}`)}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, rec.ID); string(got[0].Evidence) != `{"new":1}` {
		t.Fatalf("replaced evidence: %q", got[0].Evidence)
	}
}

// TestObserveManyInOneCall: a poll of more records than one INSERT takes,
// with a record twice and one stored before, stores each once with one
// observed event.
func TestObserveManyInOneCall(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	observe(t, s, "r", 7)
	seqs := []uint64{7}
	for q := uint64(1000); q < 1000+maxRows+50; q++ {
		seqs = append(seqs, q)
	}
	seqs = append(seqs, 1000) // twice in one poll
	observe(t, s, "r", seqs...)
	es, err := s.List(ctx, relayer.Filter{Route: "r", Limit: 10000})
	if err != nil || len(es) != 1+maxRows+50 {
		t.Fatalf("%d records stored, want %d: %v", len(es), 1+maxRows+50, err)
	}
	var events int
	if err := s.r.QueryRow(`SELECT count(*) FROM events`).Scan(&events); err != nil || events != len(es) {
		t.Fatalf("%d observed events for %d records, %v", events, len(es), err)
	}
}
