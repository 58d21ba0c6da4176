package fabric_test

// Second attacker review of identity validation and MSP setup (after the
// canonical-fingerprint change): inputs this verifier accepted and a
// Fabric peer of the same channel refuses. Each test asserts Fabric's
// outcome; each failed before the fix it guards.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspb "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// atk2NotBefore is fabrictest's validity start: Fabric and the verifier
// check chains one second after a certificate's NotBefore.
var atk2NotBefore = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func atk2Serial(t *testing.T) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		t.Fatal(err)
	}
	return n.Add(n, big.NewInt(1))
}

// atk2Issue signs tmpl for pub with parent (nil: self-signed) and key.
func atk2Issue(t *testing.T, tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, key *ecdsa.PrivateKey) *x509.Certificate {
	t.Helper()
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func atk2Key(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// atk2Leaf issues a non-CA identity of org's MSP under the CA (cert, key),
// edited by edit before signing.
func atk2Leaf(t *testing.T, mspID string, ca *x509.Certificate, caKey *ecdsa.PrivateKey, cn string, ous []string, edit func(*x509.Certificate)) *fabrictest.Identity {
	t.Helper()
	key := atk2Key(t)
	tmpl := &x509.Certificate{
		SerialNumber:          atk2Serial(t),
		Subject:               pkix.Name{Organization: ca.Subject.Organization, CommonName: cn, OrganizationalUnit: ous},
		NotBefore:             atk2NotBefore,
		NotAfter:              atk2NotBefore.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	if edit != nil {
		edit(tmpl)
	}
	return &fabrictest.Identity{MSPID: mspID, Cert: atk2Issue(t, tmpl, ca, &key.PublicKey, caKey), Key: key}
}

// atk2ExpiredTwin is a CA's previous certificate: same key, subject and
// subject key identifier, expired an hour before atk2NotBefore.
func atk2ExpiredTwin(t *testing.T, ca *fabrictest.CA) *x509.Certificate {
	t.Helper()
	return atk2Issue(t, &x509.Certificate{
		SerialNumber:          atk2Serial(t),
		Subject:               ca.Cert.Subject,
		NotBefore:             atk2NotBefore.AddDate(-1, 0, 0),
		NotAfter:              atk2NotBefore.Add(-time.Hour),
		KeyUsage:              ca.Cert.KeyUsage,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          ca.Cert.SubjectKeyId,
	}, nil, &ca.Key.PublicKey, ca.Key)
}

// atk2Intermediate issues an intermediate CA under org's root.
func atk2Intermediate(t *testing.T, org *fabrictest.Org) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key := atk2Key(t)
	tmpl := &x509.Certificate{
		SerialNumber:          atk2Serial(t),
		Subject:               pkix.Name{Organization: org.CA.Cert.Subject.Organization, CommonName: "ica." + org.MSPID},
		NotBefore:             atk2NotBefore,
		NotAfter:              atk2NotBefore.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return atk2Issue(t, tmpl, org.CA.Cert, &key.PublicKey, org.CA.Key), key
}

// atk2Genesis parses the genesis block of n's config after edit; it
// returns the error instead of failing.
func atk2Genesis(t *testing.T, n *fabrictest.Network, edit func(*cb.Config)) error {
	t.Helper()
	_, err := fabric.ParseConfigBlock(genesisBlockOf(t, n, edit))
	return err
}

// TestAtk2OrdererOrgEndpointsBelowV142: below V1_4_2 (no
// OrgSpecificOrdererEndpoints) an orderer org must not carry an Endpoints
// value at all: channelconfig.NewOrdererOrgConfig fails with "Orderer Org
// %s cannot contain endpoints value until V1_4_2+ capabilities have been
// enabled", so the config does not load on a peer. checkOrdererEndpoints
// only looks at org endpoints under V3_0 and accepts them.
func TestAtk2OrdererOrgEndpointsBelowV142(t *testing.T) {
	for _, capability := range []string{fabrictest.NoCapability, "V1_1", "V1_3"} {
		t.Run("genesis "+capability, func(t *testing.T) {
			n, err := fabrictest.NewNetwork(fabrictest.Options{ChannelCapability: capability, NoNodeOUs: true})
			if err != nil {
				t.Fatal(err)
			}
			err = atk2Genesis(t, n, func(cfg *cb.Config) {
				cfg.ChannelGroup.Groups["Orderer"].Groups["OrdererMSP"].Values["Endpoints"] = &cb.ConfigValue{ModPolicy: "Admins",
					Value: mustProto(t, &cb.OrdererAddresses{Addresses: []string{"127.0.0.1:7050"}})}
			})
			if err == nil {
				t.Errorf("parsed a %s config whose orderer org has Endpoints; Fabric's NewOrdererOrgConfig refuses it", capability)
			}
		})
	}
	t.Run("update V1_3", func(t *testing.T) {
		s := capabilitySynth(t, "V1_3")
		want := proto.Clone(s.net.Current).(*cb.Config)
		want.ChannelGroup.Groups["Orderer"].Groups["OrdererMSP"].Values["Endpoints"] = &cb.ConfigValue{ModPolicy: "Admins",
			Value: mustProto(t, &cb.OrdererAddresses{Addresses: []string{"evil.example.com:7050"}})}
		b1, _ := s.updateBlock(t, 1, nil, want, s.admins)
		if _, _, err := fabric.VerifyChain(s.tc, [][]byte{b1}); err == nil {
			t.Error("accepted a V1_3 update giving the orderer org Endpoints; peers refuse the config")
		}
	})
}

// TestAtk2ExtKeyUsageWithoutServerAuth: Fabric's MSP verifies chains with
// x509.VerifyOptions whose KeyUsages it never sets (setupCAs,
// getValidityOptsForCert), and Go reads an empty list as
// ExtKeyUsageServerAuth: a certificate (or a CA of its chain) with an
// extended key usage extension that lists neither serverAuth nor any is
// not a valid identity ("certificate specifies an incompatible key
// usage"). The verifier verifies with ExtKeyUsageAny and accepts it.
func TestAtk2ExtKeyUsageWithoutServerAuth(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	clientAuthPeer := atk2Leaf(t, "Org1MSP", org1.CA.Cert, org1.CA.Key, "peer9.Org1MSP", []string{fabrictest.OUPeer}, func(c *x509.Certificate) {
		c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	})
	if _, err := clientAuthPeer.Cert.Verify(x509.VerifyOptions{Roots: certPool(org1.CA.Cert), CurrentTime: atk2NotBefore.Add(time.Second)}); err == nil {
		t.Fatal("control: Go's default key usage accepted a clientAuth-only certificate")
	}
	s.checkPolicies(t, []policyCase{
		{"clientAuth-only peer", []*fabrictest.Identity{clientAuthPeer}, "OR('Org1MSP.peer')", fabric.ErrCertChain},
	})
}

func certPool(cs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range cs {
		p.AddCert(c)
	}
	return p
}

// TestAtk2IssuerMustBeLeafOfCertTree: once an MSP lists an intermediate
// CA, the CAs above it are internal nodes of its certification tree, and
// Fabric refuses every identity they issued directly
// (bccspmsp.getValidationChain: "Parent certificate should be a leaf of
// the certification tree"; certificationTreeInternalNodesMap built in
// finalizeSetupCAs). The verifier keeps accepting the root's own leaves:
// Org1's peer still endorses after Org1 moved to an intermediate.
func TestAtk2IssuerMustBeLeafOfCertTree(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	org1 := n.AppOrgs[0]
	ica, icaKey := atk2Intermediate(t, org1)
	// The transaction's creator and a control peer come from the
	// intermediate; the node OUs name no CA, so either CA may issue them.
	org1.Client = atk2Leaf(t, "Org1MSP", ica, icaKey, "User2@Org1MSP", []string{fabrictest.OUClient}, nil)
	icaPeer := atk2Leaf(t, "Org1MSP", ica, icaKey, "peer1.Org1MSP", []string{fabrictest.OUPeer}, nil)
	s := genesisWith(t, n, func(cfg *cb.Config) {
		editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
			fc.IntermediateCerts = [][]byte{pemCert(ica)}
			for _, o := range []*mspb.FabricOUIdentifier{fc.FabricNodeOus.ClientOuIdentifier, fc.FabricNodeOus.PeerOuIdentifier,
				fc.FabricNodeOus.AdminOuIdentifier, fc.FabricNodeOus.OrdererOuIdentifier} {
				o.Certificate = nil
			}
		})
	})
	s.checkPolicies(t, []policyCase{
		{"control: peer of the intermediate", []*fabrictest.Identity{icaPeer}, "OR('Org1MSP.peer')", nil},
		{"root-issued peer under an MSP with an intermediate", []*fabrictest.Identity{org1.Peer()}, "OR('Org1MSP.peer')", fabric.ErrCertChain},
	})
}

// TestAtk2CRLOfReissuedCA: Fabric matches a CRL to the CA that issued an
// identity by key, not by certificate: the CRL's AuthorityKeyIdentifier
// against the issuer's SubjectKeyIdentifier, then the CRL's signature
// against the issuer's key (validateCertAgainstChain). A CA certificate
// re-issued for the same key (renewal: same subject and key, new
// validity) therefore shares the CRLs of the old one. The verifier ties
// each CRL to the first CA certificate whose subject and key match
// (newMSPVerifier) and looks revocations up by that certificate's
// fingerprint, so with the expired CA certificate listed first, a peer
// revoked by the CA still endorses.
func TestAtk2CRLOfReissuedCA(t *testing.T) {
	setup := func(t *testing.T, withOld bool) *synth {
		n, err := fabrictest.NewNetwork(fabrictest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		org1 := n.AppOrgs[0]
		cur := org1.CA.Cert
		// The CA's previous certificate: same key, same subject, expired
		// before any of the org's identities was issued.
		old := atk2ExpiredTwin(t, org1.CA)
		crl, err := org1.CA.RevocationList(org1.Peer())
		if err != nil {
			t.Fatal(err)
		}
		org1.CRLs = [][]byte{crl}
		return genesisWith(t, n, func(cfg *cb.Config) {
			if withOld {
				editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
					fc.RootCerts = [][]byte{pemCert(old), pemCert(cur)}
				})
			}
		})
	}
	t.Run("control: one CA certificate", func(t *testing.T) {
		s := setup(t, false)
		s.checkPolicies(t, []policyCase{
			{"revoked peer", []*fabrictest.Identity{s.net.AppOrgs[0].Peer()}, "OR('Org1MSP.peer')", fabric.ErrCertChain},
		})
	})
	t.Run("old and renewed CA certificate", func(t *testing.T) {
		s := setup(t, true)
		s.checkPolicies(t, []policyCase{
			{"revoked peer", []*fabrictest.Identity{s.net.AppOrgs[0].Peer()}, "OR('Org1MSP.peer')", fabric.ErrCertChain},
		})
	})
}

