package relayer_test

import (
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/liaison-gw/liaison/relayer"
)

// TestTraceContinuesAfterRestart checks that a record keeps one trace: the
// spans written by a second process join the trace opened when the record
// was observed, and that only the confirmation check that decides gets a
// span, however often the record was found pending.
func TestTraceContinuesAfterRestart(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	h.fake.PendingConfirms = 1 << 30
	h.src.Publish("dept-b", 3)

	first := tracetest.NewInMemoryExporter()
	tp1 := sdktrace.NewTracerProvider(sdktrace.WithSyncer(first))
	stop := h.start(h.store, func(o *relayer.Options) { o.TracerProvider = tp1 })
	waitFor(t, "3 submitted", func() bool { return h.states(h.store)[relayer.StateSubmitted] == 3 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	traceOf := map[relayer.RecordID]string{}
	for _, s := range first.GetSpans() {
		if s.Name == "liaison.confirm" {
			t.Errorf("a confirm span for a check that found the transaction pending: %v", s.Attributes)
		}
		if s.Name != "liaison.observe" {
			continue
		}
		for _, a := range s.Attributes {
			if a.Key == "liaison.record_id" {
				id, _ := relayer.ParseRecordID(a.Value.AsString())
				traceOf[id] = s.SpanContext.TraceID().String()
			}
		}
	}
	if len(traceOf) != 3 {
		t.Fatalf("observe spans for %d records, want 3", len(traceOf))
	}

	h.fake.FinalizeAll()
	second := tracetest.NewInMemoryExporter()
	tp2 := sdktrace.NewTracerProvider(sdktrace.WithSyncer(second))
	stop = h.start(h.store, func(o *relayer.Options) { o.TracerProvider = tp2 })
	h.waitConfirmed(h.store, 3)
	stop()
	confirms := 0
	for _, s := range second.GetSpans() {
		var id relayer.RecordID
		for _, a := range s.Attributes {
			if a.Key == "liaison.record_id" {
				id, _ = relayer.ParseRecordID(a.Value.AsString())
			}
		}
		if want := traceOf[id]; s.SpanContext.TraceID().String() != want {
			t.Errorf("span %s of record %s is in trace %s, want %s", s.Name, id, s.SpanContext.TraceID(), want)
		}
		if s.Name == "liaison.confirm" {
			confirms++
		}
	}
	if confirms != 3 {
		t.Fatalf("%d confirm spans after the restart, want one per record", confirms)
	}
}
