package telemetry

import (
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// FileExporter writes each finished span as one JSON line. It is for
// operators without a trace backend: `grep <trace_id> traces.jsonl` shows a
// record's spans.
type FileExporter struct {
	mu sync.Mutex
	w  io.Writer
}

// NewFileExporter returns an exporter writing to w.
func NewFileExporter(w io.Writer) *FileExporter { return &FileExporter{w: w} }

// SpanLine is the JSON form of one span.
type SpanLine struct {
	TraceID    string            `json:"trace_id"`
	SpanID     string            `json:"span_id"`
	ParentID   string            `json:"parent_span_id,omitempty"`
	Name       string            `json:"name"`
	Start      time.Time         `json:"start"`
	End        time.Time         `json:"end"`
	DurationMS float64           `json:"duration_ms"`
	Status     string            `json:"status,omitempty"`
	Error      string            `json:"error,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

// ExportSpans implements sdktrace.SpanExporter.
func (e *FileExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	enc := json.NewEncoder(e.w)
	for _, s := range spans {
		l := SpanLine{
			TraceID: s.SpanContext().TraceID().String(), SpanID: s.SpanContext().SpanID().String(),
			Name: s.Name(), Start: s.StartTime().UTC(), End: s.EndTime().UTC(),
			DurationMS: float64(s.EndTime().Sub(s.StartTime()).Microseconds()) / 1000,
			Attributes: map[string]string{},
		}
		if p := s.Parent(); p.IsValid() {
			l.ParentID = p.SpanID().String()
		}
		if st := s.Status(); st.Code != 0 {
			l.Status, l.Error = st.Code.String(), st.Description
		}
		for _, a := range s.Attributes() {
			l.Attributes[string(a.Key)] = a.Value.Emit()
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}

// Shutdown implements sdktrace.SpanExporter.
func (e *FileExporter) Shutdown(ctx context.Context) error { return nil }
