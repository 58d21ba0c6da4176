package relayer

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// engineMetrics are the engine's instruments. Names follow the Prometheus
// conventions once exported: liaison_records_delivered_total and so on.
type engineMetrics struct {
	observed  metric.Int64Counter
	delivered metric.Int64Counter
	failures  metric.Int64Counter
	dead      metric.Int64Counter
	stageDur  metric.Float64Histogram
	latency   metric.Float64Histogram
	batchSize metric.Int64Histogram
	splits    metric.Int64Counter
	found     metric.Int64Counter
}

type metricAttrOption = metric.MeasurementOption

func metricAttrs(s attribute.Set) metricAttrOption { return metric.WithAttributeSet(s) }

// latencyBuckets suit stages from microseconds (verification) to minutes
// (finality on slow chains).
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300}

func newEngineMetrics(m metric.Meter, e *Engine) (*engineMetrics, error) {
	var em engineMetrics
	var err error
	if em.observed, err = m.Int64Counter("liaison.records.observed", metric.WithDescription("Records read from source ledgers."), metric.WithUnit("{record}")); err != nil {
		return nil, err
	}
	if em.delivered, err = m.Int64Counter("liaison.records.delivered", metric.WithDescription("Records final on their destination ledger."), metric.WithUnit("{record}")); err != nil {
		return nil, err
	}
	if em.failures, err = m.Int64Counter("liaison.records.failures", metric.WithDescription("Failed steps (each is retried or dead-lettered)."), metric.WithUnit("{failure}")); err != nil {
		return nil, err
	}
	if em.dead, err = m.Int64Counter("liaison.records.dead", metric.WithDescription("Records dead-lettered."), metric.WithUnit("{record}")); err != nil {
		return nil, err
	}
	if em.stageDur, err = m.Float64Histogram("liaison.stage.duration", metric.WithDescription("Time spent in each pipeline stage."), metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(latencyBuckets...)); err != nil {
		return nil, err
	}
	if em.latency, err = m.Float64Histogram("liaison.record.latency", metric.WithDescription("Time from observation on the source to finality on the destination."), metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(latencyBuckets...)); err != nil {
		return nil, err
	}
	if em.batchSize, err = m.Int64Histogram("liaison.batch.size", metric.WithDescription("Records per batch submission, as prepared."), metric.WithUnit("{record}"),
		metric.WithExplicitBucketBoundaries(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)); err != nil {
		return nil, err
	}
	if em.splits, err = m.Int64Counter("liaison.batch.splits", metric.WithDescription("Batches split because they could not be prepared or could not land."), metric.WithUnit("{batch}")); err != nil {
		return nil, err
	}
	if em.found, err = m.Int64Counter("liaison.records.already_delivered", metric.WithDescription(
		"Records the destination already had when the relayer came to send them (an earlier attempt whose outcome was not stored, "+
			"or another attestor): confirmed without sending again."), metric.WithUnit("{record}")); err != nil {
		return nil, err
	}
	progress, err := m.Float64ObservableGauge("liaison.route.last_progress_timestamp", metric.WithDescription(
		"When a record of the route last moved towards its destination (verified, submitted, confirmed), as a Unix time; "+
			"the engine's start until one does."), metric.WithUnit("s"))
	if err != nil {
		return nil, err
	}
	backlog, err := m.Int64ObservableGauge("liaison.route.backlog", metric.WithDescription("Records observed and not yet confirmed, skipped or dead."), metric.WithUnit("{record}"))
	if err != nil {
		return nil, err
	}
	deadNow, err := m.Int64ObservableGauge("liaison.route.dead", metric.WithDescription("Dead records waiting for an operator."), metric.WithUnit("{record}"))
	if err != nil {
		return nil, err
	}
	oldest, err := m.Float64ObservableGauge("liaison.route.oldest_pending_age", metric.WithDescription("Age of the oldest pending record."), metric.WithUnit("s"))
	if err != nil {
		return nil, err
	}
	lag, err := m.Int64ObservableGauge("liaison.source.head_lag", metric.WithDescription("Final source blocks not yet read by the route."), metric.WithUnit("{block}"))
	if err != nil {
		return nil, err
	}
	halted, err := m.Int64ObservableGauge("liaison.route.halted", metric.WithDescription("1 when the route stopped reading its source on a permanent error (see the log), else 0."))
	if err != nil {
		return nil, err
	}
	head, err := m.Int64ObservableGauge("liaison.source.head", metric.WithDescription("Final source height at the last poll."), metric.WithUnit("{block}"))
	if err != nil {
		return nil, err
	}
	_, err = m.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		for _, r := range e.routes {
			h, reached := r.head.Load(), r.reached.Load()
			o.ObserveInt64(head, int64(h), metric.WithAttributeSet(r.attrs))
			var stopped int64
			if r.halted.Load() {
				stopped = 1
			}
			o.ObserveInt64(halted, stopped, metric.WithAttributeSet(r.attrs))
			o.ObserveFloat64(progress, float64(r.progressAt.Load())/1e9, metric.WithAttributeSet(r.attrs))
			if h >= reached {
				o.ObserveInt64(lag, int64(h-reached), metric.WithAttributeSet(r.attrs))
			}
		}
		stats, err := e.store.Stats(ctx)
		if err != nil {
			return err
		}
		now := e.now()
		for _, s := range stats {
			set := metric.WithAttributeSet(attribute.NewSet(attribute.String("route", s.Route)))
			o.ObserveInt64(backlog, int64(s.Pending), set)
			o.ObserveInt64(deadNow, int64(s.Dead), set)
			age := 0.0
			if !s.OldestPending.IsZero() {
				age = now.Sub(s.OldestPending).Seconds()
			}
			o.ObserveFloat64(oldest, age, set)
		}
		return nil
	}, backlog, deadNow, oldest, lag, head, halted, progress)
	if err != nil {
		return nil, err
	}
	// Every route's counters exist from the start, at zero: a rate or an
	// alert over them then sees "none yet" rather than no series at all.
	ctx := context.Background()
	for _, r := range e.routes {
		set := metric.WithAttributeSet(r.attrs)
		for _, c := range []metric.Int64Counter{em.observed, em.delivered, em.failures, em.dead, em.found, em.splits} {
			c.Add(ctx, 0, set)
		}
	}
	return &em, nil
}

func (m *engineMetrics) stage(ctx context.Context, r *routeRunner, s Stage, d time.Duration) {
	m.stageDur.Record(ctx, d.Seconds(), metric.WithAttributeSet(attribute.NewSet(attribute.String("route", r.route.Name), attribute.String("stage", string(s)))))
}
