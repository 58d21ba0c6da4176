//go:build !nodemo

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestDemo runs the main job end to end on in-process chains: records
// published on A are delivered on B by the real relayer, one transaction
// per record and in batches, unordered and ordered, and the offline
// re-check of one bundle passes while a forged copy is rejected.
func TestDemo(t *testing.T) {
	for _, o := range []demoOptions{
		{records: 6},
		{records: 24, batch: 10},
		{records: 24, batch: 10, ordered: true},
	} {
		t.Run(fmt.Sprintf("batch%d-ordered-%v", o.batch, o.ordered), func(t *testing.T) {
			// Unix socket paths are limited to about 100 bytes.
			dir, err := os.MkdirTemp("", "demo")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			o.blockTime, o.timeout, o.dir = 50*time.Millisecond, 90*time.Second, dir
			var out bytes.Buffer
			if err := runDemo(context.Background(), &out, o); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			text := out.String()
			for _, want := range []string{fmt.Sprintf("Delivered %d/%d records exactly once", o.records, o.records), "is rejected:", "evidence rejected:"} {
				if !strings.Contains(text, want) {
					t.Errorf("demo output lacks %q:\n%s", want, text)
				}
			}
			txs := map[string]bool{}
			for _, line := range strings.Split(text, "\n") {
				if _, tx, ok := strings.Cut(line, "→ dest tx "); ok {
					txs[tx] = true
				}
			}
			if o.batch > 1 && len(txs) >= o.records || o.batch <= 1 && len(txs) != o.records {
				t.Errorf("%d records went in %d destination transactions (batch %d)", o.records, len(txs), o.batch)
			}
		})
	}
}
