package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fabricYAML is a valid two-chain config with a Fabric source; %DIR% is
// replaced by a directory that holds the files it names.
const fabricYAML = `
chains:
  - name: registry
    kind: fabric
    fabric:
      peers:
        - {address: "127.0.0.1:7051", tls_ca: peer-ca.pem, server_name: peer0.org1.example.com}
        - {address: "peer0.org2.example.com:9051", tls_ca: peer-ca.pem}
      msp_id: Org1MSP
      identity:
        cert: user.pem
        key: {file: user.key}
      channel: records
      trust:
        config_block: records.block
        endorsement_policy: "AND('Org1MSP.peer','Org2MSP.peer')"
      start_block: 3
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
  - name: licences
    source: {chain: registry}
    destination: {chain: procurement}
    proof: {accept: [fabric-orderer+endorsement]}
`

// fabricDir writes the files fabricYAML names into a temp dir.
func fabricDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, mode := range map[string]os.FileMode{"peer-ca.pem": 0o644, "user.pem": 0o644, "user.key": 0o600, "records.block": 0o644} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFabricConfig(t *testing.T) {
	dir := fabricDir(t)
	c, err := Parse(strings.NewReader(fabricYAML), dir)
	if err != nil {
		t.Fatal(err)
	}
	f := c.Chains[0].Fabric
	if f.Chaincode != DefaultFabricChaincode || f.Timeouts.Endorse != DefaultFabricEndorse || f.Timeouts.Lost != DefaultFabricLostAfter {
		t.Errorf("defaults not applied: chaincode %q, endorse %s, lost %s", f.Chaincode, f.Timeouts.Endorse, f.Timeouts.Lost)
	}
	if f.Trust.ConfigBlock != filepath.Join(dir, "records.block") || f.Identity.Key.File != filepath.Join(dir, "user.key") ||
		f.Peers[1].TLSCA != filepath.Join(dir, "peer-ca.pem") {
		t.Errorf("paths not resolved against the config's directory: %+v", f)
	}
	if f.StartBlock != 3 || f.Peers[0].ServerName != "peer0.org1.example.com" {
		t.Errorf("fields not read: %+v", f)
	}
	var manual Fabric
	manual.ApplyDefaults()
	if manual.Trust.EndorsementPolicy != "majority" || manual.Timeouts.Commit != 5*time.Second {
		t.Errorf("ApplyDefaults: %+v", manual)
	}
}

func TestFabricValidationMessages(t *testing.T) {
	cases := []struct {
		name string
		edit func(s string) string
		// files changes the written files before parsing.
		files func(dir string)
		want  []string
	}{
		{name: "no peers", edit: func(s string) string {
			s = strings.Replace(s, `        - {address: "127.0.0.1:7051", tls_ca: peer-ca.pem, server_name: peer0.org1.example.com}`+"\n", "", 1)
			return strings.Replace(s, `        - {address: "peer0.org2.example.com:9051", tls_ca: peer-ca.pem}`+"\n", "", 1)
		}, want: []string{"chains[0].fabric.peers: at least one gateway peer is required"}},
		{name: "bad peer address and missing CA", edit: func(s string) string {
			return strings.Replace(s, `{address: "peer0.org2.example.com:9051", tls_ca: peer-ca.pem}`, `{address: "peer0.org2.example.com"}`, 1)
		}, want: []string{
			`chains[0].fabric.peers[1].address: "peer0.org2.example.com": want host:port`,
			"chains[0].fabric.peers[1].tls_ca: is required",
		}},
		{name: "port out of range", edit: func(s string) string {
			return strings.Replace(s, "127.0.0.1:7051", "127.0.0.1:70510", 1)
		}, want: []string{`chains[0].fabric.peers[0].address: "127.0.0.1:70510": the port is not a number from 1 to 65535`}},
		{name: "missing msp, cert, channel, config block", edit: func(s string) string {
			s = strings.Replace(s, "      msp_id: Org1MSP\n", "", 1)
			s = strings.Replace(s, "        cert: user.pem\n", "", 1)
			s = strings.Replace(s, "      channel: records\n", "", 1)
			return strings.Replace(s, "        config_block: records.block\n", "", 1)
		}, want: []string{
			"chains[0].fabric.msp_id: is required",
			"chains[0].fabric.identity.cert: is required",
			"chains[0].fabric.channel: is required",
			"chains[0].fabric.trust.config_block: is required",
		}},
		{name: "world-readable key", files: func(dir string) { os.Chmod(filepath.Join(dir, "user.key"), 0o644) },
			want: []string{"chains[0].fabric.identity.key: key file", "is readable by group or others (mode 0644): run chmod 600"}},
		{name: "no key", edit: func(s string) string { return strings.Replace(s, "        key: {file: user.key}\n", "", 1) },
			want: []string{"chains[0].fabric.identity.key: is required"}},
		{name: "missing files", files: func(dir string) {
			os.Remove(filepath.Join(dir, "records.block"))
			os.Remove(filepath.Join(dir, "peer-ca.pem"))
		}, want: []string{"chains[0].fabric.trust.config_block: open ", "chains[0].fabric.peers[0].tls_ca: open ", "chains[0].fabric.peers[1].tls_ca: open "}},
		{name: "bad names", edit: func(s string) string {
			s = strings.Replace(s, "channel: records", "channel: Records_1", 1)
			return strings.Replace(s, "      start_block: 3", "      start_block: 3\n      chaincode: -records", 1)
		}, want: []string{
			`chains[0].fabric.channel: "Records_1": a channel name is lower-case letters`,
			`chains[0].fabric.chaincode: "-records": a chaincode name is letters and digits`,
		}},
		{name: "bad policy", edit: func(s string) string {
			return strings.Replace(s, `"AND('Org1MSP.peer','Org2MSP.peer')"`, "most", 1)
		}, want: []string{`chains[0].fabric.trust.endorsement_policy: "most": use majority, any, all or a signature policy`}},
		{name: "negative timeout", edit: func(s string) string {
			return strings.Replace(s, "      start_block: 3", "      start_block: 3\n      timeouts: {endorse: -1s}", 1)
		}, want: []string{"chains[0].fabric.timeouts.endorse: must not be negative"}},
		{name: "unknown field", edit: func(s string) string {
			return strings.Replace(s, "      msp_id: Org1MSP", "      msp_id: Org1MSP\n      mspid: Org1MSP", 1)
		}, want: []string{"field mspid not found"}},
		{name: "fabric section on an evm chain", edit: func(s string) string {
			return strings.Replace(s, "      signer: {key: {env: PROCUREMENT_KEY}}", "      signer: {key: {env: PROCUREMENT_KEY}}\n    fabric: {channel: x}", 1)
		}, want: []string{`chains[1].fabric: is set but the chain's kind is "evm"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := fabricDir(t)
			if tc.files != nil {
				tc.files(dir)
			}
			y := fabricYAML
			if tc.edit != nil {
				y = tc.edit(y)
			}
			_, err := Parse(strings.NewReader(y), dir)
			if err == nil {
				t.Fatal("invalid config accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			var ps Problems
			if errors.As(err, &ps) && len(ps) != len(tc.want) && !strings.Contains(tc.name, "readable") {
				t.Errorf("want %d problems, got %d:\n%v", len(tc.want), len(ps), err)
			}
		})
	}
}
