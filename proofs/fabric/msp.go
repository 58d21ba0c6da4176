package fabric

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspb "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/internal/boundedcache"
)

// mspState is the part of an MSP definition (msp.FabricMSPConfig) that
// identity validation uses, in the JSON form of a TrustedConfig.
// Certificates and CRLs are DER. TLS CAs, the signing identity and the
// identity identifier hash are not kept: verification does not use them.
type mspState struct {
	ID            string        `json:"id"`
	Roots         [][]byte      `json:"roots"`
	Intermediates [][]byte      `json:"intermediates,omitempty"`
	Admins        [][]byte      `json:"admins,omitempty"`
	CRLs          [][]byte      `json:"crls,omitempty"`
	OUs           []ouState     `json:"ous,omitempty"`
	NodeOUs       *nodeOUsState `json:"node_ous,omitempty"`
	HashFamily    string        `json:"hash,omitempty"`
}

// ouState is an organizational unit identifier: an OU name and, optionally,
// the CA (SHA-256 of its DER, one of the MSP's CAs) that must have issued
// the identity.
type ouState struct {
	OU string   `json:"ou"`
	CA hexBytes `json:"ca,omitempty"`
}

// nodeOUsState is an MSP's NodeOUs config when it is enabled; a role whose
// identifier is absent cannot be held by anyone.
type nodeOUsState struct {
	Client  *ouState `json:"client,omitempty"`
	Peer    *ouState `json:"peer,omitempty"`
	Admin   *ouState `json:"admin,omitempty"`
	Orderer *ouState `json:"orderer,omitempty"`
}

// mspVersion is the MSP behaviour of a channel, which Fabric selects by
// the channel capability (capabilities.ChannelProvider.MSPVersion). What
// differs between versions, for this package, is the node OUs:
//   - v1.0 ignores NodeOUs: no identity holds the client, peer or orderer
//     role, and admins are the MSP's listed admin certificates;
//   - v1.1 and v1.3 have two node OUs, client and peer: a valid identity
//     carries exactly one of them, the admin and orderer OUs mean nothing,
//     admins are the listed certificates, and no one holds the orderer
//     role;
//   - v1.4.3 and v3.0 have four: client, peer, admin and orderer; a valid
//     identity carries exactly one, and the admin OU makes an admin.
//
// v1.3 also adds combined and anonymity principals, and v3.0 Ed25519
// keys; this package supports neither, so a policy or an identity that
// uses them is refused under every version.
type mspVersion uint8

const (
	mspV1_0 mspVersion = iota
	mspV1_1
	mspV1_3
	mspV1_4_3
	mspV3_0
)

// mspVersions names the versions as configState.MSPVersion spells them.
var mspVersions = map[string]mspVersion{"1.0": mspV1_0, "1.1": mspV1_1, "1.3": mspV1_3, "1.4.3": mspV1_4_3, "3.0": mspV3_0}

// channelCaps is what the channel capability decides for this package.
type channelCaps struct {
	msp string // the MSP version, a key of mspVersions
	// orgEndpoints: orderer orgs name their own endpoints (V1_4_2 and
	// later); below, the global OrdererAddresses are required.
	orgEndpoints bool
	// bft: V3_0, the only capability under which Fabric runs BFT
	// consensus and verifies BFT block signatures.
	bft bool
}

// channelCapabilities reads the channel capabilities v
// (/Channel/Capabilities, nil when the config has none) as
// capabilities.ChannelProvider does. Like a peer, it refuses a capability
// it does not know.
func channelCapabilities(v *cb.ConfigValue) (channelCaps, error) {
	has := map[string]bool{}
	if v != nil {
		var c cb.Capabilities
		if err := proto.Unmarshal(v.GetValue(), &c); err != nil {
			return channelCaps{}, fmt.Errorf("channel capabilities: %v", err)
		}
		for name := range c.GetCapabilities() {
			switch name {
			case "V1_1", "V1_3", "V1_4_2", "V1_4_3", "V2_0", "V3_0":
				has[name] = true
			default:
				return channelCaps{}, fmt.Errorf("channel capability %q is required but not supported", name)
			}
		}
	}
	caps := channelCaps{
		orgEndpoints: has["V1_4_2"] || has["V1_4_3"] || has["V2_0"] || has["V3_0"],
		bft:          has["V3_0"],
	}
	switch {
	case has["V3_0"]:
		caps.msp = "3.0"
	case has["V1_4_3"] || has["V2_0"]:
		caps.msp = "1.4.3"
	case has["V1_3"] || has["V1_4_2"]:
		caps.msp = "1.3"
	case has["V1_1"]:
		caps.msp = "1.1"
	default:
		caps.msp = "1.0"
	}
	return caps, nil
}

// effectiveNodeOUs returns the node OUs an MSP enforces under version v
// (nil: none, NodeOUs are off) and a lookup of them by OU name. When two
// share a name, v1.1 takes client before peer (the order of its switch)
// and v1.4.3 the last of client, peer, admin, orderer (the map
// validateIdentityOUsV142 builds).
func effectiveNodeOUs(st *mspState, v mspVersion) (*nodeOUsState, map[string]*ouState, error) {
	n := st.NodeOUs
	switch {
	case n == nil || v == mspV1_0:
		return nil, nil, nil
	case v < mspV1_4_3:
		if n.Client == nil || n.Client.OU == "" || n.Peer == nil || n.Peer.OU == "" {
			// Fabric's setupNodeOUs fails: the MSP cannot be set up.
			return nil, nil, fmt.Errorf("MSP %s: NodeOUs without a client and a peer OU, which MSP v1.1 and v1.3 require", st.ID)
		}
		return &nodeOUsState{Client: n.Client, Peer: n.Peer}, map[string]*ouState{n.Peer.OU: n.Peer, n.Client.OU: n.Client}, nil
	case n.Client == nil && n.Peer == nil && n.Admin == nil && n.Orderer == nil:
		// setupNodeOUsV142 turns enforcement off.
		return nil, nil, nil
	}
	byName := map[string]*ouState{}
	for _, o := range []*ouState{n.Client, n.Peer, n.Admin, n.Orderer} {
		if o != nil {
			byName[o.OU] = o
		}
	}
	return n, byName, nil
}

