package fabric

import (
	"crypto/ecdsa"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// rawSig is one ECDSA verification a block needs: a key, the digest of
// the signed bytes and the signature.
type rawSig struct {
	pub    *ecdsa.PublicKey
	digest []byte
	sig    []byte
}

// blockSignatures returns exactly the P-256 verifications that VerifyBlock
// and VerifyTransaction of transaction 0 make on a block: every orderer
// signature, the creator's and every endorsement's.
func blockSignatures(tb testing.TB, tc *TrustedConfig, raw []byte) []rawSig {
	tb.Helper()
	blk, err := VerifyBlock(tc, nil, raw)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := VerifyTransaction(tc, blk, 0, MajorityOrgs()); err != nil {
		tb.Fatal(err)
	}
	_, rb, err := decodeBlock(raw)
	if err != nil {
		tb.Fatal(err)
	}
	var out []rawSig
	if len(rb.sigs) != len(blk.Signers) {
		tb.Fatalf("%d signatures, %d signers", len(rb.sigs), len(blk.Signers))
	}
	for i, s := range rb.sigs {
		hdr := s.SignatureHeader
		if len(hdr) == 0 {
			hdr = s.IdentifierHeader
		}
		pub := blk.Signers[i].Cert.PublicKey.(*ecdsa.PublicKey)
		out = append(out, rawSig{pub, hashSHA2.digest(rb.sigValue, hdr, rb.header), s.Signature})
	}
	t := &blk.Txs[0]
	out = append(out, rawSig{t.Creator.Cert.PublicKey.(*ecdsa.PublicKey), hashSHA2.digest(t.payload), t.signature})
	for _, e := range t.Endorsements {
		out = append(out, rawSig{e.Endorser.Cert.PublicKey.(*ecdsa.PublicKey), hashSHA2.digest(t.prp, e.endorser.sid), e.Signature})
	}
	for i, s := range out {
		if !ecdsa.VerifyASN1(s.pub, s.digest, s.sig) {
			tb.Fatalf("signature %d does not verify", i)
		}
	}
	return out
}

// benchVector returns the trusted config and block of a benchmark vector
// ("raft" or "bft"), and the signatures the block needs.
func benchVector(b *testing.B, net string) (*TrustedConfig, []byte, []rawSig) {
	cfg, err := os.ReadFile(filepath.Join("testdata", net, "config.block"))
	if err != nil {
		b.Fatal(err)
	}
	tc, err := ParseConfigBlock(cfg)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("testdata", net, "publish-1.block"))
	if err != nil {
		b.Fatal(err)
	}
	return tc, raw, blockSignatures(b, tc, raw)
}

// BenchmarkOverRaw runs, in every iteration, the raw signature checks of a
// block (as BenchmarkRawSignatures) and then its full verification (as
// BenchmarkVerifyBlockAndTransaction), timing each, and reports the ratio
// of their totals as full/raw. Both halves see the same load of a shared
// machine, so the ratio is steadier than one taken from two benchmarks
// run minutes apart. (Garbage the full half makes may be collected during
// the raw half, which flatters the ratio a little.)
func BenchmarkOverRaw(b *testing.B) {
	for _, net := range []string{"raft", "bft"} {
		b.Run(net, func(b *testing.B) {
			tc, raw, sigs := benchVector(b, net)
			var tRaw, tFull time.Duration
			for b.Loop() {
				t0 := time.Now()
				for _, s := range sigs {
					if !ecdsa.VerifyASN1(s.pub, s.digest, s.sig) {
						b.Fatal("signature does not verify")
					}
				}
				t1 := time.Now()
				blk, err := VerifyBlock(tc, nil, raw)
				if err == nil {
					_, err = VerifyTransaction(tc, blk, 0, MajorityOrgs())
				}
				if err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				tRaw += t1.Sub(t0)
				tFull += t2.Sub(t1)
			}
			b.ReportMetric(float64(tFull)/float64(tRaw), "full/raw")
			b.ReportMetric(float64(b.N)/tFull.Seconds(), "blocks/s")
			b.ReportMetric(float64(b.N)/tRaw.Seconds(), "raw-blocks/s")
		})
	}
}

// BenchmarkRawSignatures measures the floor of block verification: only
// the ecdsa.VerifyASN1 calls the block needs (see blockSignatures), on
// digests computed beforehand, with nothing decoded, hashed or looked up.
// Compare its blocks/s with BenchmarkVerifyBlockAndTransaction's.
func BenchmarkRawSignatures(b *testing.B) {
	for _, net := range []string{"raft", "bft"} {
		b.Run(net, func(b *testing.B) {
			_, _, sigs := benchVector(b, net)
			b.ReportAllocs()
			report := BenchRate(b)
			for b.Loop() {
				for _, s := range sigs {
					if !ecdsa.VerifyASN1(s.pub, s.digest, s.sig) {
						b.Fatal("signature does not verify")
					}
				}
			}
			report()
			b.ReportMetric(float64(len(sigs)), "sigs/block")
		})
	}
}
