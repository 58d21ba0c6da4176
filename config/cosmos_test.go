package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cosmosYAML is a valid config with routes both ways between a Cosmos chain
// and an EVM chain; %DIR% is replaced by a directory holding the key file.
const cosmosYAML = `
chains:
  - name: finance
    kind: cosmos
    cosmos:
      nodes:
        - {rpc: "http://127.0.0.1:26657", grpc: "127.0.0.1:26659"}
        - {rpc: "https://rpc.example.org", grpc: "grpc.example.org:443", grpc_tls: true}
      chain_id: liaison-finance-1
      trust:
        height: 120
        hash: "D2F0E1C5A5B6C7D8E9F00112233445566778899AABBCCDDEEFF0011223344556"
        trusting_period: 336h
      account: {key: {file: cosmos.key}, gas_price: 0.025stake}
      gateway: {client_id: 06-solomachine-0}
  - name: procurement
    kind: evm
    evm:
      rpc: [ws://127.0.0.1:8546]
      chain_id: 1338
      outbox: "0x5FbDB2315678afecb367f032d93F642f64180aa3"
      inbox: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
      trust: {mode: finality}
      signer: {key: {env: PROCUREMENT_KEY}}
routes:
  - name: out
    source: {chain: finance}
    destination: {chain: procurement}
    proof: {accept: [tendermint]}
  - name: in
    source: {chain: procurement}
    destination: {chain: finance}
`

func cosmosDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cosmos.key"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCosmosConfig(t *testing.T) {
	dir := cosmosDir(t)
	c, err := Parse(strings.NewReader(cosmosYAML), dir)
	if err != nil {
		t.Fatal(err)
	}
	cc := c.Chains[0].Cosmos
	switch {
	case cc.Account.Key.File != filepath.Join(dir, "cosmos.key"):
		t.Errorf("key file %q is not resolved against the config", cc.Account.Key.File)
	case len(cc.Gateway.AttestorKeys) != 1 || cc.Gateway.AttestorKeys[0] != cc.Account.Key:
		t.Errorf("attestor keys default to %v, want the account key", cc.Gateway.AttestorKeys)
	case cc.Trust.TrustLevel != "1/3" || cc.Trust.MaxClockDrift != DefaultCosmosClockDrift || cc.Trust.ExpiryWarning != 112*time.Hour:
		t.Errorf("trust defaults %+v", cc.Trust)
	case cc.Gateway.CounterpartyClientID != DefaultCosmosCounterparty || cc.Gateway.PacketTimeout != DefaultCosmosPacketTimeout ||
		cc.StartSequence != 1 || cc.Timeout != DefaultCosmosTimeout || cc.Account.AddressPrefix != "cosmos":
		t.Errorf("defaults %+v", cc)
	}
}

