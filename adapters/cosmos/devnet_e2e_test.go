//go:build e2e

package cosmos

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// devnet is a running e2e/cosmos devnet, as its devnet.env describes it.
type devnet struct {
	dir, home, bin       string
	chainID, chainName   string
	rpc, node, grpc      string
	keyFile, address     string
	clientID             string // the gateway client the tests share
	counterparty         string
	mu                   sync.Mutex // serializes CLI transactions of the relayer account
	setupErr             error
	setupOnce, clientOne sync.Once
}

var (
	shared     *devnet
	stopDevnet = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopDevnet()
	os.Exit(code)
}

// testDevnet returns the devnet the tests share: the one in
// $LIAISON_COSMOS_DIR when set (left running), else a new one brought up
// with e2e/cosmos/devnet.sh on free ports and stopped when the tests end.
// Its gateway client is created once, with this package's SetupClient.
func testDevnet(t *testing.T) *devnet {
	t.Helper()
	if shared == nil {
		shared = &devnet{}
	}
	d := shared
	d.setupOnce.Do(func() { d.setupErr = d.up() })
	if d.setupErr != nil {
		t.Fatal(d.setupErr)
	}
	d.clientOne.Do(func() {
		c, err := NewChain(context.Background(), relayer.ChainID(d.chainName), d.config(t, ""), Options{})
		if err != nil {
			d.setupErr = err
			return
		}
		defer c.Close()
		res, err := c.SetupClient(context.Background())
		if err != nil {
			d.setupErr = err
			return
		}
		d.clientID = res.ClientID
	})
	if d.setupErr != nil {
		t.Fatal(d.setupErr)
	}
	return d
}

func (d *devnet) up() error {
	script := filepath.Join("..", "..", "e2e", "cosmos", "devnet.sh")
	d.dir = os.Getenv("LIAISON_COSMOS_DIR")
	if d.dir == "" {
		tmp, err := os.MkdirTemp("", "liaison-cosmos-adapter-")
		if err != nil {
			return err
		}
		d.dir = filepath.Join(tmp, "net")
		cmd := exec.Command(script, "up", d.dir)
		cmd.Env = append(os.Environ(), "COSMOS_BASE_PORT="+strconv.Itoa(freeBase()))
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("devnet.sh up: %v\n%s", err, out)
		}
		stopDevnet = func() {
			exec.Command(script, "down", d.dir).Run()
			os.RemoveAll(tmp)
		}
	}
	f, err := os.Open(filepath.Join(d.dir, "devnet.env"))
	if err != nil {
		return err
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			env[k] = v
		}
	}
	d.home, d.bin, d.chainID, d.chainName = env["COSMOS_HOME"], env["COSMOS_BIN"], env["COSMOS_CHAIN_ID"], env["COSMOS_CHAIN_NAME"]
	d.rpc, d.node, d.grpc = env["COSMOS_RPC"], env["COSMOS_NODE"], env["COSMOS_GRPC"]
	d.keyFile, d.address = env["COSMOS_RELAYER_KEY_FILE"], env["COSMOS_RELAYER_ADDRESS"]
	d.counterparty = config.DefaultCosmosCounterparty
	if d.rpc == "" || d.grpc == "" {
		return errors.New("devnet.env lacks COSMOS_RPC or COSMOS_GRPC")
	}
	return nil
}

// freeBase returns a base port whose 4 ports are free now.
func freeBase() int {
	start := 31000 + int(time.Now().UnixNano()/1000%200)*10
	for base := start; base < 60000; base += 10 {
		ok := true
		for p := base; p < base+4 && ok; p++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				ok = false
				continue
			}
			l.Close()
		}
		if ok {
			return base
		}
	}
	return 26657
}

