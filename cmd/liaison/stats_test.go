package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/internal/httpapi"
	"github.com/liaison-gw/liaison/relayer"
)

func TestStatsCommand(t *testing.T) {
	db, _ := relayedStore(t) // 4 confirmed records on route licences, 1 dead

	code, out, errOut := cli("stats", "--db", db)
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "records confirmed since ") || !strings.Contains(lines[0], "(1h0m0s)") {
		t.Errorf("header %q", lines[0])
	}
	if f := strings.Fields(lines[3]); len(f) != 9 || f[0] != "licences" || f[1] != "4" || f[3] != "source-finality" || f[4] != "4" {
		t.Errorf("first row %q:\n%s", lines[3], out)
	}
	for _, st := range relayer.LatencyStages {
		if !strings.Contains(out, string(st)) {
			t.Errorf("no %s row:\n%s", st, out)
		}
	}

	code, out, errOut = cli("stats", "--db", db, "--json", "--since", "all", "--route", "licences")
	if code != 0 {
		t.Fatalf("stats --json: exit %d: %s", code, errOut)
	}
	var doc httpapi.Stats
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	if doc.Since != nil || len(doc.Routes) != 1 {
		t.Fatalf("stats --json: %+v", doc)
	}
	r := doc.Routes[0]
	if r.Route != "licences" || r.Records != 4 || r.RecordsPerSec <= 0 || r.FirstObserved == nil || r.LastConfirmed == nil ||
		!r.LastConfirmed.After(*r.FirstObserved) || len(r.Stages) != len(relayer.LatencyStages) {
		t.Fatalf("route: %+v", r)
	}
	for i, st := range r.Stages {
		if st.Stage != relayer.LatencyStages[i] || st.N != 4 || st.P50 > st.P95 || st.P95 > st.P99 || st.P99 > st.Max || st.Max <= 0 {
			t.Errorf("stage %d: %+v", i, st)
		}
	}

	// Nothing confirmed in a window that starts later.
	code, out, _ = cli("stats", "--db", db, "--since", time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	if f := strings.Fields(strings.Split(out, "\n")[3]); code != 0 || len(f) != 9 || f[1] != "0" || f[5] != "-" {
		t.Errorf("empty window: exit %d\n%s", code, out)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--route", "nope"}, 1, `route "nope" has not run on this store (routes: licences)`},
		{[]string{"--since", "yesterday"}, 2, "--since"},
		{[]string{"--since", "-5m"}, 2, "must be positive"},
		{[]string{"extra"}, 1, "unknown command"},
	} {
		code, _, errOut := cli(append([]string{"stats", "--db", db}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("stats %v: exit %d (want %d): %s", c.args, code, c.code, errOut)
		}
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{in: "all"},
		{in: "90m", want: now.Add(-90 * time.Minute)},
		{in: "2026-11-30T10:00:00Z", want: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)},
		{in: "2026-11-30T11:00:00+01:00", want: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)},
		{in: "2026-11-29", want: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)},
		{in: "0s", bad: true},
		{in: "soon", bad: true},
	} {
		got, err := parseSince(c.in, now)
		if (err != nil) != c.bad || !got.Equal(c.want) {
			t.Errorf("parseSince(%q) = %v, %v", c.in, got, err)
		}
	}
}

func TestStatsFlagsClockSkew(t *testing.T) {
	var b strings.Builder
	writeSkew(&b, []relayer.RouteLatency{
		{Route: "a-to-b", Records: 5, Skew: relayer.ClockSkew{Records: 3, Max: 7200 * time.Millisecond}},
		{Route: "b-to-a", Records: 5},
	})
	want := "clock skew on a-to-b: 3 of 5 records carry a source time after liaison observed them, by up to 7.2s"
	if !strings.Contains(b.String(), want) || strings.Contains(b.String(), "b-to-a") {
		t.Fatalf("got %q, want a line with %q and none for b-to-a", b.String(), want)
	}
}
