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

// testCA issues certificates for the mutual TLS tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue returns a certificate and key (PEM) for cn, for a server (with the
// loopback address) or a client.
func (ca *testCA) issue(t *testing.T, cn string, server bool) (certPEM, keyPEM []byte) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalECPrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})
}

// TestAPIMutualTLS serves the API over TLS with client certificates: a
// configured client is its role, a certificate of another name or of
// another CA is refused, and without a certificate there is no handshake.
func TestAPIMutualTLS(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "liaison test CA")
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
		ClientCA: write("ca.crt", ca.pem, 0o644),
		Clients:  []config.APIClient{{Name: "alice", Role: config.RoleOperator}, {Name: "carol", Role: config.RoleRead}},
	}}}
	a, err := openAPI(cfg, nil, nil, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.serve(ctx); close(done) }()
	defer func() { cancel(); <-done }()

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
	other := newTestCA(t, "another CA")
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
