package fabric_test

// Third attacker review of identity validation and MSP setup (after the
// chain, CA and CRL change): inputs this verifier accepted and a Fabric
// peer of the same channel refuses. Each test asserts Fabric's outcome;
// each failed before the fix it guards.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspb "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// atk3SubCA issues a CA certificate named cn under (parent, parentKey),
// valid from nb to na.
func atk3SubCA(t *testing.T, cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, nb, na time.Time) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key := atk2Key(t)
	tmpl := &x509.Certificate{
		SerialNumber:          atk2Serial(t),
		Subject:               pkix.Name{Organization: []string{"Org1MSP"}, CommonName: cn},
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return atk2Issue(t, tmpl, parent, &key.PublicKey, parentKey), key
}

// TestAtk3OUCertifierIsTheWholeChain: Fabric ties an OU identifier to
// the whole certification path of the CA it names, not to the CA alone.
// getCertifiersIdentifier hashes the validation chain of that CA
// (intermediate plus its parents, computed at the CA's own NotBefore),
// and an identity's OU carries the hash of its chain above the leaf
// (getCertificationChainIdentifier), computed at the identity's
// NotBefore; validateIdentityOUsV142 compares the two. When the org's
// root was renewed (same key and subject, new validity), an identity
// issued by the intermediate after the renewal chains through the new
// root certificate while the intermediate's own chain went through the
// old one: the hashes differ and Fabric refuses the identity. The
// verifier compares only the issuing CA (ouState.CA against the chain's
// second certificate) and accepts it.
func TestAtk3OUCertifierIsTheWholeChain(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	org1 := n.AppOrgs[0]
	cur := org1.CA.Cert // valid from atk2NotBefore
	// The root's previous certificate: same key, subject and SKI, expired
	// just before the current one starts.
	old := atk2ExpiredTwin(t, org1.CA)
	// The intermediate was issued under the old root certificate.
	ica, icaKey := atk3SubCA(t, "ica.Org1MSP", old, org1.CA.Key, atk2NotBefore.AddDate(0, -6, 0), atk2NotBefore.AddDate(5, 0, 0))
	// A peer the intermediate issued before the renewal (chain ica → old)
	// and one it issued after (chain ica → cur).
	before := atk2Leaf(t, "Org1MSP", ica, icaKey, "peer1.Org1MSP", []string{fabrictest.OUPeer}, func(c *x509.Certificate) {
		c.NotBefore = atk2NotBefore.AddDate(0, -3, 0)
	})
	after := atk2Leaf(t, "Org1MSP", ica, icaKey, "peer2.Org1MSP", []string{fabrictest.OUPeer}, nil)
	// Sanity: the two chains Go (and so Fabric) builds.
	opts := x509.VerifyOptions{Roots: certPool(old, cur), Intermediates: certPool(ica)}
	for _, c := range []struct {
		leaf *x509.Certificate
		root *x509.Certificate
	}{{ica, old}, {before.Cert, old}, {after.Cert, cur}} {
		o := opts
		o.CurrentTime = c.leaf.NotBefore.Add(time.Second)
		chains, err := c.leaf.Verify(o)
		if err != nil || len(chains) != 1 || string(chains[0][len(chains[0])-1].Raw) != string(c.root.Raw) {
			t.Fatalf("control: chain of %s: %v %d", c.leaf.Subject, err, len(chains))
		}
	}
	s := genesisWith(t, n, func(cfg *cb.Config) {
		editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
			fc.RootCerts = [][]byte{pemCert(old), pemCert(cur)}
			fc.IntermediateCerts = [][]byte{pemCert(ica)}
			// Peers must come from the intermediate; the other node OUs
			// keep the (current) root, which issues Org1's client.
			fc.FabricNodeOus.PeerOuIdentifier.Certificate = pemCert(ica)
		})
	})
	s.checkPolicies(t, []policyCase{
		{"control: peer of the intermediate, issued before the renewal", []*fabrictest.Identity{before}, "OR('Org1MSP.peer')", nil},
		{"peer of the intermediate, issued after the renewal", []*fabrictest.Identity{after}, "OR('Org1MSP.peer')", fabric.ErrCertChain},
	})
}