// mspVerifier validates identities of one MSP. It is built once from an
// mspState and never changes, apart from ids, its own cache of the
// identities it validated.
type mspVerifier struct {
	id      string
	opts    x509.VerifyOptions
	caFP    map[[32]byte]bool
	rootFP  map[[32]byte]bool
	admins  map[[32]byte]bool
	revoked map[revokedKey]bool
	// internal holds the SHA-256 of the CAs above an intermediate, which
	// issue no identity.
	internal map[[32]byte]bool
	// ouChains maps the SHA-256 of a CA named by an OU identifier to the
	// identifier of its chain (chainID), which an identity's must equal.
	ouChains map[[32]byte][32]byte
	ous      []ouState
	// nodeOUs are the node OUs the MSP enforces under the channel's MSP
	// version (nil: none), nodeOUByName the same by OU name.
	nodeOUs      *nodeOUsState
	nodeOUByName map[string]*ouState
	hash         hashFamily
	// ids caches the identities that validated, keyed by their whole
	// DER. validate is a pure function of the MSP and the certificate
	// (chains are checked at the certificate's own NotBefore, not at a
	// clock), so a hit gives what validating again would; failures are
	// not cached, so junk cannot evict anything.
	ids *boundedcache.Bytes[*identity]
}

// maxCachedIdentities bounds each MSP's identity cache (two generations of
// this many; an identity with its parsed certificate takes about 3 KB).
const maxCachedIdentities = 512

// revokedKey names a revoked certificate as Fabric finds it
// (validateCertAgainstChain): by the key of the CA that signed the CRL
// (keyID: every certificate of that key,
// a renewed one too, signs the same CRLs), the CRL's authority key
// identifier (which must be the issuer's subject key identifier), and the
// certificate's serial number.
type revokedKey struct {
	caKey  [32]byte
	aki    string
	serial string
}

// revokedBy is the revokedKey of cert as issued by issuer.
func revokedBy(cert, issuer *x509.Certificate) revokedKey {
	return revokedKey{keyID(issuer), string(issuer.SubjectKeyId), cert.SerialNumber.String()}
}

// keyID identifies a certificate's public key: SHA-256 of its key
// re-encoded, so that two encodings of one key are one key.
func keyID(c *x509.Certificate) [32]byte {
	der, err := x509.MarshalPKIXPublicKey(c.PublicKey)
	if err != nil {
		return sha256.Sum256(c.RawSubjectPublicKeyInfo)
	}
	return sha256.Sum256(der)
}

// mspExtras are the parts of an MSP definition that verification does not
// use but Fabric's MSP setup checks (and refuses the MSP for): see
// checkSetup.
type mspExtras struct {
	disabledNodeOUs  [][]byte // OU certificates of NodeOUs that are off
	tlsRoots, tlsInt [][]byte // TLS CA certificates
}

// identityHashes are the identity identifier hash functions Fabric knows
// (bccsp.GetHashOpt).
var identityHashes = []string{"", "SHA256", "SHA384", "SHA3_256", "SHA3_384"}

