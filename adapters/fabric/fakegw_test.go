package fabric

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// fakeGateway is an in-process Fabric Gateway service over TLS, scripted
// per test, for the error mapping of the destination and NewChain. Its
// handlers default to a healthy peer of a records chaincode initialized
// as "registry" with the client as its one attestor.
type fakeGateway struct {
	gateway.UnimplementedGatewayServer

	mu sync.Mutex // guards everything below
	// evaluate answers a query; nil uses the defaults.
	evaluate func(chaincode, fn string, args []string) ([]byte, error)
	// endorse fails an endorsement when it returns an error.
	endorse func(txID string) error
	// submit fails a submission when it returns an error.
	submit func(txID string) error
	// status answers a commit status request; it may block on ctx.
	status func(ctx context.Context, txID string) (peer.TxValidationCode, error)

	config    ChaincodeConfig
	endorsed  []string
	submitted []string
}

func (g *fakeGateway) script(edit func(g *fakeGateway)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	edit(g)
}

// invocation reads the chaincode, function and arguments of a signed
// proposal.
func invocation(sp *peer.SignedProposal) (chaincode, fn string, args []string, err error) {
	var prop peer.Proposal
	if err = proto.Unmarshal(sp.GetProposalBytes(), &prop); err != nil {
		return
	}
	var cpp peer.ChaincodeProposalPayload
	if err = proto.Unmarshal(prop.GetPayload(), &cpp); err != nil {
		return
	}
	var spec peer.ChaincodeInvocationSpec
	if err = proto.Unmarshal(cpp.GetInput(), &spec); err != nil {
		return
	}
	in := spec.GetChaincodeSpec().GetInput().GetArgs()
	if len(in) == 0 {
		return "", "", nil, status.Error(codes.InvalidArgument, "no function")
	}
	for _, a := range in[1:] {
		args = append(args, string(a))
	}
	return spec.GetChaincodeSpec().GetChaincodeId().GetName(), string(in[0]), args, nil
}

func (g *fakeGateway) Evaluate(ctx context.Context, req *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
	cc, fn, args, err := invocation(req.GetProposedTransaction())
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	eval := g.evaluate
	cfg := g.config
	g.mu.Unlock()
	var out []byte
	if eval != nil {
		out, err = eval(cc, fn, args)
	} else if cc == "records" && fn == "GetConfig" {
		out, err = json.Marshal(cfg)
	} else {
		err = status.Errorf(codes.Unknown, "evaluate call to endorser returned error: chaincode response 500, no script for %s %s", cc, fn)
	}
	if err != nil {
		return nil, err
	}
	return &gateway.EvaluateResponse{Result: &peer.Response{Status: 200, Payload: out}}, nil
}

func (g *fakeGateway) Endorse(ctx context.Context, req *gateway.EndorseRequest) (*gateway.EndorseResponse, error) {
	g.mu.Lock()
	g.endorsed = append(g.endorsed, req.GetTransactionId())
	fail := g.endorse
	g.mu.Unlock()
	if fail != nil {
		if err := fail(req.GetTransactionId()); err != nil {
			return nil, err
		}
	}
	// A prepared transaction the client can parse: channel header and the
	// chaincode's result.
	ch, _ := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_ENDORSER_TRANSACTION), ChannelId: req.GetChannelId(), TxId: req.GetTransactionId()})
	ca, _ := proto.Marshal(&peer.ChaincodeAction{Response: &peer.Response{Status: 200, Payload: []byte(`{"outcome":"voted"}`)}})
	prp, _ := proto.Marshal(&peer.ProposalResponsePayload{Extension: ca})
	cap, _ := proto.Marshal(&peer.ChaincodeActionPayload{Action: &peer.ChaincodeEndorsedAction{ProposalResponsePayload: prp}})
	tx, _ := proto.Marshal(&peer.Transaction{Actions: []*peer.TransactionAction{{Payload: cap}}})
	pl, _ := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: ch}, Data: tx})
	return &gateway.EndorseResponse{PreparedTransaction: &common.Envelope{Payload: pl}}, nil
}

func (g *fakeGateway) Submit(ctx context.Context, req *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
	g.mu.Lock()
	g.submitted = append(g.submitted, req.GetTransactionId())
	fail := g.submit
	g.mu.Unlock()
	if fail != nil {
		if err := fail(req.GetTransactionId()); err != nil {
			return nil, err
		}
	}
	return &gateway.SubmitResponse{}, nil
}