// TestAtk3RootNotSelfSigned: Fabric sanitizes every CA certificate when
// the MSP is set up (setupCAs → getIdentityFromConf → newIdentity →
// sanitizeCert). An ECDSA-signed certificate counts as a root there only
// if it verifies its own signature (cert.IsCA &&
// cert.CheckSignatureFrom(cert) == nil); any other is looked up through
// the verify options, where a root certificate's chain is itself alone,
// and sanitizeCert fails ("failed to traverse certificate verification
// chain for leaf or intermediate certificate"). So an MSP listing a root
// that some other CA signed (or an intermediate listed among the roots)
// cannot be set up, and the config does not load. The verifier never
// checks its roots beyond IsCA and the SKI, installs the MSP and
// validates identities below that root.
func TestAtk3RootNotSelfSigned(t *testing.T) {
	outsideKey := atk2Key(t)
	outside := atk2Issue(t, &x509.Certificate{
		SerialNumber:          atk2Serial(t),
		Subject:               pkix.Name{Organization: []string{"Elsewhere"}, CommonName: "ca.elsewhere"},
		NotBefore:             atk2NotBefore,
		NotAfter:              atk2NotBefore.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}, nil, &outsideKey.PublicKey, outsideKey)
	root2, root2Key := atk3SubCA(t, "ca2.Org1MSP", outside, outsideKey, atk2NotBefore, atk2NotBefore.AddDate(5, 0, 0))
	if root2.CheckSignatureFrom(root2) == nil {
		t.Fatal("control: root2 is self-signed")
	}
	t.Run("genesis", func(t *testing.T) {
		n, err := fabrictest.NewNetwork(fabrictest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		org1 := n.AppOrgs[0]
		// Org1's peer comes from the second root; the node OUs name no CA.
		org1.Peers[0] = atk2Leaf(t, "Org1MSP", root2, root2Key, "peer0.Org1MSP", []string{fabrictest.OUPeer}, nil)
		g := genesisBlockOf(t, n, func(cfg *cb.Config) {
			editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
				fc.RootCerts = append(fc.RootCerts, pemCert(root2))
				for _, o := range []*mspb.FabricOUIdentifier{fc.FabricNodeOus.ClientOuIdentifier, fc.FabricNodeOus.PeerOuIdentifier,
					fc.FabricNodeOus.AdminOuIdentifier, fc.FabricNodeOus.OrdererOuIdentifier} {
					o.Certificate = nil
				}
			})
		})
		tc, err := fabric.ParseConfigBlock(g)
		if err != nil {
			return
		}
		t.Error("parsed a config whose Org1 MSP lists a root CA that is not self-signed; Fabric's sanitizeCert fails the MSP setup")
		s := &synth{net: n, genesis: g, tc: tc, admins: n.Admins()}
		s.checkPolicies(t, []policyCase{
			{"peer below the non-self-signed root", []*fabrictest.Identity{org1.Peer()}, "OR('Org1MSP.peer')", fabric.ErrCertChain},
		})
	})
	t.Run("update", func(t *testing.T) {
		s := newSynth(t, fabrictest.Options{})
		org1 := s.net.AppOrgs[0]
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an update adding a root CA that is not self-signed to Org1's MSP", func(fc *mspb.FabricMSPConfig) {
			fc.RootCerts = append(fc.RootCerts, pemCert(root2))
		})
	})
}

// TestAtk3OUNamesInternalCA: an OU identifier (node OU or not) that names
// an intermediate CA gets its certifiers identifier from
// getValidationChain(cert, true), which refuses a CA that is an internal
// node of the certification tree (parentPosition 0: "Parent certificate
// should be a leaf of the certification tree"), so setupNodeOUsV142 (and
// setupOUs) fail and the MSP cannot be set up. The verifier only checks
// that the OU names one of the MSP's CAs.
func TestAtk3OUNamesInternalCA(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	ica1, ica1Key := atk3SubCA(t, "ica1.Org1MSP", org1.CA.Cert, org1.CA.Key, atk2NotBefore, atk2NotBefore.AddDate(5, 0, 0))
	ica2, _ := atk3SubCA(t, "ica2.Org1MSP", ica1, ica1Key, atk2NotBefore, atk2NotBefore.AddDate(4, 0, 0))
	edit := func(ouCA *x509.Certificate) func(fc *mspb.FabricMSPConfig) {
		return func(fc *mspb.FabricMSPConfig) {
			fc.IntermediateCerts = [][]byte{pemCert(ica1), pemCert(ica2)}
			fc.FabricNodeOus.PeerOuIdentifier.Certificate = pemCert(ouCA)
		}
	}
	t.Run("control: peer OU names the leaf CA", func(t *testing.T) {
		want := protoCloneConfig(s)
		editMSP(t, want, "Org1MSP", edit(ica2))
		b1, _ := s.updateBlock(t, 1, nil, want, []*fabrictest.Identity{org1.Admin})
		if _, _, err := fabric.VerifyChain(s.tc, [][]byte{b1}); err != nil {
			t.Fatalf("refused a config Fabric accepts: %v", err)
		}
	})
	t.Run("peer OU names an internal CA", func(t *testing.T) {
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP whose peer OU names an internal CA of its certification tree; Fabric's getCertifiersIdentifier fails", edit(ica1))
	})
	t.Run("OU identifier names an internal CA", func(t *testing.T) {
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP whose OU identifier names an internal CA of its certification tree; Fabric's setupOUs fails", func(fc *mspb.FabricMSPConfig) {
			fc.IntermediateCerts = [][]byte{pemCert(ica1), pemCert(ica2)}
			fc.OrganizationalUnitIdentifiers = []*mspb.FabricOUIdentifier{{OrganizationalUnitIdentifier: "unit", Certificate: pemCert(ica1)}}
		})
	})
}