// mspStateFromProto extracts an mspState from an msp.MSPConfig, for a
// channel of MSP version v, and the extras checkSetup needs. It returns
// ok=false for an MSP type this package does not verify (Idemix).
func mspStateFromProto(b []byte, v mspVersion) (st mspState, ex mspExtras, ok bool, err error) {
	var mc mspb.MSPConfig
	if err := proto.Unmarshal(b, &mc); err != nil {
		return st, ex, false, fmt.Errorf("MSP value: %v", err)
	}
	if mc.GetType() != 0 { // 0 = FABRIC (X.509); 1 = IDEMIX
		var ic mspb.IdemixMSPConfig
		if err := proto.Unmarshal(mc.GetConfig(), &ic); err != nil || ic.GetName() == "" {
			return st, ex, false, fmt.Errorf("MSP of type %d without a name", mc.GetType())
		}
		st.ID = ic.GetName()
		return st, ex, false, nil
	}
	var fc mspb.FabricMSPConfig
	if err := proto.Unmarshal(mc.GetConfig(), &fc); err != nil {
		return st, ex, false, fmt.Errorf("FabricMSPConfig: %v", err)
	}
	st.ID = fc.GetName()
	if n := fc.GetFabricNodeOus(); n != nil && (v == mspV1_1 || v == mspV1_3) &&
		(n.GetClientOuIdentifier().GetOrganizationalUnitIdentifier() == "" || n.GetPeerOuIdentifier().GetOrganizationalUnitIdentifier() == "") {
		// setupNodeOUs fails, enabled or not: the MSP cannot be set up.
		return st, ex, false, fmt.Errorf("MSP %s: NodeOUs without a client and a peer OU, which MSP v1.1 and v1.3 require", st.ID)
	}
	certs := func(what string, in [][]byte) ([][]byte, error) {
		var out [][]byte
		for i, p := range in {
			der, err := pemBlock(p, "")
			if err != nil {
				return nil, fmt.Errorf("MSP %s: %s %d: %v", st.ID, what, i, err)
			}
			out = append(out, der)
		}
		return out, nil
	}
	if st.Roots, err = certs("root cert", fc.GetRootCerts()); err != nil {
		return st, ex, false, err
	}
	if st.Intermediates, err = certs("intermediate cert", fc.GetIntermediateCerts()); err != nil {
		return st, ex, false, err
	}
	if st.Admins, err = certs("admin cert", fc.GetAdmins()); err != nil {
		return st, ex, false, err
	}
	for i, b := range fc.GetRevocationList() {
		der, err := crlDER(b)
		if err != nil {
			return st, ex, false, fmt.Errorf("MSP %s: revocation list %d: %v", st.ID, i, err)
		}
		st.CRLs = append(st.CRLs, der)
	}
	ou := func(o *mspb.FabricOUIdentifier) (*ouState, error) {
		if o == nil {
			return nil, nil
		}
		s := &ouState{OU: o.GetOrganizationalUnitIdentifier()}
		if len(o.GetCertificate()) > 0 {
			der, err := pemBlock(o.GetCertificate(), "")
			if err != nil {
				return nil, fmt.Errorf("MSP %s: OU %q certificate: %v", st.ID, s.OU, err)
			}
			fp := sha256.Sum256(der)
			s.CA = fp[:]
		}
		return s, nil
	}
	for _, o := range fc.GetOrganizationalUnitIdentifiers() {
		if len(o.GetCertificate()) == 0 {
			// setupOUs: an OU identifier names the CA that issues it.
			return st, ex, false, fmt.Errorf("MSP %s: OU %q names no CA certificate", st.ID, o.GetOrganizationalUnitIdentifier())
		}
		s, err := ou(o)
		if err != nil {
			return st, ex, false, err
		}
		st.OUs = append(st.OUs, *s)
	}
	if n := fc.GetFabricNodeOus(); n != nil && !n.GetEnable() && v >= mspV1_1 {
		// setupNodeOUs checks the certificates of NodeOUs that are off.
		ids := []*mspb.FabricOUIdentifier{n.GetClientOuIdentifier(), n.GetPeerOuIdentifier()}
		if v >= mspV1_4_3 {
			ids = append(ids, n.GetAdminOuIdentifier(), n.GetOrdererOuIdentifier())
		}
		for _, o := range ids {
			if c := o.GetCertificate(); len(c) > 0 {
				ex.disabledNodeOUs = append(ex.disabledNodeOUs, c)
			}
		}
	}
	ex.tlsRoots, ex.tlsInt = fc.GetTlsRootCerts(), fc.GetTlsIntermediateCerts()
	if n := fc.GetFabricNodeOus(); n.GetEnable() {
		st.NodeOUs = &nodeOUsState{}
		for _, x := range []struct {
			dst **ouState
			src *mspb.FabricOUIdentifier
		}{
			{&st.NodeOUs.Client, n.GetClientOuIdentifier()},
			{&st.NodeOUs.Peer, n.GetPeerOuIdentifier()},
			{&st.NodeOUs.Admin, n.GetAdminOuIdentifier()},
			{&st.NodeOUs.Orderer, n.GetOrdererOuIdentifier()},
		} {
			if *x.dst, err = ou(x.src); err != nil {
				return st, ex, false, err
			}
		}
	}
	if cc := fc.GetCryptoConfig(); cc != nil {
		if !slices.Contains(identityHashes, cc.GetIdentityIdentifierHashFunction()) {
			return st, ex, false, fmt.Errorf("MSP %s: identity identifier hash function %q is not one Fabric knows", st.ID, cc.GetIdentityIdentifierHashFunction())
		}
		st.HashFamily = cc.GetSignatureHashFamily()
		if st.HashFamily == "SHA2" {
			st.HashFamily = ""
		}
	}
	return st, ex, true, nil
}

// crlDER reads a revocation list as Fabric's x509.ParseCRL does: an
// "X509 CRL" PEM block when the bytes start with one, else DER, with
// nothing after the list.
func crlDER(b []byte) ([]byte, error) {
	der := b
	if bytes.HasPrefix(b, []byte("-----BEGIN X509 CRL")) {
		blk, _ := pem.Decode(b)
		if blk == nil || blk.Type != "X509 CRL" {
			return nil, errors.New("malformed X509 CRL PEM block")
		}
		der = blk.Bytes
	}
	in := cryptobyte.String(der)
	var list cryptobyte.String
	if !in.ReadASN1Element(&list, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, errors.New("not one DER certificate list")
	}
	return der, nil
}

