package contracts_test

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/params"
)

// TestGas logs the gas that publish and attest use, under the simulated
// backend's default rules (every dev fork, including the Bogota state-gas
// repricing, which makes a new storage slot several times dearer) and under
// Osaka rules, which are closer to what GoQuorum and Besu networks charge.
// It fails only when a figure passes a generous bound, to catch a blow-up.
func TestGas(t *testing.T) {
	osaka := *params.AllDevChainProtocolChanges
	osaka.BogotaTime = nil
	payload := bytes.Repeat([]byte("x"), 256)

	for _, tc := range []struct {
		name  string
		rules *params.ChainConfig
		limit uint64 // bound for every figure below
	}{
		{"dev-default", nil, 400_000},
		{"osaka", &osaka, 150_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := newOutboxFixtureWithRules(t, tc.rules)
			dst := newInboxFixtureWithRules(t, tc.rules)
			rec := src.testRecord(t, 1, payload)
			rec.Destination = "dept-b"
			data := src.outbox.PackPublish(string(rec.Destination), rec.Receiver, rec.ContentType, rec.Payload)

			type figure struct {
				what string
				gas  uint64
			}
			var figures []figure
			figures = append(figures,
				figure{"publish, first record", src.chain.send(src.deployer, src.bound, data).GasUsed},
				figure{"publish, later record", src.chain.send(src.deployer, src.bound, data).GasUsed})
			for _, step := range []struct {
				what string
				who  account
			}{
				{"attest, counted vote", dst.attestors[0]},
				{"attest, delivering vote", dst.attestors[1]},
				{"attest, replay (no-op)", dst.attestors[2]},
			} {
				_, r := dst.attest(t, step.who, rec)
				figures = append(figures, figure{step.what, r.GasUsed})
			}

			for _, f := range figures {
				t.Logf("%-24s %7d gas (%d-byte payload)", f.what, f.gas, len(payload))
				if f.gas > tc.limit {
					t.Errorf("%s used %d gas, over the %d bound", f.what, f.gas, tc.limit)
				}
			}
		})
	}
}
