//go:build !nodemo

package main

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/config"
)

// BenchmarkDemoRelay measures records per second from A to B in the demo
// setting: two in-process chains reached over IPC, 20 ms blocks, one
// confirmation on each side, one attestor, the real engine, store and
// verification. The clock runs from the first publish to the last
// confirmation. Run with a fixed count:
//
//	go test -run '^$' -bench DemoRelay -benchtime 1000x ./cmd/liaison/
func BenchmarkDemoRelay(b *testing.B) {
	ctx := context.Background()
	d := &demoRun{o: demoOptions{records: b.N, blockTime: 20 * time.Millisecond, quiet: true, dir: b.TempDir()}, out: io.Discard}
	if err := d.setup(ctx); err != nil {
		b.Fatal(err)
	}
	defer d.a.Close()
	defer d.b.Close()
	cfg, err := config.Load(d.cfgPath)
	if err != nil {
		b.Fatal(err)
	}
	p, err := openRelayer(ctx, cfg, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	defer p.close()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.run(runCtx) }()
	b.ResetTimer()
	start := time.Now()
	recs, err := d.publish(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if err := d.follow(ctx, p.store, recs); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	stop()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(d.latencies[len(d.latencies)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(d.latencies[len(d.latencies)*99/100].Milliseconds()), "p99-ms")
}