// checkSetup applies the checks of Fabric's MSP setup to what m does not
// keep (ex): the certificates of NodeOUs that are off must name CAs of the
// MSP that OU identifiers may name; TLS CAs must be CAs with a subject key
// identifier, chain to the TLS roots and not be revoked.
func (m *mspVerifier) checkSetup(ex mspExtras) error {
	for i, b := range ex.disabledNodeOUs {
		der, err := pemBlock(b, "")
		if err != nil {
			return fmt.Errorf("MSP %s: NodeOU certificate %d: %v", m.id, i, err)
		}
		fp := sha256.Sum256(der)
		if !m.caFP[fp] {
			return fmt.Errorf("MSP %s: NodeOU certificate %d is not one of its CAs", m.id, i)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("MSP %s: NodeOU certificate %d: %v", m.id, i, err)
		}
		if _, err := m.certifiersOf(c); err != nil {
			return fmt.Errorf("MSP %s: NodeOU certificate %d: %v", m.id, i, err)
		}
	}
	opts := x509.VerifyOptions{Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool()}
	var tls []*x509.Certificate
	for k, set := range [][][]byte{ex.tlsRoots, ex.tlsInt} {
		for i, b := range set {
			der, err := pemBlock(b, "")
			if err != nil {
				return fmt.Errorf("MSP %s: TLS CA %d: %v", m.id, i, err)
			}
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return fmt.Errorf("MSP %s: TLS CA %d: %v", m.id, i, err)
			}
			if k == 0 {
				opts.Roots.AddCert(c)
			} else {
				opts.Intermediates.AddCert(c)
			}
			tls = append(tls, c)
		}
	}
	for _, c := range tls {
		if !c.IsCA || len(c.SubjectKeyId) == 0 {
			return fmt.Errorf("MSP %s: TLS CA %s is not a CA with a subject key identifier", m.id, c.Subject)
		}
		o := opts
		o.CurrentTime = c.NotBefore.Add(time.Second)
		chains, err := c.Verify(o)
		if err != nil || len(chains) != 1 {
			return fmt.Errorf("MSP %s: TLS CA %s does not have exactly one valid chain", m.id, c.Subject)
		}
		if ch := chains[0]; len(ch) >= 2 && m.revoked[revokedBy(ch[0], ch[1])] {
			return fmt.Errorf("MSP %s: TLS CA %s is revoked", m.id, c.Subject)
		}
	}
	return nil
}

// pemBlock returns the DER bytes of the first PEM block of b (of type typ
// if typ is set).
func pemBlock(b []byte, typ string) ([]byte, error) {
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, errors.New("not PEM")
	}
	if typ != "" && blk.Type != typ {
		return nil, fmt.Errorf("PEM block is %q, want %q", blk.Type, typ)
	}
	return blk.Bytes, nil
}

// newMSPVerifier checks an mspState and prepares it for validation under
// MSP version v.
func newMSPVerifier(st *mspState, v mspVersion) (*mspVerifier, error) {
	if st.ID == "" {
		return nil, errors.New("MSP without a name")
	}
	if len(st.Roots) == 0 {
		return nil, fmt.Errorf("MSP %s has no root CA", st.ID)
	}
	hf, err := parseHashFamily(st.HashFamily)
	if err != nil {
		return nil, fmt.Errorf("MSP %s: %v", st.ID, err)
	}
	nodeOUs, byName, err := effectiveNodeOUs(st, v)
	if err != nil {
		return nil, err
	}
	m := &mspVerifier{
		id:           st.ID,
		caFP:         map[[32]byte]bool{},
		rootFP:       map[[32]byte]bool{},
		admins:       map[[32]byte]bool{},
		revoked:      map[revokedKey]bool{},
		ous:          st.OUs,
		nodeOUs:      nodeOUs,
		hash:         hf,
		nodeOUByName: byName,
		ids:          boundedcache.NewBytes[*identity](maxCachedIdentities),
	}
	// No KeyUsages, as in Fabric: Go then requires serverAuth (or any)
	// of a certificate that lists extended key usages.
	m.opts = x509.VerifyOptions{
		Roots:         x509.NewCertPool(),
		Intermediates: x509.NewCertPool(),
	}
	var cas []*x509.Certificate
	for i, der := range st.Roots {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("MSP %s: root cert %d: %v", st.ID, i, err)
		}
		m.opts.Roots.AddCert(c)
		fp := sha256.Sum256(der)
		m.rootFP[fp], m.caFP[fp] = true, true
		cas = append(cas, c)
	}
	var intermediates []*x509.Certificate
	for i, der := range st.Intermediates {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("MSP %s: intermediate cert %d: %v", st.ID, i, err)
		}
		m.opts.Intermediates.AddCert(c)
		m.caFP[sha256.Sum256(der)] = true
		cas = append(cas, c)
		intermediates = append(intermediates, c)
	}
	for i, der := range st.CRLs {
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			return nil, fmt.Errorf("MSP %s: revocation list %d: %v", st.ID, i, err)
		}
		if len(crl.AuthorityKeyId) == 0 {
			// Fabric then fails every identity validation of the MSP.
			return nil, fmt.Errorf("MSP %s: revocation list %d has no authority key identifier", st.ID, i)
		}
		signed := false
		for _, ca := range cas {
			// As Fabric's CheckCRLSignature: the signature, whatever the
			// CA's key usage.
			if bytes.Equal(ca.SubjectKeyId, crl.AuthorityKeyId) && ca.CheckSignature(crl.SignatureAlgorithm, crl.RawTBSRevocationList, crl.Signature) == nil {
				signed = true
				for _, e := range crl.RevokedCertificateEntries {
					m.revoked[revokedKey{keyID(ca), string(crl.AuthorityKeyId), e.SerialNumber.String()}] = true
				}
			}
		}
		if !signed {
			return nil, fmt.Errorf("MSP %s: revocation list %d is not signed by one of its CAs", st.ID, i)
		}
	}
	if err := m.setupCAs(cas, intermediates); err != nil {
		return nil, err
	}
	byFP := map[[32]byte]*x509.Certificate{}
	for _, c := range cas {
		byFP[sha256.Sum256(c.Raw)] = c
	}
	m.ouChains = map[[32]byte][32]byte{}
	checkOU := func(o *ouState) error {
		if o == nil || len(o.CA) == 0 {
			return nil
		}
		if len(o.CA) != 32 || !m.caFP[[32]byte(o.CA)] {
			return fmt.Errorf("MSP %s: OU %q names a CA (%x) that is not one of its CAs", st.ID, o.OU, o.CA)
		}
		id, err := m.certifiersOf(byFP[[32]byte(o.CA)])
		if err != nil {
			return fmt.Errorf("MSP %s: OU %q: %v", st.ID, o.OU, err)
		}
		m.ouChains[[32]byte(o.CA)] = id
		return nil
	}
	for i := range st.OUs {
		if err := checkOU(&st.OUs[i]); err != nil {
			return nil, err
		}
	}
	if n := st.NodeOUs; n != nil {
		for _, o := range []*ouState{n.Client, n.Peer, n.Admin, n.Orderer} {
			if err := checkOU(o); err != nil {
				return nil, err
			}
		}
	}
	if err := m.setupAdmins(st.Admins, v); err != nil {
		return nil, err
	}
	return m, nil
}