func TestCosmosValidation(t *testing.T) {
	dir := cosmosDir(t)
	cases := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{"no nodes", func(s string) string {
			s = strings.Replace(s, `        - {rpc: "http://127.0.0.1:26657", grpc: "127.0.0.1:26659"}`+"\n", "", 1)
			return strings.Replace(s, `        - {rpc: "https://rpc.example.org", grpc: "grpc.example.org:443", grpc_tls: true}`+"\n", "", 1)
		}, []string{"chains[0].cosmos.nodes: at least one node is required"}},
		{"bad node", func(s string) string {
			return strings.Replace(s, `{rpc: "http://127.0.0.1:26657", grpc: "127.0.0.1:26659"}`, `{rpc: "tcp://127.0.0.1:26657", grpc: "127.0.0.1"}`, 1)
		}, []string{`chains[0].cosmos.nodes[0].rpc: "tcp://127.0.0.1:26657": want an http or https URL`, `chains[0].cosmos.nodes[0].grpc: "127.0.0.1": want host:port`}},
		{"trust", func(s string) string {
			s = strings.Replace(s, "height: 120", "height: 0", 1)
			s = strings.Replace(s, `hash: "D2F0`, `hash: "XYZ`, 1)
			return strings.Replace(s, "trusting_period: 336h", "trusting_period: 0s\n        trust_level: 1/4", 1)
		}, []string{"chains[0].cosmos.trust.height: is required", `chains[0].cosmos.trust.hash: "XYZ`,
			"chains[0].cosmos.trust.trusting_period: is required", `chains[0].cosmos.trust.trust_level: "1/4": must be at least 1/3`}},
		{"gateway", func(s string) string {
			return strings.Replace(s, "gateway: {client_id: 06-solomachine-0}",
				"gateway: {client_id: 07-tendermint-0, counterparty_client_id: gateway, packet_timeout: 48h}", 1)
		}, []string{`chains[0].cosmos.gateway.client_id: "07-tendermint-0" is not a 06-solomachine client id`,
			`chains[0].cosmos.gateway.counterparty_client_id: "gateway": an IBC client id`,
			"chains[0].cosmos.gateway.packet_timeout: 48h0m0s: must be positive and at most 24h"}},
		{"multisig", func(s string) string {
			return strings.Replace(s, "gateway: {client_id: 06-solomachine-0}",
				"gateway: {client_id: 06-solomachine-0, multisig: {threshold: 3, public_keys: [\"02aa\", \"A0KjF/TNnSMpBkpZpTnjIlHUMzlcT3ZLeYf0ah27dzb3\"]}}", 1)
		}, []string{`chains[0].cosmos.gateway.multisig.public_keys[0]: "02aa" is not a compressed secp256k1 public key`,
			"chains[0].cosmos.gateway.multisig.threshold: 3: must be from 1 to the number of public keys (2)"}},
		{"multisig the relayer cannot sign alone", func(s string) string {
			return strings.Replace(s, "gateway: {client_id: 06-solomachine-0}",
				"gateway: {client_id: 06-solomachine-0, multisig: {threshold: 2, public_keys: [\"A0KjF/TNnSMpBkpZpTnjIlHUMzlcT3ZLeYf0ah27dzb3\", \"A0KjF/TNnSMpBkpZpTnjIlHUMzlcT3ZLeYf0ah27dzb3\"]}}", 1)
		}, []string{"chains[0].cosmos.gateway.multisig.threshold: 2 signatures a proof, but this relayer holds 1 of the keys (attestor_keys); " +
			"collecting signatures from other departments' relayers is not supported yet"}},
		{"gas price", func(s string) string {
			return strings.Replace(s, "gas_price: 0.025stake", "gas_price: stake, gas_adjustment: 0.5", 1)
		}, []string{`chains[0].cosmos.account.gas_price: "stake": want an amount and a denomination`, "chains[0].cosmos.account.gas_adjustment: 0.5: must be at least 1"}},
		{"destination without account or client", func(s string) string {
			s = strings.Replace(s, "account: {key: {file: cosmos.key}, gas_price: 0.025stake}", "account: {gas_price: 0.025stake}", 1)
			return strings.Replace(s, "gateway: {client_id: 06-solomachine-0}", "gateway: {}", 1)
		}, []string{`routes[1].destination.chain: chain "finance" has no account: set chains[0].cosmos.account.key`,
			`routes[1].destination.chain: chain "finance" has no gateway client: run ` + "`liaison cosmos setup-client`"}},
		{"cosmos section on an evm chain", func(s string) string {
			return strings.Replace(s, "    kind: evm\n", "    kind: evm\n    cosmos: {chain_id: x}\n", 1)
		}, []string{`chains[1].cosmos: is set but the chain's kind is "evm"`}},
		{"unknown trust model", func(s string) string {
			return strings.Replace(s, "accept: [tendermint]", "accept: [tendermint-lite]", 1)
		}, []string{`routes[0].proof.accept[0]: unknown trust model "tendermint-lite"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.edit(cosmosYAML)), dir)
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %v, want Problems", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("missing %q in:\n%v", w, err)
				}
			}
		})
	}
}

// TestLoadForCosmosSetup accepts a Cosmos destination without its gateway
// client, which setup-client creates, and still reports other problems.
func TestLoadForCosmosSetup(t *testing.T) {
	dir := cosmosDir(t)
	path := filepath.Join(dir, "liaison.yaml")
	y := strings.Replace(cosmosYAML, "gateway: {client_id: 06-solomachine-0}", "gateway: {}", 1)
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "setup-client") {
		t.Fatalf("Load: %v", err)
	}
	c, err := LoadForCosmosSetup(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Chains[0].Cosmos.Gateway.ClientID != "" {
		t.Fatalf("client id %q leaked", c.Chains[0].Cosmos.Gateway.ClientID)
	}
	bad := strings.Replace(y, "chain_id: liaison-finance-1", "chain_id: \"\"", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadForCosmosSetup(path); err == nil || !strings.Contains(err.Error(), "chain_id: is required") {
		t.Fatalf("other problems: %v", err)
	}
}

func TestParseTrustLevelAndGasPrice(t *testing.T) {
	for s, ok := range map[string]bool{"1/3": true, "2/3": true, "1/1": true, " 1 / 2 ": true, "1/4": false, "4/3": false, "1/0": false, "x": false, "": false} {
		if _, _, err := ParseTrustLevel(s); (err == nil) != ok {
			t.Errorf("ParseTrustLevel(%q): %v", s, err)
		}
	}
	r, denom, err := ParseGasPrice("0.025uatom")
	if err != nil || denom != "uatom" || r.FloatString(3) != "0.025" {
		t.Errorf("ParseGasPrice: %v %s %v", r, denom, err)
	}
	for _, bad := range []string{"uatom", "1", "-1stake", "1.2.3stake", "1st"} {
		if _, _, err := ParseGasPrice(bad); err == nil {
			t.Errorf("ParseGasPrice(%q) accepted", bad)
		}
	}
}
