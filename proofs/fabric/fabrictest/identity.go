// Package fabrictest builds Hyperledger Fabric channel configs, endorser
// transactions and signed blocks with throwaway keys, for tests of
// proofs/fabric and of the packages that use it. It encodes the same
// messages Fabric does (common, msp and rwset protos with their Go types,
// the peer messages field by field), so a block it makes verifies exactly
// like a real one, and a test can make what a real network will not: a
// config update, a BFT block with any number of signatures, an endorsement
// by a client, a transaction re-signed after an endorsement was removed.
//
// Nothing here is safe for production: keys live in memory and errors on
// input a test controls are returned, not handled.
package fabrictest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"

	mspb "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"google.golang.org/protobuf/proto"
)

// NodeOU names used by cryptogen and Fabric CA.
const (
	OUClient  = "client"
	OUPeer    = "peer"
	OUAdmin   = "admin"
	OUOrderer = "orderer"
)

// notBefore is the validity start of every certificate: Fabric (and
// proofs/fabric) validate chains one second after it.
var notBefore = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// CA is a self-signed P-256 certificate authority.
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// NewCA makes a CA whose subject names org.
func NewCA(org string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{org}, CommonName: "ca." + org},
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, Key: key}, nil
}

// PEM returns the CA certificate in PEM form.
func (ca *CA) PEM() []byte { return certPEM(ca.Cert) }

// NewIdentity issues a leaf certificate for an identity of mspID with the
// given common name and organizational unit ("" for none).
func (ca *CA) NewIdentity(mspID, cn, ou string) (*Identity, error) {
	if ou == "" {
		return ca.NewIdentityOUs(mspID, cn)
	}
	return ca.NewIdentityOUs(mspID, cn, ou)
}

// NewIdentityOUs is NewIdentity with any list of organizational units,
// repeated ones too, in the certificate's subject.
func (ca *CA) NewIdentityOUs(mspID, cn string, ous ...string) (*Identity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	subj := pkix.Name{Organization: ca.Cert.Subject.Organization, CommonName: cn, OrganizationalUnit: ous}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               subj,
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Identity{MSPID: mspID, Cert: cert, Key: key}, nil
}

// RevocationList returns a DER CRL of the CA that revokes the identities.
func (ca *CA) RevocationList(revoked ...*Identity) ([]byte, error) {
	var entries []x509.RevocationListEntry
	for _, id := range revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: id.Cert.SerialNumber, RevocationTime: notBefore})
	}
	return x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:                    big.NewInt(1),
		ThisUpdate:                notBefore,
		NextUpdate:                notBefore.AddDate(1, 0, 0),
		RevokedCertificateEntries: entries,
	}, ca.Cert, ca.Key)
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return n.Add(n, big.NewInt(1))
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// Identity is a signing identity of an MSP.
type Identity struct {
	MSPID string
	Cert  *x509.Certificate
	Key   *ecdsa.PrivateKey
}

// Serialized returns the identity as Fabric carries it: a marshalled
// msp.SerializedIdentity with the certificate in PEM.
func (id *Identity) Serialized() []byte {
	b, err := proto.Marshal(&mspb.SerializedIdentity{Mspid: id.MSPID, IdBytes: certPEM(id.Cert)})
	if err != nil {
		panic(err) // a plain message always marshals
	}
	return b
}

// Sign signs SHA-256 of the concatenated parts and returns a DER signature
// with a low S, as Fabric's signers do.
func (id *Identity) Sign(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	r, s, err := ecdsa.Sign(rand.Reader, id.Key, h.Sum(nil))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return encodeSig(r, LowS(id.Key.Curve, s))
}

// LowS returns s or n-s, whichever is in the lower half of the order.
func LowS(c elliptic.Curve, s *big.Int) *big.Int {
	n := c.Params().N
	if s.Cmp(new(big.Int).Rsh(n, 1)) > 0 {
		return new(big.Int).Sub(n, s)
	}
	return s
}

// HighS returns the other encoding of a DER signature of a key on curve c,
// with s replaced by n-s: mathematically valid, but Fabric rejects it.
func HighS(c elliptic.Curve, sig []byte) ([]byte, error) {
	var r, s big.Int
	in := cryptobyte.String(sig)
	var inner cryptobyte.String
	if !in.ReadASN1(&inner, cbasn1.SEQUENCE) || !inner.ReadASN1Integer(&r) || !inner.ReadASN1Integer(&s) {
		return nil, fmt.Errorf("fabrictest: not a DER signature")
	}
	return encodeSig(&r, new(big.Int).Sub(c.Params().N, &s)), nil
}

func encodeSig(r, s *big.Int) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(r)
		b.AddASN1BigInt(s)
	})
	return b.BytesOrPanic()
}