// chain returns cert's certification chain as Fabric's MSP builds it
// (getUniqueValidationChain): verified one second after its NotBefore,
// exactly one chain, and Go 1.14's rule for name constraints, which Fabric
// keeps: a leaf without a subject alternative name whose common name is a
// hostname is invalid under a CA with name constraints.
func (m *mspVerifier) chain(cert *x509.Certificate) ([]*x509.Certificate, error) {
	opts := m.opts
	opts.CurrentTime = cert.NotBefore.Add(time.Second)
	chains, err := cert.Verify(opts)
	if err != nil {
		return nil, reason(ErrCertChain, "%s: %v", m.id, err)
	}
	if len(chains) != 1 {
		return nil, reason(ErrCertChain, "%s: %d validation chains, Fabric requires exactly one", m.id, len(chains))
	}
	chain := chains[0]
	if len(chain) >= 2 && !hasExtension(chain[0], oidSubjectAltName) && legacyHostname(chain[0].Subject.CommonName) {
		for _, c := range chain[1:] {
			if hasExtension(c, oidNameConstraints) {
				return nil, reason(ErrCertChain, "%s: %s has no subject alternative name and a hostname as common name, under a CA with name constraints", m.id, chain[0].Subject)
			}
		}
	}
	return chain, nil
}

// leafChain is the chain of an identity certificate: not a CA, and issued
// by a leaf of the MSP's certification tree (a CA above one of its
// intermediates issues no identity; Fabric's getValidationChain).
func (m *mspVerifier) leafChain(cert *x509.Certificate) ([]*x509.Certificate, error) {
	if cert.IsCA {
		return nil, reason(ErrCertChain, "a CA certificate cannot be an identity")
	}
	chain, err := m.chain(cert)
	if err != nil {
		return nil, err
	}
	if len(chain) < 2 {
		return nil, reason(ErrCertChain, "%s: empty validation chain", m.id)
	}
	if m.internal[sha256.Sum256(chain[1].Raw)] {
		return nil, reason(ErrCertChain, "%s: %s is issued by %s, which is not a leaf of the MSP's certification tree", m.id, cert.Subject, chain[1].Subject)
	}
	return chain, nil
}

// setupCAs checks the MSP's CAs as Fabric's MSP setup does
// (finalizeSetupCAs), which refuses the whole MSP when one fails: each is a
// CA with a subject key identifier; each intermediate chains to the roots
// and is not revoked. It then marks the CAs above an intermediate as
// internal nodes of the certification tree.
func (m *mspVerifier) setupCAs(cas, intermediates []*x509.Certificate) error {
	for _, c := range cas {
		if !c.IsCA {
			return fmt.Errorf("MSP %s: CA certificate %s does not have the CA attribute", m.id, c.Subject)
		}
		if len(c.SubjectKeyId) == 0 {
			return fmt.Errorf("MSP %s: CA certificate %s has no subject key identifier", m.id, c.Subject)
		}
		if m.rootFP[sha256.Sum256(c.Raw)] {
			// Fabric puts a root in canonical form only when it signed
			// itself, and validates it at its NotBefore.
			if isECDSASigned(c) && c.CheckSignatureFrom(c) != nil {
				return fmt.Errorf("MSP %s: root CA %s is not self-signed", m.id, c.Subject)
			}
			if _, err := m.chain(c); err != nil {
				return fmt.Errorf("MSP %s: root CA %s: %v", m.id, c.Subject, err)
			}
		}
	}
	m.internal = map[[32]byte]bool{}
	for _, c := range intermediates {
		chain, err := m.chain(c)
		if err != nil {
			return fmt.Errorf("MSP %s: intermediate CA %s: %v", m.id, c.Subject, err)
		}
		if len(chain) >= 2 && m.revoked[revokedBy(chain[0], chain[1])] {
			return fmt.Errorf("MSP %s: intermediate CA %s is revoked", m.id, c.Subject)
		}
		for _, p := range chain[1:] {
			m.internal[sha256.Sum256(p.Raw)] = true
		}
	}
	return nil
}

// certifiersOf is the identifier of the chain of a CA named by an OU
// identifier (Fabric's getCertifiersIdentifier): the root alone for a
// root; for an intermediate, its chain, and it must be a leaf of the
// certification tree.
func (m *mspVerifier) certifiersOf(ca *x509.Certificate) ([32]byte, error) {
	if m.rootFP[sha256.Sum256(ca.Raw)] {
		return chainID([]*x509.Certificate{ca}), nil
	}
	chain, err := m.chain(ca)
	if err != nil {
		return [32]byte{}, err
	}
	if m.internal[sha256.Sum256(ca.Raw)] {
		return [32]byte{}, fmt.Errorf("CA %s issues intermediates: it is not a leaf of the certification tree", ca.Subject)
	}
	return chainID(chain), nil
}

