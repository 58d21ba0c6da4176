package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/config"

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

// TestTrustModelsPinned: the trust models config accepts in a route's
// proof.accept are exactly those the adapters' verifiers know, and every
// ledger kind of config has one entry in ledgerKinds.
func TestTrustModelsPinned(t *testing.T) {
	var fromAdapters []string
	for _, k := range ledgerKinds {
		v := k.verifier()
		if v.Ledger() != k.ledger {
			t.Errorf("kind %s: the verifier checks %s evidence, the table says %s", k.config, v.Ledger(), k.ledger)
		}
		for _, m := range v.TrustModels() {
			if m.Name == "" || m.Scheme == "" || m.Checked == "" {
				t.Errorf("kind %s: trust model %+v is not fully described", k.config, m)
			}
			fromAdapters = append(fromAdapters, m.Name)
		}
	}
	slices.Sort(fromAdapters)
	fromConfig := slices.Sorted(slices.Values(config.TrustModels))
	if !slices.Equal(fromAdapters, fromConfig) {
		t.Fatalf("config.TrustModels = %v, the adapters know %v", fromConfig, fromAdapters)
	}
	for _, want := range config.Kinds {
		if !slices.ContainsFunc(ledgerKinds, func(k kind) bool { return k.config == want }) {
			t.Errorf("config kind %s has no adapter in ledgerKinds", want)
		}
	}
}