// commit returns the height and hash of a committed block (0: latest)
// from the RPC, as an operator would read them to configure trust.
func (d *devnet) commit(t testing.TB, height uint64) (uint64, string) {
	t.Helper()
	url := d.rpc + "/commit"
	if height > 0 {
		url += "?height=" + strconv.FormatUint(height, 10)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Result struct {
			SignedHeader struct {
				Header struct {
					Height string `json:"height"`
				} `json:"header"`
				Commit struct {
					BlockID struct {
						Hash string `json:"hash"`
					} `json:"block_id"`
				} `json:"commit"`
			} `json:"signed_header"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	h, err := strconv.ParseUint(out.Result.SignedHeader.Header.Height, 10, 64)
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	return h, out.Result.SignedHeader.Commit.BlockID.Hash
}

// config returns the chain's configuration with trust at the latest
// block and the given gateway client.
func (d *devnet) config(t testing.TB, clientID string) config.Cosmos {
	t.Helper()
	h, hash := d.commit(t, 0)
	c := config.Cosmos{
		Nodes:   []config.CosmosNode{{RPC: d.rpc, GRPC: d.grpc}},
		ChainID: d.chainID,
		Trust:   config.CosmosTrust{Height: h, Hash: hash, TrustingPeriod: 24 * time.Hour},
		Account: config.CosmosAccount{Key: config.Secret{File: d.keyFile}},
		Gateway: config.CosmosGateway{ClientID: clientID, CounterpartyClientID: d.counterparty},
	}
	c.ApplyDefaults()
	return c
}

// chain connects to the devnet with its gateway client.
func (d *devnet) chain(t testing.TB, opts Options) *Chain {
	t.Helper()
	c, err := NewChain(context.Background(), relayer.ChainID(d.chainName), d.config(t, d.clientID), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// publish publishes a record with the chain's CLI over the gateway client
// and returns its ID and height.
func (d *devnet) publish(t testing.TB, destination, receiver, contentType, payload string) (relayer.RecordID, uint64) {
	t.Helper()
	id, h, _ := d.publishSeq(t, destination, receiver, contentType, payload)
	return id, h
}

// publishSeq is publish that also returns the record's sequence.
func (d *devnet) publishSeq(t testing.TB, destination, receiver, contentType, payload string) (relayer.RecordID, uint64, uint64) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.cli(t, "tx", "records", "publish", d.clientID, destination, receiver, contentType, payload,
		"--timeout-seconds", "3600", "--from", "relayer", "--keyring-backend", "test", "--home", d.home,
		"--chain-id", d.chainID, "--node", d.node, "--broadcast-mode", "sync", "--yes", "--output", "json")
	var res struct {
		Code   int    `json:"code"`
		TxHash string `json:"txhash"`
		RawLog string `json:"raw_log"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Code != 0 {
		t.Fatalf("publish: %v %s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command(d.bin, "query", "tx", res.TxHash, "--node", d.node, "--output", "json").Output()
		if err == nil {
			var tx struct {
				Code   int    `json:"code"`
				Height string `json:"height"`
				RawLog string `json:"raw_log"`
				Events []struct {
					Type       string `json:"type"`
					Attributes []struct{ Key, Value string }
				} `json:"events"`
			}
			if err := json.Unmarshal(out, &tx); err != nil || tx.Code != 0 {
				t.Fatalf("publish tx: %v %s", err, out)
			}
			for _, e := range tx.Events {
				if e.Type != "liaison.record_published" {
					continue
				}
				var id relayer.RecordID
				var seq uint64
				for _, a := range e.Attributes {
					switch a.Key {
					case "id":
						if id, err = relayer.ParseRecordID(a.Value); err != nil {
							t.Fatal(err)
						}
					case "sequence":
						seq, _ = strconv.ParseUint(a.Value, 10, 64)
					}
				}
				h, _ := strconv.ParseUint(tx.Height, 10, 64)
				return id, h, seq
			}
			t.Fatalf("publish tx %s has no record_published event", res.TxHash)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("publish tx %s not in a block", res.TxHash)
	return relayer.RecordID{}, 0, 0
}

func (d *devnet) cli(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(d.bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", d.bin, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// waitHeight waits until the chain is above h.
func (d *devnet) waitHeight(t testing.TB, c *Chain, h uint64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		_, latest, err := c.eps[0].status(context.Background())
		if err == nil && latest > h {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("chain not above height %d", h)
}

// record reads the record with sequence seq through the Source.
func (d *devnet) record(t testing.TB, c *Chain, seq uint64) relayer.Record {
	t.Helper()
	src := &source{c: c, start: seq}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, err := src.Poll(context.Background(), "", 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Records) == 1 {
			return b.Records[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("record %d not readable", seq)
	return relayer.Record{}
}

// latestAt makes a node report latest as its latest height, so that the
// prover proves against the header at exactly that height.
type latestAt struct {
	stateReader
	latest uint64
}

func (l latestAt) latestHeight(context.Context) (uint64, error) { return l.latest, nil }

// writeTestdata proves records published on the devnet and writes the
// bundles to testdata/: one that skips from the anchor to the header above
// the proof, and one whose anchor is that header itself.
func writeTestdata(t *testing.T) {
	d := testDevnet(t)
	ctx := context.Background()
	c := d.chain(t, Options{})
	anchor, err := c.Prover().(*prover).Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, h, seq := d.publishSeq(t, "registry", "licences", "application/json", `{"licence":42,"holder":"ACME <&> Ltd"}`)
	rec := d.record(t, c, seq)
	d.waitHeight(t, c, h+2)
	ev, err := c.Prover().Prove(ctx, &rec, anchor)
	if err != nil {
		t.Fatal(err)
	}
	writeBundle(t, "evidence_skip.json", ev)

	_, h, seq = d.publishSeq(t, "procurement", "tenders", "text/plain", "tender 7: open")
	rec = d.record(t, c, seq)
	d.waitHeight(t, c, h+1)
	hh, hash := d.commit(t, h+1)
	cfg := d.config(t, d.clientID)
	cfg.Trust.Height, cfg.Trust.Hash = hh, hash
	c2, err := NewChain(ctx, relayer.ChainID(d.chainName), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	own, err := c2.Prover().(*prover).Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c2.eps[0].state = latestAt{c2.eps[0].state, h + 1}
	ev, err = c2.Prover().Prove(ctx, &rec, own)
	if err != nil {
		t.Fatal(err)
	}
	writeBundle(t, "evidence_anchor.json", ev)
}

func writeBundle(t *testing.T, name string, ev *relayer.Evidence) {
	t.Helper()
	raw, err := relayer.EncodeEvidence(ev)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", name), append(raw, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