func (g *fakeGateway) CommitStatus(ctx context.Context, req *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
	var r gateway.CommitStatusRequest
	if err := proto.Unmarshal(req.GetRequest(), &r); err != nil {
		return nil, err
	}
	g.mu.Lock()
	st := g.status
	g.mu.Unlock()
	code := peer.TxValidationCode_VALID
	if st != nil {
		var err error
		if code, err = st(ctx, r.GetTransactionId()); err != nil {
			return nil, err
		}
	}
	return &gateway.CommitStatusResponse{Result: code, BlockNumber: 7}, nil
}

// qsccTx answers qscc GetTransactionByID with a validation code.
func qsccTx(code peer.TxValidationCode) []byte {
	b, _ := proto.Marshal(&peer.ProcessedTransaction{ValidationCode: int32(code)})
	return b
}

// noSuchTx is qscc's answer for an unknown transaction ID.
func noSuchTx(txID string) error {
	return status.Errorf(codes.Unknown, "evaluate call to endorser returned error: chaincode response 500, Failed to get transaction with id %s, error no such transaction ID [%s] in index", txID, txID)
}

// fakePeer is a running fake gateway and a Fabric config for it.
type fakePeer struct {
	gw   *fakeGateway
	addr string
	cfg  config.Fabric
}

// startFakePeers starts n fake gateway peers with TLS and writes a client
// identity; cfg lists the peers in order.
func startFakePeers(t *testing.T, n int) []*fakePeer {
	t.Helper()
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tlsca"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	writePEM(t, filepath.Join(dir, "tlsca.pem"), "CERTIFICATE", caDER, 0o644)
	issue := func(cn string, ou []string, serial int64, ips ...net.IP) (*ecdsa.PrivateKey, []byte) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, OrganizationalUnit: ou},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
			IPAddresses: ips, DNSNames: []string{"localhost"},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return key, der
	}
	srvKey, srvDER := issue("peer0", nil, 2, net.ParseIP("127.0.0.1"))
	userKey, userDER := issue("User1", []string{"client"}, 3)
	writePEM(t, filepath.Join(dir, "user.pem"), "CERTIFICATE", userDER, 0o644)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(userKey)
	writePEM(t, filepath.Join(dir, "user.key"), "PRIVATE KEY", keyDER, 0o600)
	fp := sha256.Sum256(userDER)

	cfg := config.Fabric{MSPID: "Org1MSP", Channel: "records", Chaincode: "records",
		Identity: config.FabricIdentity{Cert: filepath.Join(dir, "user.pem"), Key: config.Secret{File: filepath.Join(dir, "user.key")}}}
	cfg.Trust.ConfigBlock = filepath.Join(dir, "none.block")
	cfg.Timeouts.Commit = 300 * time.Millisecond
	var peers []*fakePeer
	for range n {
		g := &fakeGateway{config: ChaincodeConfig{ChainName: "registry", Emitter: "records", Threshold: 1}}
		g.config.Attestors = append(g.config.Attestors, ChaincodeAttestor{Key: "Org1MSP/cert/" + hex.EncodeToString(fp[:]), MSPID: "Org1MSP", CertSHA256: hex.EncodeToString(fp[:])})
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{
			Certificates: []tls.Certificate{{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}},
		})))
		gateway.RegisterGatewayServer(srv, g)
		go srv.Serve(l)
		t.Cleanup(srv.Stop)
		peers = append(peers, &fakePeer{gw: g, addr: l.Addr().String()})
		cfg.Peers = append(cfg.Peers, config.FabricPeer{Address: l.Addr().String(), TLSCA: filepath.Join(dir, "tlsca.pem")})
	}
	for _, p := range peers {
		p.cfg = cfg
	}
	return peers
}

func writePEM(t *testing.T, path, typ string, der []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode); err != nil {
		t.Fatal(err)
	}
}

// fakeChain connects a Chain to the fake peers.
func fakeChain(t *testing.T, peers []*fakePeer, opts Options) *Chain {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := NewChain(ctx, "registry", peers[0].cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// inbound is a record from another chain addressed to "registry".
func inbound(seq uint64) relayer.Record {
	rec := relayer.NewTestRecord("chain-a", make([]byte, 20), seq, []byte("payload"))
	rec.Destination, rec.Receiver, rec.ContentType = "registry", "licensing", "text/plain"
	return rec
}