// TestAtk2RevokedIntermediateInConfig: Fabric validates every
// intermediate CA at MSP setup (finalizeSetupCAs → validateCAIdentity →
// validateCertAgainstChain), so an MSP whose CRL revokes one of its own
// intermediates fails setup and the config does not load. The verifier
// installs it (it only refuses identities below the revoked CA).
func TestAtk2RevokedIntermediateInConfig(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	ica, _ := atk2Intermediate(t, org1)
	crl, err := org1.CA.RevocationList(&fabrictest.Identity{Cert: ica})
	if err != nil {
		t.Fatal(err)
	}
	s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP whose CRL revokes its own intermediate CA; Fabric's MSP setup fails", func(fc *mspb.FabricMSPConfig) {
		fc.IntermediateCerts = [][]byte{pemCert(ica)}
		fc.RevocationList = [][]byte{pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl})}
	})
}

// TestAtk2V143ListedAdminIsCA: under MSP v1.4.3 with NodeOUs a listed
// admin must hold the client or admin OU as hasOURole reads it, through
// GetOrganizationalUnits, which is empty when getCertificationChain
// fails, and it fails for a CA certificate ("cannot be used as an
// identity") or a chain through an internal CA. So postSetupV142 refuses
// the MSP. setupAdmins only checks the subject's OU names and accepts a
// CA certificate carrying the client OU.
func TestAtk2V143ListedAdminIsCA(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	key := atk2Key(t)
	caAdmin := atk2Issue(t, &x509.Certificate{
		SerialNumber:          atk2Serial(t),
		Subject:               pkix.Name{Organization: org1.CA.Cert.Subject.Organization, CommonName: "Admin2@Org1MSP", OrganizationalUnit: []string{fabrictest.OUClient}},
		NotBefore:             atk2NotBefore,
		NotAfter:              atk2NotBefore.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}, org1.CA.Cert, &key.PublicKey, org1.CA.Key)
	s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted a V2_0 MSP listing a CA certificate as admin; Fabric's postSetupV142 fails its setup", func(fc *mspb.FabricMSPConfig) {
		fc.Admins = [][]byte{pemCert(caAdmin)}
	})
}