// chainID identifies a chain of certificates: SHA-256 over their DER in
// order. (Fabric hashes with the MSP's identity identifier hash function;
// only equality matters here.)
func chainID(chain []*x509.Certificate) [32]byte {
	h := sha256.New()
	for _, c := range chain {
		h.Write(c.Raw)
	}
	return [32]byte(h.Sum(nil))
}

var (
	oidSubjectAltName  = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidNameConstraints = asn1.ObjectIdentifier{2, 5, 29, 30}
)

func hasExtension(c *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	return slices.ContainsFunc(c.Extensions, func(e pkix.Extension) bool { return e.Id.Equal(oid) })
}

// legacyHostname reports whether Go 1.14 took s for a hostname: dot
// separated non-empty labels of letters, digits, '-' (not first), '_' and
// ':', the first label possibly a lone '*', one trailing dot allowed.
func legacyHostname(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return false
	}
	for i, label := range strings.Split(s, ".") {
		if label == "" {
			return false
		}
		if i == 0 && label == "*" {
			continue
		}
		for j, c := range label {
			ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
				c == '-' && j > 0 || c == '_' || c == ':'
			if !ok {
				return false
			}
		}
	}
	return true
}

// setupAdmins checks the MSP's listed admin certificates as Fabric's MSP
// setup does under version v, which refuses the whole MSP (and so the
// config) when one fails, and keys them by canonical fingerprint:
//   - every version: the certificate chains to the MSP's CAs (Fabric
//     cannot put it in canonical form otherwise);
//   - without NodeOUs in force (v1.0, or NodeOUs off): it is a valid
//     identity (postSetupV1);
//   - v1.1 and v1.3 with NodeOUs: a valid client (postSetupV11);
//   - v1.4.3 and later with NodeOUs: it carries the client or the admin
//     OU (postSetupV142), and an MSP without an admin OU lists at least
//     one admin (setupAdminsV142).
func (m *mspVerifier) setupAdmins(ders [][]byte, v mspVersion) error {
	n := m.nodeOUs
	if v >= mspV1_4_3 && len(ders) == 0 && (n == nil || n.Admin == nil) {
		return fmt.Errorf("MSP %s: administrators must be declared when there is no admin OU", m.id)
	}
	for i, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("MSP %s: admin cert %d: %v", m.id, i, err)
		}
		chain, err := m.leafChain(c)
		if err != nil {
			return fmt.Errorf("MSP %s: admin cert %d (%s) is not an identity of the MSP: %v", m.id, i, c.Subject, err)
		}
		canon, err := canonicalDER(c, chain[1])
		if err != nil {
			return fmt.Errorf("MSP %s: admin cert %d: %v", m.id, i, err)
		}
		switch {
		case n == nil:
			if _, err := m.validate(c); err != nil {
				return fmt.Errorf("MSP %s: admin cert %d (%s) is not a valid identity: %v", m.id, i, c.Subject, err)
			}
		case v < mspV1_4_3:
			id, err := m.validate(c)
			if err != nil || !id.hasRole(roleClient) {
				return fmt.Errorf("MSP %s: admin cert %d (%s) is not a valid client, which MSP v1.1 and v1.3 require of an admin", m.id, i, c.Subject)
			}
		default:
			ous := c.Subject.OrganizationalUnit
			if !(n.Client != nil && slices.Contains(ous, n.Client.OU)) && !(n.Admin != nil && slices.Contains(ous, n.Admin.OU)) {
				return fmt.Errorf("MSP %s: admin cert %d (%s) carries neither the client nor the admin OU, which MSP v1.4.3 requires of an admin", m.id, i, c.Subject)
			}
		}
		// Keyed by both forms: an identity matches by its canonical
		// fingerprint, and a provisional one (no chain yet, so only its
		// raw fingerprint) must stay an upper bound.
		m.admins[sha256.Sum256(canon)] = true
		m.admins[sha256.Sum256(der)] = true
	}
	return nil
}

// isECDSASigned reports whether an ECDSA signature signs the certificate.
func isECDSASigned(c *x509.Certificate) bool {
	switch c.SignatureAlgorithm {
	case x509.ECDSAWithSHA1, x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512:
		return true
	}
	return false
}

// canonicalDER returns cert's DER as Fabric's MSP rewrites every
// certificate before it uses one (sanitizeCert): an ECDSA signature by its
// issuer is re-encoded with S at most half the curve order. Both forms
// verify; Fabric makes them one identity, and so must a verifier that
// counts distinct signers. Other certificates are returned as they are.
func canonicalDER(cert, issuer *x509.Certificate) ([]byte, error) {
	if !isECDSASigned(cert) {
		return cert.Raw, nil
	}
	pub, ok := issuer.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("certificate %s has an ECDSA signature by a %T key", cert.Subject, issuer.PublicKey)
	}
	in := cryptobyte.String(cert.Raw)
	var body, tbs, alg, sigSeq cryptobyte.String
	var sig asn1.BitString
	var r, sv big.Int
	if !in.ReadASN1(&body, cbasn1.SEQUENCE) || !in.Empty() ||
		!body.ReadASN1Element(&tbs, cbasn1.SEQUENCE) || !body.ReadASN1Element(&alg, cbasn1.SEQUENCE) ||
		!body.ReadASN1BitString(&sig) || !body.Empty() || sig.BitLength%8 != 0 {
		return nil, fmt.Errorf("certificate %s: malformed outer structure", cert.Subject)
	}
	sigIn := cryptobyte.String(sig.Bytes)
	if !sigIn.ReadASN1(&sigSeq, cbasn1.SEQUENCE) || !sigIn.Empty() ||
		!sigSeq.ReadASN1Integer(&r) || !sigSeq.ReadASN1Integer(&sv) || !sigSeq.Empty() {
		return nil, fmt.Errorf("certificate %s: malformed ECDSA signature", cert.Subject)
	}
	order := pub.Curve.Params().N
	if sv.Cmp(new(big.Int).Rsh(order, 1)) > 0 {
		sv.Sub(order, &sv)
	}
	var sb cryptobyte.Builder
	sb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(&r)
		b.AddASN1BigInt(&sv)
	})
	newSig, err := sb.Bytes()
	if err != nil {
		return nil, err
	}
	var out cryptobyte.Builder
	out.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(alg)
		b.AddASN1BitString(newSig)
	})
	return out.Bytes()
}

