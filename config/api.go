package config

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"strings"
)

// API configures the HTTP API that `liaison start` serves: records, their
// timelines and evidence, statistics, route and chain health, and the
// operator actions. Off unless Listen is set.
type API struct {
	// Listen is host:port. Without tokens it must be a loopback address,
	// and the API is read-only.
	Listen string `yaml:"listen"`
	// Tokens are the bearer tokens callers present. When any is set (or
	// TLS.ClientCA), every request needs one.
	Tokens []APIToken `yaml:"tokens"`
	// TLS serves the API over TLS; with ClientCA, callers may instead
	// present a client certificate (mutual TLS).
	TLS APITLS `yaml:"tls"`
}

// APITLS is the API's TLS: its certificate and key, and optionally the CA
// whose client certificates identify callers.
type APITLS struct {
	Cert string `yaml:"cert"`
	Key  Secret `yaml:"key"`
	// ClientCA is a PEM file of the CA(s) that issue callers'
	// certificates. Set, a caller without a bearer token must present a
	// certificate it issued, whose subject common name is one of Clients.
	ClientCA string      `yaml:"client_ca"`
	Clients  []APIClient `yaml:"clients"`
}

// APIClient maps a client certificate's subject common name to a role.
type APIClient struct {
	// Name is the certificate's subject common name; it names the caller
	// in the audit log ("api:NAME").
	Name string `yaml:"name"`
	Role string `yaml:"role"`
}

// Authenticated reports whether the API identifies its callers (tokens or
// client certificates).
func (a API) Authenticated() bool { return len(a.Tokens) > 0 || a.TLS.ClientCA != "" }

// APIToken is one caller's bearer token.
type APIToken struct {
	// Name identifies the caller in the audit log ("api:NAME").
	Name string `yaml:"name"`
	// File holds the token (one line, at least 32 characters), readable
	// by its owner only.
	File string `yaml:"file"`
	// Role is "read" (every GET) or "operator" (also retry and skip).
	Role string `yaml:"role"`
}

// API roles.
const (
	RoleRead     = "read"
	RoleOperator = "operator"
)

// minTokenLen is the shortest token accepted: 32 characters, such as
// `openssl rand -hex 16` gives.
const minTokenLen = 32

// ReadToken reads a token file: one line, surrounding space trimmed.
func ReadToken(path string) (string, error) {
	if err := CheckPrivateFile(path); err != nil {
		return "", err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) < minTokenLen || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("token file %s: want one line of at least %d characters without spaces (e.g. `openssl rand -hex 16`)", path, minTokenLen)
	}
	return tok, nil
}

func (c *Config) validateAPI(p problems) {
	a := c.API
	if a.Listen == "" {
		if len(a.Tokens) > 0 || a.TLS.Cert != "" {
			p.add("tokens or tls are set but api.listen is not: the API is off")
		}
		return
	}
	host, _, err := net.SplitHostPort(a.Listen)
	if err != nil {
		p.at("listen").add("%q: want host:port, e.g. 127.0.0.1:9465", a.Listen)
	} else if !a.Authenticated() && !loopback(host) {
		p.at("listen").add("%q is not a loopback address: an API reachable from other machines needs api.tokens or api.tls.client_ca", a.Listen)
	}
	names := map[string]bool{}
	secrets := map[string]string{} // secret -> the token name that holds it
	for i := range a.Tokens {
		t := &c.API.Tokens[i]
		tp := p.at(fmt.Sprintf("tokens[%d]", i))
		checkCaller(tp, t.Name, t.Role, names, "it names the caller in the audit log")
		if t.File == "" {
			tp.at("file").add("is required: a file holding the token, readable by its owner only")
		} else if !p.noFiles {
			secret, err := ReadToken(t.File)
			switch {
			case err != nil:
				tp.at("file").add("%v", err)
			case secrets[secret] != "":
				// The API takes the first token that matches: one secret
				// for two callers makes one of them the other.
				tp.at("file").add("holds the same token as %q: each caller needs a token of its own", secrets[secret])
			default:
				secrets[secret] = t.Name
			}
		}
	}
	c.validateAPITLS(p.at("tls"), names)
}

// checkCaller checks an API caller's name and role. Names are unique
// across tokens and clients: both are audited as api:NAME.
func checkCaller(p problems, name, role string, names map[string]bool, what string) {
	switch {
	case name == "":
		p.at("name").add("is required (%s)", what)
	case names[name]:
		p.at("name").add("%q is used twice (by a token or a client)", name)
	}
	names[name] = true
	if role != RoleRead && role != RoleOperator {
		p.at("role").add("%q: use read or operator", role)
	}
}

// validateAPITLS checks api.tls; names are the token names, which client
// names must not repeat (both appear in the audit log as api:NAME).
func (c *Config) validateAPITLS(p problems, names map[string]bool) {
	t := c.API.TLS
	if t.Cert == "" && t.Key.IsZero() && t.ClientCA == "" && len(t.Clients) == 0 {
		return
	}
	if t.Cert == "" || t.Key.IsZero() {
		p.add("cert and key are both required to serve TLS")
	}
	if t.Cert != "" {
		p.at("cert").readable(t.Cert)
	}
	if t.Key.File != "" {
		p.at("key").privateFile(t.Key.File)
	}
	if t.Cert != "" && !t.Key.IsZero() && !p.noFiles {
		if _, err := LoadKeyPair(t.Cert, t.Key); err != nil {
			p.add("%v", err)
		}
	}
	if t.ClientCA == "" {
		if len(t.Clients) > 0 {
			p.at("clients").add("need client_ca, the CA that issues their certificates")
		}
		return
	}
	clientNames := map[string]bool{}
	for _, cl := range t.Clients {
		clientNames[cl.Name] = true
	}
	if !p.noFiles {
		if _, err := LoadClientCA(t.ClientCA, clientNames); err != nil {
			p.at("client_ca").add("%v", err)
		}
	}
	if len(t.Clients) == 0 {
		p.at("clients").add("is empty: name the certificates' common names and their roles")
	}
	for i, cl := range t.Clients {
		checkCaller(p.at(fmt.Sprintf("clients[%d]", i)), cl.Name, cl.Role, names, "the certificate's subject common name")
	}
}

// LoadKeyPair reads a PEM certificate and its key.
func LoadKeyPair(certFile string, key Secret) (tls.Certificate, error) {
	keyPEM, err := key.Resolve()
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("key: %w", err)
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("cert: %w", err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("the certificate and key do not make a pair: %w", err)
	}
	return pair, nil
}

// LoadClientCA reads the client CA file into a pool. It refuses a file
// without a certificate, and any certificate that is not a CA certificate
// (basic constraints CA) or whose common name is a client's: a client's
// own certificate placed there to "pin" it could issue certificates in
// any other client's name.
func LoadClientCA(path string, clients map[string]bool) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	n := 0
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: certificate %d: %w", path, n+1, err)
		}
		n++
		switch {
		case !c.BasicConstraintsValid || !c.IsCA:
			return nil, fmt.Errorf("%s: certificate %q is not a CA certificate: client_ca holds only the CAs that issue callers' certificates", path, c.Subject.CommonName)
		case clients[c.Subject.CommonName]:
			return nil, fmt.Errorf("%s: certificate %q is a client's own name: a client's certificate in client_ca could issue certificates for any other client", path, c.Subject.CommonName)
		}
		pool.AddCert(c)
	}
	if n == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// loopback reports whether host names this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
