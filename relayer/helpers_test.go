package relayer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestFailover(t *testing.T) {
	var f Failover
	ctx := context.Background()
	down := map[int]bool{0: true}
	var calls []int
	call := func(_ context.Context, i int) error {
		calls = append(calls, i)
		if down[i] {
			return fmt.Errorf("%w: endpoint %d refused", ErrUnavailable, i)
		}
		return nil
	}

	// The first endpoint is down: the call moves on and remembers 1.
	if err := f.Do(ctx, 3, "endpoints", call); err != nil || f.Preferred(3) != 1 || fmt.Sprint(calls) != "[0 1]" {
		t.Fatalf("err %v, preferred %d, calls %v", err, f.Preferred(3), calls)
	}
	// The next call starts there.
	calls = nil
	if err := f.Do(ctx, 3, "endpoints", call); err != nil || fmt.Sprint(calls) != "[1]" {
		t.Fatalf("err %v, calls %v", err, calls)
	}
	// Any other error stops at once: the call may have taken effect.
	calls = nil
	refused := errors.New("execution reverted")
	err := f.Do(ctx, 3, "endpoints", func(ctx context.Context, i int) error { calls = append(calls, i); return refused })
	if !errors.Is(err, refused) || len(calls) != 1 {
		t.Fatalf("err %v after calls %v", err, calls)
	}
	// All down: the last error, with how many failed.
	down = map[int]bool{0: true, 1: true, 2: true}
	calls = nil
	err = f.Do(ctx, 3, "peers", call)
	if !errors.Is(err, ErrUnavailable) || !strings.HasPrefix(err.Error(), "all 3 peers failed, the last with: ") || len(calls) != 3 {
		t.Fatalf("err %v after calls %v", err, calls)
	}
	// One endpoint: its error as it is.
	var one Failover
	err = one.Do(ctx, 1, "nodes", call)
	if !errors.Is(err, ErrUnavailable) || strings.HasPrefix(err.Error(), "all ") {
		t.Fatalf("one endpoint: %v", err)
	}
	// A cancelled context stops the walk.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	calls = nil
	if err := f.Do(cctx, 3, "endpoints", call); err == nil || len(calls) != 1 {
		t.Fatalf("cancelled: err %v after calls %v", err, calls)
	}
}

func TestDecodeStrict(t *testing.T) {
	var v struct{ A int }
	if err := DecodeStrict([]byte(`{"A":1}`), &v); err != nil || v.A != 1 {
		t.Fatalf("plain: %v %+v", err, v)
	}
	for _, bad := range []string{`{"A":1,"B":2}`, `{"A":1} {}`, `{"A":1}}`, `{"A":`, ``} {
		if err := DecodeStrict([]byte(bad), &v); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