// TestAtk3DisabledNodeOUsStillSetUp: FabricNodeOus with enable=false is
// not ignored by Fabric: setupNodeOUs (v1.1, v1.3) and setupNodeOUsV142
// compute the certifiers identifier of every OU identifier that carries
// a certificate, enabled or not, and fail the MSP setup when that
// certificate is not one of the MSP's CAs. mspStateFromProto reads
// FabricNodeOus only when enabled, so the verifier installs the MSP.
func TestAtk3DisabledNodeOUsStillSetUp(t *testing.T) {
	stranger, err := fabrictest.NewCA("Stranger")
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	edit := func(clientCA []byte) func(fc *mspb.FabricMSPConfig) {
		return func(fc *mspb.FabricMSPConfig) {
			fc.FabricNodeOus.Enable = false
			// Without NodeOUs in force, v1.4.3 needs listed admins.
			fc.Admins = [][]byte{pemCert(org1.Admin.Cert)}
			fc.FabricNodeOus.ClientOuIdentifier.Certificate = clientCA
		}
	}
	t.Run("control: disabled NodeOUs naming the MSP's CA", func(t *testing.T) {
		want := protoCloneConfig(s)
		editMSP(t, want, "Org1MSP", edit(org1.CA.PEM()))
		b1, _ := s.updateBlock(t, 1, nil, want, []*fabrictest.Identity{org1.Admin})
		if _, _, err := fabric.VerifyChain(s.tc, [][]byte{b1}); err != nil {
			t.Fatalf("refused a config Fabric accepts: %v", err)
		}
	})
	t.Run("disabled NodeOUs naming a foreign CA", func(t *testing.T) {
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted disabled NodeOUs whose client OU names a CA outside the MSP; Fabric's setupNodeOUsV142 fails", edit(stranger.PEM()))
	})
	t.Run("disabled NodeOUs with a certificate that is not PEM", func(t *testing.T) {
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted disabled NodeOUs whose client OU certificate is not PEM; Fabric's getCertFromPem fails", edit([]byte("not a certificate")))
	})
}

// TestAtk3OUIdentifierWithoutCertificate: setupOUs calls
// getCertifiersIdentifier(ou.Certificate) for every
// OrganizationalUnitIdentifier, and getCertFromPem fails on a missing
// certificate ("nil idBytes"), so such an MSP cannot be set up. The
// verifier reads a missing certificate as "any CA" and installs it.
func TestAtk3OUIdentifierWithoutCertificate(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an OU identifier without a certificate; Fabric's setupOUs fails", func(fc *mspb.FabricMSPConfig) {
		fc.OrganizationalUnitIdentifiers = []*mspb.FabricOUIdentifier{{OrganizationalUnitIdentifier: fabrictest.OUPeer}}
	})
}

// TestAtk3CRLFabricCannotParse: Fabric reads revocation lists with the
// deprecated x509.ParseCRL (setupCRLs), which takes PEM only when the
// bytes start with "-----BEGIN X509 CRL" and the block type is "X509
// CRL", and otherwise parses the bytes as DER; ParseDERCRL also refuses
// trailing data after the CRL. Either failure fails the MSP setup. The
// verifier takes the first PEM block of any type (pemBlock) and parses it
// with x509.ParseRevocationList, which ignores trailing bytes.
func TestAtk3CRLFabricCannotParse(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	crl, err := org1.CA.RevocationList(org1.Peers[len(org1.Peers)-1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x509.ParseCRL(pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl})); err != nil {
		t.Fatalf("control: %v", err)
	}
	for _, c := range []struct {
		name string
		pem  []byte
	}{
		{"CRL in a CERTIFICATE PEM block", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: crl})},
		{"text before the PEM block", append([]byte("revocation list\n"), pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl})...)},
		{"trailing data after the CRL", pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: append(append([]byte{}, crl...), 0)})},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := x509.ParseCRL(c.pem); err == nil {
				t.Fatal("control: x509.ParseCRL parsed it")
			}
			s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP revocation list that Fabric's x509.ParseCRL cannot parse", func(fc *mspb.FabricMSPConfig) {
				fc.RevocationList = [][]byte{c.pem}
			})
		})
	}
}