// TestAtk2LegacyNameConstraints: Fabric keeps Go 1.14's rule for chains
// with name constraints (getUniqueValidationChain →
// verifyLegacyNameConstraints): a leaf without a SAN whose CommonName is
// a hostname is invalid when a CA of its chain has a NameConstraints
// extension. The verifier uses Go's chain check alone, which ignores the
// CommonName, and accepts the peer.
func TestAtk2LegacyNameConstraints(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	org1 := n.AppOrgs[0]
	rootKey := atk2Key(t)
	root := atk2Issue(t, &x509.Certificate{
		SerialNumber:          atk2Serial(t),
		Subject:               pkix.Name{Organization: []string{"Org1MSP"}, CommonName: "ca.org1.example.com"},
		NotBefore:             atk2NotBefore,
		NotAfter:              atk2NotBefore.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		PermittedDNSDomains:   []string{"org1.example.com"},
	}, nil, &rootKey.PublicKey, rootKey)
	peer := atk2Leaf(t, "Org1MSP", root, rootKey, "peer0.org1.example.com", []string{fabrictest.OUPeer}, nil)
	// Control peer with a SAN, and a creator whose CN is no hostname:
	// both valid for Fabric.
	sanPeer := atk2Leaf(t, "Org1MSP", root, rootKey, "peer1.org1.example.com", []string{fabrictest.OUPeer}, func(c *x509.Certificate) {
		c.DNSNames = []string{"peer1.org1.example.com"}
	})
	org1.Client = atk2Leaf(t, "Org1MSP", root, rootKey, "User1@org1.example.com", []string{fabrictest.OUClient}, nil)
	s := genesisWith(t, n, func(cfg *cb.Config) {
		editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
			fc.RootCerts = [][]byte{pemCert(root)}
			for _, o := range []*mspb.FabricOUIdentifier{fc.FabricNodeOus.ClientOuIdentifier, fc.FabricNodeOus.PeerOuIdentifier,
				fc.FabricNodeOus.AdminOuIdentifier, fc.FabricNodeOus.OrdererOuIdentifier} {
				o.Certificate = pemCert(root)
			}
		})
	})
	s.checkPolicies(t, []policyCase{
		{"control: peer with a SAN", []*fabrictest.Identity{sanPeer}, "OR('Org1MSP.peer')", nil},
		{"SAN-less hostname peer under a name-constrained CA", []*fabrictest.Identity{peer}, "OR('Org1MSP.peer')", fabric.ErrCertChain},
	})
}

// TestAtk2OrgSubGroups: an organization group cannot have sub-groups
// (channelconfig.NewApplicationOrgConfig: "ApplicationOrg config does not
// allow sub-groups"; NewOrdererOrgConfig likewise), so a config with one
// does not load on a peer. The verifier installs it.
func TestAtk2OrgSubGroups(t *testing.T) {
	for _, path := range []string{"Application", "Orderer"} {
		t.Run(path, func(t *testing.T) {
			n, err := fabrictest.NewNetwork(fabrictest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			org := "Org1MSP"
			if path == "Orderer" {
				org = "OrdererMSP"
			}
			err = atk2Genesis(t, n, func(cfg *cb.Config) {
				cfg.ChannelGroup.Groups[path].Groups[org].Groups = map[string]*cb.ConfigGroup{"Sub": {ModPolicy: "Admins"}}
			})
			if err == nil {
				t.Errorf("parsed a config whose %s org %s has a sub-group; Fabric refuses it", path, org)
			}
		})
	}
}
