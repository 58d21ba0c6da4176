package config

// An attack on the API's mutual TLS settings. It fails on the code it was
// written against.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// api.tls.client_ca is only checked to be readable: a file that holds no
// certificate (a key, a CSR, the wrong path in a bundle directory)
// validates, `liaison config check` says the configuration is good, and
// the API fails only when `liaison start` builds its TLS. The token files
// next to it are read and checked at validation.
func TestAttackMTLSClientCAWithoutCertificatesValidates(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	crt := write("server.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", 0o644)
	key := write("server.key", "-----BEGIN EC PRIVATE KEY-----\nMHc=\n-----END EC PRIVATE KEY-----\n", 0o600)
	ca := write("clients-ca.pem", "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n", 0o644)
	y := strings.Replace(validYAML, "routes:", "api:\n  listen: 0.0.0.0:9465\n"+
		"  tls: {cert: "+crt+", key: {file: "+key+"}, client_ca: "+ca+", clients: [{name: alice, role: operator}]}\n"+
		"routes:", 1)
	if _, err := parse(t, y); err == nil {
		t.Errorf("api.tls.client_ca %s holds no certificate, and the configuration validated", ca)
	}
}