// TestAtk3MSPFieldsSetupChecks: parts of FabricMSPConfig the verifier
// does not keep are still checked by Fabric's MSP setup, which refuses
// the MSP when they are wrong: TLS root and intermediate certificates
// (setupTLSCAs: PEM, IsCA, SKI, a valid chain, not revoked), and the
// identity identifier hash function (newIdentity → bccsp.GetHashOpt, for
// the very first root). The verifier installs such an MSP.
func TestAtk3MSPFieldsSetupChecks(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	t.Run("TLS root that is not a CA", func(t *testing.T) {
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP whose TLS root certificate is not a CA; Fabric's setupTLSCAs fails", func(fc *mspb.FabricMSPConfig) {
			fc.TlsRootCerts = [][]byte{pemCert(org1.Peer().Cert)}
		})
	})
	t.Run("TLS root that is not a certificate", func(t *testing.T) {
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP whose TLS root certificate is not PEM; Fabric's setupTLSCAs fails", func(fc *mspb.FabricMSPConfig) {
			fc.TlsRootCerts = [][]byte{[]byte("garbage")}
		})
	})
	t.Run("unknown identity identifier hash function", func(t *testing.T) {
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP whose identity identifier hash function is MD5; Fabric's newIdentity fails", func(fc *mspb.FabricMSPConfig) {
			fc.CryptoConfig.IdentityIdentifierHashFunction = "MD5"
		})
	})
}

func protoCloneConfig(s *synth) *cb.Config {
	return proto.Clone(s.net.Current).(*cb.Config)
}

// atk3RespellKey returns c re-signed by key with its SubjectPublicKeyInfo
// spelled differently: the same key, with a NULL after the named curve
// in the algorithm identifier, which Go's parser ignores (parseAI reads
// one parameter element and no further).
func atk3RespellKey(t *testing.T, c *x509.Certificate, key *ecdsa.PrivateKey) *x509.Certificate {
	t.Helper()
	spki := cryptobyte.String(c.RawSubjectPublicKeyInfo)
	var spkiBody, alg, algBody, bits cryptobyte.String
	if !spki.ReadASN1(&spkiBody, cbasn1.SEQUENCE) || !spkiBody.ReadASN1Element(&alg, cbasn1.SEQUENCE) ||
		!spkiBody.ReadASN1Element(&bits, cbasn1.BIT_STRING) {
		t.Fatal("SPKI does not parse")
	}
	algIn := alg
	if !algIn.ReadASN1(&algBody, cbasn1.SEQUENCE) {
		t.Fatal("SPKI algorithm does not parse")
	}
	var nb cryptobyte.Builder
	nb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddBytes(algBody)
			b.AddBytes([]byte{0x05, 0x00})
		})
		b.AddBytes(bits)
	})
	newSPKI := nb.BytesOrPanic()
	tbsIn := cryptobyte.String(c.RawTBSCertificate)
	var tbsBody cryptobyte.String
	if !tbsIn.ReadASN1(&tbsBody, cbasn1.SEQUENCE) {
		t.Fatal("TBS does not parse")
	}
	body := bytes.Replace(tbsBody, c.RawSubjectPublicKeyInfo, newSPKI, 1)
	var tb cryptobyte.Builder
	tb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddBytes(body) })
	tbs := tb.BytesOrPanic()
	outer := cryptobyte.String(c.Raw)
	var outerBody, oldTBS, sigAlg cryptobyte.String
	if !outer.ReadASN1(&outerBody, cbasn1.SEQUENCE) || !outerBody.ReadASN1Element(&oldTBS, cbasn1.SEQUENCE) ||
		!outerBody.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE) {
		t.Fatal("certificate does not parse")
	}
	digest := sha256.Sum256(tbs)
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	var cb2 cryptobyte.Builder
	cb2.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(sigAlg)
		b.AddASN1BitString(sig)
	})
	out, err := x509.ParseCertificate(cb2.BytesOrPanic())
	if err != nil {
		t.Fatal(err)
	}
	if !key.PublicKey.Equal(out.PublicKey) || bytes.Equal(out.RawSubjectPublicKeyInfo, c.RawSubjectPublicKeyInfo) {
		t.Fatal("control: respelling changed the key or nothing")
	}
	return out
}

