//go:build e2e

package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"
)

// fabricNet is a running e2e/fabric network, as DIR/network.json
// describes it.
type fabricNet struct {
	Dir       string `json:"dir"`
	Channel   string `json:"channel"`
	Chaincode string `json:"chaincode"`
	ChainName string `json:"chain_name"`
	Orgs      []struct {
		MSPID string `json:"msp_id"`
		Peer  struct {
			Address string `json:"address"`
			Host    string `json:"host"`
			TLSCA   string `json:"tls_ca"`
		} `json:"peer"`
		Users map[string]struct {
			Cert string `json:"cert"`
			Key  string `json:"key"`
		} `json:"users"`
	} `json:"orgs"`
}

// startFabric brings up a two-org network with network.sh on free ports
// and stops it when the test ends.
func startFabric(t testing.TB, env ...string) *fabricNet {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "fabric")
	cmd := exec.Command(filepath.Join("fabric", "network.sh"), "up", dir)
	cmd.Env = append(append(os.Environ(), "FABRIC_BASE_PORT="+strconv.Itoa(fabricBasePort(t))), env...)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		exec.Command(filepath.Join("fabric", "network.sh"), "down", dir).Run()
		t.Fatalf("network.sh up: %v\n%s", err, out)
	}
	t.Logf("fabric network up in %s", time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() {
		if out, err := exec.Command(filepath.Join("fabric", "network.sh"), "down", dir).CombinedOutput(); err != nil {
			t.Errorf("network.sh down: %v\n%s", err, out)
		}
	})
	raw, err := os.ReadFile(filepath.Join(dir, "network.json"))
	if err != nil {
		t.Fatal(err)
	}
	var n fabricNet
	if err := json.Unmarshal(raw, &n); err != nil {
		t.Fatal(err)
	}
	return &n
}

// fabricClient is a gateway client of one org's user, for the test's own
// transactions and queries.
type fabricClient struct {
	n        *fabricNet
	conn     *grpc.ClientConn
	gw       *client.Gateway
	network  *client.Network
	contract *client.Contract
	qscc     *client.Contract
}

func (n *fabricNet) client(t testing.TB, org int, user string) *fabricClient {
	t.Helper()
	o := n.Orgs[org-1]
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(o.Peer.TLSCA)
	if err != nil || !pool.AppendCertsFromPEM(ca) {
		t.Fatalf("peer TLS CA %s: %v", o.Peer.TLSCA, err)
	}
	conn, err := grpc.NewClient(o.Peer.Address, grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool, ServerName: o.Peer.Host})))
	if err != nil {
		t.Fatal(err)
	}
	certPEM, _ := os.ReadFile(o.Users[user].Cert)
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := identity.NewX509Identity(o.MSPID, cert)
	keyPEM, _ := os.ReadFile(o.Users[user].Key)
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	sign, _ := identity.NewPrivateKeySign(key)
	gw, err := client.Connect(id, client.WithSign(sign), client.WithHash(hash.SHA256), client.WithClientConnection(conn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close(); conn.Close() })
	network := gw.GetNetwork(n.Channel)
	return &fabricClient{n: n, conn: conn, gw: gw, network: network, contract: network.GetContract(n.Chaincode), qscc: network.GetContract("qscc")}
}

// publish publishes count records to dest, one after the other (the
// chaincode takes one publish per block), and returns their IDs and
// transaction IDs.
func (c *fabricClient) publish(t testing.TB, dest string, count int, tag string) (ids, txs []string) {
	t.Helper()
	for i := range count {
		id, tx := c.publishRecord(t, dest, "e2e", "application/json", []byte(`{"record":"`+tag+"-"+strconv.Itoa(i)+`"}`))
		ids, txs = append(ids, id), append(txs, tx)
	}
	return ids, txs
}

// publishBatched publishes count records to dest with PublishRecords, per
// records a transaction, and returns their IDs and transaction IDs in
// order.
func (c *fabricClient) publishBatched(t testing.TB, dest string, count, per int, tag string) (ids, txs []string) {
	t.Helper()
	type input struct {
		Destination string `json:"destination"`
		Receiver    string `json:"receiver"`
		ContentType string `json:"content_type"`
		Payload     string `json:"payload"`
	}
	for first := 0; first < count; first += per {
		var in []input
		for i := first; i < min(first+per, count); i++ {
			in = append(in, input{Destination: dest, Receiver: "e2e", ContentType: "application/json",
				Payload: base64.StdEncoding.EncodeToString([]byte(`{"record":"` + tag + "-" + strconv.Itoa(i) + `"}`))})
		}
		arg, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		res, txID := c.submit(t, "PublishRecords", string(arg))
		var got []string
		if err := json.Unmarshal(res, &got); err != nil || len(got) != len(in) {
			t.Fatalf("PublishRecords returned %q: %v", res, err)
		}
		for range got {
			txs = append(txs, txID)
		}
		ids = append(ids, got...)
	}
	return ids, txs
}

// publishRecord publishes one record, waits until it is committed, and
// returns its ID and transaction ID.
func (c *fabricClient) publishRecord(t testing.TB, dest, receiver, contentType string, payload []byte) (id, txID string) {
	t.Helper()
	res, txID := c.submit(t, "PublishRecord", dest, receiver, contentType, base64.StdEncoding.EncodeToString(payload))
	return string(res), txID
}

