package records

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"maps"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// fakeStub is the part of shim.ChaincodeStubInterface the contract uses,
// with Fabric's transaction semantics: reads see the committed state only
// (not the transaction's own writes), writes are buffered, and there is at
// most one event (the last SetEvent wins). Any other method panics through
// the nil embedded interface.
type fakeStub struct {
	shim.ChaincodeStubInterface

	state    map[string][]byte // committed state; read only
	writes   map[string][]byte
	event    *peer.ChaincodeEvent
	txID     string
	creator  []byte
	proposal *peer.SignedProposal
	args     []string
}

var _ shim.ChaincodeStubInterface = (*fakeStub)(nil)

func (s *fakeStub) GetState(key string) ([]byte, error) {
	v, ok := s.state[key]
	if !ok {
		return nil, nil
	}
	return append([]byte(nil), v...), nil
}

func (s *fakeStub) PutState(key string, value []byte) error {
	if key == "" {
		return fmt.Errorf("empty key")
	}
	s.writes[key] = append([]byte(nil), value...)
	return nil
}

func (s *fakeStub) SetEvent(name string, payload []byte) error {
	s.event = &peer.ChaincodeEvent{EventName: name, Payload: append([]byte(nil), payload...), TxId: s.txID}
	return nil
}

func (s *fakeStub) GetTxID() string                                  { return s.txID }
func (s *fakeStub) GetChannelID() string                             { return "records" }
func (s *fakeStub) GetCreator() ([]byte, error)                      { return s.creator, nil }
func (s *fakeStub) GetSignedProposal() (*peer.SignedProposal, error) { return s.proposal, nil }
func (s *fakeStub) GetStringArgs() []string                          { return s.args }
func (s *fakeStub) GetFunctionAndParameters() (string, []string) {
	if len(s.args) == 0 {
		return "", nil
	}
	return s.args[0], s.args[1:]
}

// identity is a member of an MSP with a self-signed certificate. The
// chaincode trusts the peer to have validated the certificate, so no CA is
// needed here.
type identity struct {
	mspID string
	cert  *x509.Certificate
	pem   []byte
}

func newIdentity(t testing.TB, mspID, cn string, ous ...string) *identity {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{mspID}, OrganizationalUnit: ous},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &identity{mspID: mspID, cert: cert, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// fingerprint is the hex SHA-256 of the DER certificate, as AddAttestor
// takes it.
func (id *identity) fingerprint() string {
	sum := sha256.Sum256(id.cert.Raw)
	return hex.EncodeToString(sum[:])
}

// ledger runs transactions through the real contract-API chaincode
// (argument parsing, client identity, return schema checks), committing the
// writes of the ones that succeed, as Fabric does.
type ledger struct {
	t      testing.TB
	cc     *contractapi.ContractChaincode
	name   string // chaincode name the proposals invoke
	state  map[string][]byte
	events []*peer.ChaincodeEvent
	n      int
}

func newLedger(t testing.TB) *ledger {
	t.Helper()
	cc, err := NewChaincode()
	if err != nil {
		t.Fatal(err)
	}
	return &ledger{t: t, cc: cc, name: "records", state: map[string][]byte{}}
}

// tx is the result of one transaction.
type tx struct {
	payload string
	err     string // the error message, "" on success
	writes  map[string][]byte
	event   *peer.ChaincodeEvent
}

// invoke submits fn(args...) as who. Its writes and event are kept only
// when it succeeds.
func (l *ledger) invoke(who *identity, fn string, args ...string) tx {
	l.t.Helper()
	l.n++
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: who.mspID, IdBytes: who.pem})
	if err != nil {
		l.t.Fatal(err)
	}
	all := append([]string{fn}, args...)
	stub := &fakeStub{
		state:    l.state,
		writes:   map[string][]byte{},
		txID:     fmt.Sprintf("tx%04d", l.n),
		creator:  creator,
		proposal: signedProposal(l.t, l.name, all),
		args:     all,
	}
	resp := l.cc.Invoke(stub)
	if resp.Status != shim.OK {
		return tx{err: resp.Message}
	}
	maps.Copy(l.state, stub.writes)
	if stub.event != nil {
		l.events = append(l.events, stub.event)
	}
	return tx{payload: string(resp.Payload), writes: stub.writes, event: stub.event}
}

// must invokes and fails the test on an error.
func (l *ledger) must(who *identity, fn string, args ...string) tx {
	l.t.Helper()
	r := l.invoke(who, fn, args...)
	if r.err != "" {
		l.t.Fatalf("%s(%s) as %s: %s", fn, strings.Join(args, ", "), who.cert.Subject.CommonName, r.err)
	}
	return r
}

// fails invokes and checks that the error message starts with prefix.
func (l *ledger) fails(prefix string, who *identity, fn string, args ...string) tx {
	l.t.Helper()
	r := l.invoke(who, fn, args...)
	if r.err == "" {
		l.t.Fatalf("%s(%s) succeeded, want an error starting with %q", fn, strings.Join(args, ", "), prefix)
	}
	if !strings.HasPrefix(r.err, prefix) {
		l.t.Fatalf("%s(%s): error %q, want prefix %q", fn, strings.Join(args, ", "), r.err, prefix)
	}
	return r
}

// signedProposal builds the part of a signed proposal the chaincode reads:
// the name of the invoked chaincode.
func signedProposal(t testing.TB, chaincode string, args []string) *peer.SignedProposal {
	t.Helper()
	bargs := make([][]byte, len(args))
	for i, a := range args {
		bargs[i] = []byte(a)
	}
	spec, err := proto.Marshal(&peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
		Type:        peer.ChaincodeSpec_GOLANG,
		ChaincodeId: &peer.ChaincodeID{Name: chaincode},
		Input:       &peer.ChaincodeInput{Args: bargs},
	}})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := proto.Marshal(&peer.ChaincodeProposalPayload{Input: spec})
	if err != nil {
		t.Fatal(err)
	}
	prop, err := proto.Marshal(&peer.Proposal{Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	return &peer.SignedProposal{ProposalBytes: prop}
}
