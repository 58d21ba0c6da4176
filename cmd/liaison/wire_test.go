package main

import (
	"context"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

func TestTrustExpiryGauge(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	te, err := newTrustExpiry(mp.Meter("test"))
	if err != nil {
		t.Fatal(err)
	}
	te.set("finance", time.Now().Add(time.Hour))
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			g, ok := m.Data.(metricdata.Gauge[float64])
			if m.Name != "liaison.trust.expires_in" || !ok || len(g.DataPoints) != 1 {
				continue
			}
			dp := g.DataPoints[0]
			chain, _ := dp.Attributes.Value("chain")
			if chain.AsString() != "finance" || dp.Value < 3500 || dp.Value > 3600 {
				t.Fatalf("data point %+v", dp)
			}
			return
		}
	}
	t.Fatalf("no liaison.trust.expires_in gauge in %+v", rm)
}
