package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/config"
)

// mtlsKeyPair is a certificate, its key and their PEM.
type mtlsKeyPair struct {
	cert            *x509.Certificate
	key             *ecdsa.PrivateKey
	certPEM, keyPEM []byte
}

// mtlsSign signs tmpl with parent (nil: self-signed).
func mtlsSign(t *testing.T, tmpl *x509.Certificate, parent *mtlsKeyPair) *mtlsKeyPair {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	}
	pc, pk := tmpl, key
	if parent != nil {
		pc, pk = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, pc, &key.PublicKey, pk)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	kd, _ := x509.MarshalECPrivateKey(key)
	return &mtlsKeyPair{cert: cert, key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM: pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})}
}

// mtlsCA is a root CA for the mutual TLS tests.
func mtlsCA(t *testing.T, cn string) *mtlsKeyPair {
	return mtlsSign(t, &x509.Certificate{Subject: pkix.Name{CommonName: cn}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}, nil)
}

func clientTmpl(cn string) *x509.Certificate {
	return &x509.Certificate{Subject: pkix.Name{CommonName: cn}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
}

// issue returns a certificate and key (PEM) that ca issues to cn, for a
// server (with the loopback address) or a client.
func (ca *mtlsKeyPair) issue(t *testing.T, cn string, server bool) (certPEM, keyPEM []byte) {
	t.Helper()
	tmpl := clientTmpl(cn)
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	kp := mtlsSign(t, tmpl, ca)
	return kp.certPEM, kp.keyPEM
}

// serveTestAPI opens the API of cfg and serves it until the test ends.
func serveTestAPI(t *testing.T, cfg *config.Config) *apiServer {
	t.Helper()
	a, err := openAPI(cfg, nil, nil, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.serve(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return a
}

// TestAPIMutualTLS serves the API over TLS with client certificates: a
// configured client is its role, a certificate of another name or of
// another CA is refused, and without a certificate there is no handshake.
func TestAPIMutualTLS(t *testing.T) {
	dir := t.TempDir()
	ca := mtlsCA(t, "liaison test CA")
	write := func(name string, b []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sc, sk := ca.issue(t, "liaison", true)
	cfg := &config.Config{API: config.API{Listen: "127.0.0.1:0", TLS: config.APITLS{
		Cert: write("server.crt", sc, 0o644), Key: config.Secret{File: write("server.key", sk, 0o600)},
		ClientCA: write("ca.crt", ca.certPEM, 0o644),
		Clients:  []config.APIClient{{Name: "alice", Role: config.RoleOperator}, {Name: "carol", Role: config.RoleRead}},
	}}}
	a := serveTestAPI(t, cfg)

	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	client := func(certPEM, keyPEM []byte) *http.Client {
		tc := &tls.Config{RootCAs: roots}
		if certPEM != nil {
			pair, err := tls.X509KeyPair(certPEM, keyPEM)
			if err != nil {
				t.Fatal(err)
			}
			tc.Certificates = []tls.Certificate{pair}
		}
		return &http.Client{Transport: &http.Transport{TLSClientConfig: tc}, Timeout: 10 * time.Second}
	}
	do := func(c *http.Client, method, path string) (int, error) {
		req, _ := http.NewRequest(method, "https://"+a.Addr()+path, strings.NewReader(`{"reason": "x"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	alice := client(ca.issue(t, "alice", false))
	carol := client(ca.issue(t, "carol", false))
	mallory := client(ca.issue(t, "mallory", false))
	other := mtlsCA(t, "another CA")
	forged := client(other.issue(t, "alice", false))

	if code, err := do(alice, "GET", "/api/v1/openapi.yaml"); err != nil || code != http.StatusOK {
		t.Errorf("alice: %d, %v", code, err)
	}
	id := strings.Repeat("ab", 32)
	if code, err := do(carol, "POST", "/api/v1/records/"+id+"/skip"); err != nil || code != http.StatusForbidden {
		t.Errorf("carol (read) skipping: %d, %v; want 403", code, err)
	}
	if code, err := do(mallory, "GET", "/api/v1/openapi.yaml"); err != nil || code != http.StatusUnauthorized {
		t.Errorf("a certificate of the right CA with an unknown name: %d, %v; want 401", code, err)
	}
	if _, err := do(forged, "GET", "/api/v1/openapi.yaml"); err == nil {
		t.Error("a certificate of another CA was accepted")
	}
	if _, err := do(client(nil, nil), "GET", "/api/v1/openapi.yaml"); err == nil {
		t.Error("a caller without a certificate got through the handshake")
	}
}