// submit submits a transaction of the records chaincode, waits until it
// is committed VALID, and returns its result and transaction ID.
func (c *fabricClient) submit(t testing.TB, fn string, args ...string) ([]byte, string) {
	t.Helper()
	var res []byte
	var commit *client.Commit
	var err error
	for attempt := 1; ; attempt++ {
		res, commit, err = c.contract.SubmitAsync(fn, client.WithArguments(args...))
		// Right after a block, the two orgs' peers may simulate at
		// different heights and disagree on outbox/seq: try again.
		if err == nil || attempt == 20 || !strings.Contains(err.Error(), "do not match") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("%s: %v", fn, err)
	}
	st, err := commit.Status()
	if err != nil || !st.Successful {
		t.Fatalf("%s %s: %v, %v", fn, commit.TransactionID(), st, err)
	}
	return res, commit.TransactionID()
}

// delivered reports whether the Inbox delivered the record.
func (c *fabricClient) delivered(t testing.TB, id string) bool {
	t.Helper()
	out, err := c.contract.EvaluateTransaction("IsDelivered", id)
	if err != nil {
		t.Fatalf("IsDelivered %s: %v", id, err)
	}
	return string(out) == "true"
}

// attestTx is a committed Attest transaction of the records chaincode.
type attestTx struct {
	txID, recordID, creatorMSP string
	valid                      bool
}

// attests scans every block of the channel for Attest transactions of the
// chaincode, valid or not.
func (c *fabricClient) attests(t testing.TB) []attestTx {
	t.Helper()
	var out []attestTx
	c.eachTx(t, func(envBytes []byte, code peer.TxValidationCode) {
		if a, ok := decodeAttest(envBytes); ok {
			a.valid = code == peer.TxValidationCode_VALID
			out = append(out, a)
		}
	})
	return out
}

// txCodes counts the channel's transactions of the chaincode by function
// and validation code.
func (c *fabricClient) txCodes(t testing.TB) map[string]map[peer.TxValidationCode]int {
	t.Helper()
	out := map[string]map[peer.TxValidationCode]int{}
	c.eachTx(t, func(envBytes []byte, code peer.TxValidationCode) {
		args, _, _, ok := decodeInvocation(envBytes)
		if !ok || len(args) == 0 {
			return
		}
		fn := string(args[0])
		if out[fn] == nil {
			out[fn] = map[peer.TxValidationCode]int{}
		}
		out[fn][code]++
	})
	return out
}

// eachTx calls f with every transaction envelope of the channel and its
// validation code, block by block.
func (c *fabricClient) eachTx(t testing.TB, f func(envBytes []byte, code peer.TxValidationCode)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	raw, err := c.qscc.EvaluateWithContext(ctx, "GetChainInfo", client.WithArguments(c.n.Channel))
	if err != nil {
		t.Fatal(err)
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		t.Fatal(err)
	}
	for n := uint64(0); n < info.GetHeight(); n++ {
		raw, err := c.qscc.EvaluateWithContext(ctx, "GetBlockByNumber", client.WithArguments(c.n.Channel, strconv.FormatUint(n, 10)))
		if err != nil {
			t.Fatal(err)
		}
		var b common.Block
		if err := proto.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		flags := b.GetMetadata().GetMetadata()[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
		for i, envBytes := range b.GetData().GetData() {
			code := peer.TxValidationCode_NOT_VALIDATED
			if i < len(flags) {
				code = peer.TxValidationCode(flags[i])
			}
			f(envBytes, code)
		}
	}
}

// decodeAttest reads an Attest invocation of the records chaincode from an
// envelope.
func decodeAttest(envBytes []byte) (attestTx, bool) {
	args, txID, creator, ok := decodeInvocation(envBytes)
	if !ok || len(args) != 3 || string(args[0]) != "Attest" {
		return attestTx{}, false
	}
	var rec struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(args[1], &rec) != nil {
		return attestTx{}, false
	}
	return attestTx{txID: txID, recordID: rec.ID, creatorMSP: creator}, true
}

// decodeInvocation returns the chaincode arguments (function first), the
// transaction ID and the creator's MSP of an endorser transaction.
func decodeInvocation(envBytes []byte) (args [][]byte, txID, creatorMSP string, ok bool) {
	var env common.Envelope
	var pl common.Payload
	var ch common.ChannelHeader
	var sh common.SignatureHeader
	var tx peer.Transaction
	if proto.Unmarshal(envBytes, &env) != nil || proto.Unmarshal(env.GetPayload(), &pl) != nil ||
		proto.Unmarshal(pl.GetHeader().GetChannelHeader(), &ch) != nil || ch.GetType() != int32(common.HeaderType_ENDORSER_TRANSACTION) ||
		proto.Unmarshal(pl.GetHeader().GetSignatureHeader(), &sh) != nil || proto.Unmarshal(pl.GetData(), &tx) != nil || len(tx.GetActions()) == 0 {
		return nil, "", "", false
	}
	var cap peer.ChaincodeActionPayload
	var cpp peer.ChaincodeProposalPayload
	var spec peer.ChaincodeInvocationSpec
	if proto.Unmarshal(tx.Actions[0].GetPayload(), &cap) != nil || proto.Unmarshal(cap.GetChaincodeProposalPayload(), &cpp) != nil ||
		proto.Unmarshal(cpp.GetInput(), &spec) != nil {
		return nil, "", "", false
	}
	var creator msp.SerializedIdentity
	_ = proto.Unmarshal(sh.GetCreator(), &creator)
	return spec.GetChaincodeSpec().GetInput().GetArgs(), ch.GetTxId(), creator.GetMspid(), true
}