// identity is a certificate validated against its MSP. Once made it never
// changes, and what verification reads of it (der, fp, issuer, pub, roles)
// is its own: cert may be handed to callers (Signer.Cert, Identity.Cert of
// a later block), so nothing is read from it but names for messages.
type identity struct {
	msp  *mspVerifier
	cert *x509.Certificate
	der  []byte // the certificate DER
	// fp is the SHA-256 of the certificate in Fabric's canonical form
	// (its issuer's ECDSA signature made low-S, see canonicalDER): two
	// encodings of one certificate are one identity, as in Fabric. rawFP
	// is the SHA-256 of der.
	fp    [32]byte
	rawFP [32]byte
	// certifiers identifies the chain above the certificate (SHA-256 over
	// its CAs' DER, issuer first), as Fabric's OU identifiers name it.
	certifiers [32]byte
	pub        *ecdsa.PublicKey
	roles      uint8 // bit r set: the identity holds role r
	// provisional marks an identity whose chain was not validated yet
	// (issuer unknown, OU issuers not checked); it only bounds what a
	// policy could accept.
	provisional bool
}

// decodeSerializedIdentity decodes an msp.SerializedIdentity into its MSP
// ID and the DER of its certificate (the first PEM block of id_bytes, as
// Fabric reads it). A missing MSP ID is ErrDecode; a missing PEM block
// ErrCertChain, with the MSP ID returned.
func decodeSerializedIdentity(b []byte) (string, []byte, error) {
	var sid mspb.SerializedIdentity
	if err := proto.Unmarshal(b, &sid); err != nil {
		return "", nil, reason(ErrDecode, "serialized identity: %v", err)
	}
	if sid.GetMspid() == "" {
		return "", nil, reason(ErrDecode, "serialized identity has no MSP ID")
	}
	der, err := pemBlock(sid.GetIdBytes(), "")
	if err != nil {
		return sid.GetMspid(), nil, fmt.Errorf("%w: identity certificate: %v", ErrCertChain, err)
	}
	return sid.GetMspid(), der, nil
}

func parseIdentityCert(der []byte) (*x509.Certificate, error) {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: identity certificate: %v", ErrCertChain, err)
	}
	return c, nil
}

// cached returns the validated identity of the MSP with this DER, if it
// is in the cache.
func (m *mspVerifier) cached(der []byte) *identity {
	id, _ := m.ids.Get(der)
	return id
}

// identity validates the certificate der as an identity of the MSP (see
// validate), from the cache when it validated before. On a miss it parses
// der afresh, so that no certificate a caller holds is validated. Errors
// wrap ErrCertChain.
func (m *mspVerifier) identity(der []byte) (*identity, error) {
	if id := m.cached(der); id != nil {
		return id, nil
	}
	cert, err := parseIdentityCert(der)
	if err != nil {
		return nil, err
	}
	id, err := m.validate(cert)
	if err != nil {
		return nil, err
	}
	m.ids.Put(der, id)
	return id, nil
}

// validate checks cert the way a Fabric X.509 MSP validates an identity:
// not a CA; exactly one chain to a root CA through the intermediates, valid
// one second after the certificate's NotBefore (Fabric checks chains at that
// instant, so that expiry does not invalidate ledger history; this package
// has no clock); no certificate of the chain revoked by a CRL of the MSP;
// one of the MSP's OUs if it lists any; and, with NodeOUs, exactly one OU
// of the certificate's subject that names a node OU (a repeated one counts
// each time, as in Fabric). Errors wrap ErrCertChain.
func (m *mspVerifier) validate(cert *x509.Certificate) (*identity, error) {
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok && !cert.IsCA {
		return nil, reason(ErrCertChain, "the identity key is %T, want ECDSA", cert.PublicKey)
	}
	chain, err := m.leafChain(cert)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(chain); i++ {
		if m.revoked[revokedBy(chain[i], chain[i+1])] {
			return nil, reason(ErrCertChain, "%s: certificate %s (serial %s) is revoked", m.id, chain[i].Subject, chain[i].SerialNumber)
		}
	}
	own, err := copyKey(pub)
	if err != nil {
		return nil, reason(ErrCertChain, "%s: identity key: %v", m.id, err)
	}
	der := bytes.Clone(cert.Raw)
	canon, err := canonicalDER(cert, chain[1])
	if err != nil {
		return nil, reason(ErrCertChain, "%s: %v", m.id, err)
	}
	id := &identity{msp: m, cert: cert, der: der, fp: sha256.Sum256(canon), rawFP: sha256.Sum256(der), certifiers: chainID(chain[1:]), pub: own}
	if len(m.ous) > 0 && !slices.ContainsFunc(m.ous, func(o ouState) bool { return id.hasOU(&o) }) {
		return nil, reason(ErrCertChain, "%s: the identity has none of the MSP's organizational units", m.id)
	}
	if n := m.nodeOUs; n != nil {
		// Like Fabric, count the certificate's OUs that name a node OU, one
		// by one: an OU repeated in the subject counts twice.
		count := 0
		for _, ou := range cert.Subject.OrganizationalUnit {
			o := m.nodeOUByName[ou]
			if o == nil {
				continue
			}
			if !id.hasOU(o) {
				return nil, reason(ErrCertChain, "%s: OU %q issued by another CA than the MSP requires", m.id, o.OU)
			}
			count++
		}
		if count != 1 {
			return nil, reason(ErrCertChain, "%s: the identity has %d node OUs (%s), want exactly one", m.id, count, n.names())
		}
	}
	id.setRoles()
	return id, nil
}