// TestAtk3CRLIssuerKeyUsage: Fabric checks a CRL against the CA that
// issued the certificate under validation with
// validationChain[1].CheckCRLSignature (validateCertAgainstChain): the
// CRL's AKI must equal that CA's SKI and the CA's key must verify the
// CRL; the CA's key usage is not read. The verifier keeps a CRL's
// entries under the SPKI bytes of the CAs for which
// RevocationList.CheckSignatureFrom succeeds, which also demands the
// cRLSign key usage, and looks them up under the issuer's SPKI bytes.
// A CA without cRLSign whose key also has a certificate with cRLSign,
// its SubjectPublicKeyInfo spelled differently (Go parses both to the
// same key), lets a peer that the CA revoked keep endorsing.
func TestAtk3CRLIssuerKeyUsage(t *testing.T) {
	setup := func(t *testing.T, issuerUsage x509.KeyUsage) (*synth, *fabrictest.Identity) {
		n, err := fabrictest.NewNetwork(fabrictest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		org1 := n.AppOrgs[0]
		key := atk2Key(t)
		ski := []byte("shared-ski-of-ca1-and-ca2")
		ca := func(cn string, usage x509.KeyUsage) *x509.Certificate {
			return atk2Issue(t, &x509.Certificate{
				SerialNumber:          atk2Serial(t),
				Subject:               pkix.Name{Organization: []string{"Org1MSP"}, CommonName: cn},
				NotBefore:             atk2NotBefore,
				NotAfter:              atk2NotBefore.AddDate(10, 0, 0),
				KeyUsage:              usage,
				BasicConstraintsValid: true,
				IsCA:                  true,
				SubjectKeyId:          ski,
			}, nil, &key.PublicKey, key)
		}
		ca1 := ca("ca1.Org1MSP", issuerUsage)
		ca2 := atk3RespellKey(t, ca("ca2.Org1MSP", x509.KeyUsageCertSign|x509.KeyUsageCRLSign), key)
		if ca2.CheckSignatureFrom(ca2) != nil {
			t.Fatal("control: ca2 is not self-signed")
		}
		peer := atk2Leaf(t, "Org1MSP", ca1, key, "peer1.Org1MSP", []string{fabrictest.OUPeer}, nil)
		crl, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
			Number:                    big.NewInt(1),
			ThisUpdate:                atk2NotBefore,
			NextUpdate:                atk2NotBefore.AddDate(1, 0, 0),
			RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: peer.Cert.SerialNumber, RevocationTime: atk2NotBefore}},
		}, ca2, key)
		if err != nil {
			t.Fatal(err)
		}
		// Fabric's check: AKI = SKI of ca1, and ca1's key verifies it.
		parsed, err := x509.ParseCRL(crl)
		if err != nil {
			t.Fatal(err)
		}
		if err := ca1.CheckCRLSignature(parsed); err != nil {
			t.Fatalf("control: ca1 does not verify the CRL as Fabric checks it: %v", err)
		}
		org1.CRLs = [][]byte{crl}
		s := genesisWith(t, n, func(cfg *cb.Config) {
			editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
				fc.RootCerts = append(fc.RootCerts, pemCert(ca1), pemCert(ca2))
				for _, o := range []*mspb.FabricOUIdentifier{fc.FabricNodeOus.ClientOuIdentifier, fc.FabricNodeOus.PeerOuIdentifier,
					fc.FabricNodeOus.AdminOuIdentifier, fc.FabricNodeOus.OrdererOuIdentifier} {
					o.Certificate = nil
				}
			})
		})
		return s, peer
	}
	t.Run("control: issuing CA with cRLSign", func(t *testing.T) {
		s, peer := setup(t, x509.KeyUsageCertSign|x509.KeyUsageCRLSign)
		s.checkPolicies(t, []policyCase{{"revoked peer", []*fabrictest.Identity{peer}, "OR('Org1MSP.peer')", fabric.ErrCertChain}})
	})
	t.Run("issuing CA without cRLSign", func(t *testing.T) {
		s, peer := setup(t, x509.KeyUsageCertSign|x509.KeyUsageDigitalSignature)
		s.checkPolicies(t, []policyCase{{"revoked peer", []*fabrictest.Identity{peer}, "OR('Org1MSP.peer')", fabric.ErrCertChain}})
	})
}