// names lists the node OUs, for messages.
func (n *nodeOUsState) names() string {
	var names []string
	for _, x := range []struct {
		o    *ouState
		name string
	}{{n.Client, "client"}, {n.Peer, "peer"}, {n.Admin, "admin"}, {n.Orderer, "orderer"}} {
		if x.o != nil {
			names = append(names, x.name)
		}
	}
	return strings.Join(names, ", ")
}

// classifies reports whether the MSP tells the role apart by a node OU:
// client, peer and orderer need NodeOUs with that OU under the channel's
// MSP version.
func (m *mspVerifier) classifies(r role) bool {
	n := m.nodeOUs
	if n == nil {
		return false
	}
	switch r {
	case roleClient:
		return n.Client != nil
	case rolePeer:
		return n.Peer != nil
	case roleOrderer:
		return n.Orderer != nil
	}
	return false
}

// hasOU reports whether the identity carries the OU, issued by the CA it
// names if it names one (not checked for a provisional identity). It reads
// the certificate, so it is for building an identity only.
func (id *identity) hasOU(o *ouState) bool {
	if !slices.Contains(id.cert.Subject.OrganizationalUnit, o.OU) {
		return false
	}
	return len(o.CA) == 0 || id.provisional || id.msp.ouChains[[32]byte(o.CA)] == id.certifiers
}

// setRoles records the MSP roles the identity holds, as Fabric decides
// them: member is every valid identity; admin is a listed admin
// certificate or the admin OU; client, peer and orderer need their OU.
// Only the node OUs in force under the channel's MSP version count (see
// mspVersion).
func (id *identity) setRoles() {
	n := id.msp.nodeOUs
	has := func(o *ouState) bool { return n != nil && o != nil && id.hasOU(o) }
	id.roles = 0
	for r, ok := range [...]bool{
		roleMember:  true,
		roleAdmin:   id.msp.admins[id.fp] || n != nil && has(n.Admin),
		roleClient:  n != nil && has(n.Client),
		rolePeer:    n != nil && has(n.Peer),
		roleOrderer: n != nil && has(n.Orderer),
	} {
		if ok {
			id.roles |= 1 << r
		}
	}
}

// hasRole reports whether the identity holds an MSP role (see setRoles).
func (id *identity) hasRole(r role) bool { return r < 8 && id.roles&(1<<r) != 0 }

// provisionalIdentity is cert as an identity of m without validating it,
// for an upper bound of what a policy could accept.
func provisionalIdentity(m *mspVerifier, cert *x509.Certificate) *identity {
	fp := sha256.Sum256(cert.Raw)
	id := &identity{msp: m, cert: cert, der: cert.Raw, fp: fp, rawFP: fp, provisional: true}
	id.setRoles()
	return id
}

// copyKey returns a copy of an ECDSA public key that shares nothing with
// the certificate it came from.
func copyKey(pub *ecdsa.PublicKey) (*ecdsa.PublicKey, error) {
	b, err := pub.Bytes()
	if err != nil {
		return nil, err
	}
	return ecdsa.ParseUncompressedPublicKey(pub.Curve, b)
}

func (id *identity) satisfies(p principal) bool {
	if p.msp != id.msp.id {
		return false
	}
	if p.cert != nil {
		// Fabric compares the two certificates in canonical form. The
		// principal's is hashed as written: equal to the identity's raw
		// form, or to its canonical one when the principal is canonical.
		// (A principal written high-S matches only that exact encoding.)
		return *p.cert == id.rawFP || *p.cert == id.fp
	}
	return id.hasRole(p.role)
}

// verify checks the identity's signature over the concatenation of parts,
// hashed with its MSP's hash family.
func (id *identity) verify(sig []byte, parts ...[]byte) error {
	return verifyECDSA(id.pub, id.msp.hash.digest(parts...), sig)
}

// dedupe returns the identities with distinct certificates, keeping the
// first of each. Fabric counts one signer once, however often it signed.
func dedupe(ids []*identity) []*identity {
	seen := map[[32]byte]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id.fp] {
			seen[id.fp] = true
			out = append(out, id)
		}
	}
	return out
}

// hexBytes is a byte string that JSON encodes as lower-case hex.
type hexBytes []byte

func (h hexBytes) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(h)), nil }

func (h *hexBytes) UnmarshalText(t []byte) error {
	b, err := hex.DecodeString(string(t))
	if err != nil {
		return err
	}
	*h = b
	return nil
}
