package types

// maxChainNameLen bounds chain_name. The record-ID rule allows 65535
// bytes; a ledger name longer than this is a configuration mistake.
const maxChainNameLen = 128

// Validate checks the parameters. Errors wrap ErrInvalidParams.
func (p Params) Validate() error {
	if p.ChainName == "" {
		return ErrInvalidParams.Wrap(`params.chain_name must be set to this ledger's agreed name, for example "finance"`)
	}
	if len(p.ChainName) > maxChainNameLen {
		return ErrInvalidParams.Wrapf("params.chain_name is %d bytes, at most %d", len(p.ChainName), maxChainNameLen)
	}
	for _, c := range p.ChainName {
		if c < 0x21 || c > 0x7e {
			return ErrInvalidParams.Wrapf("params.chain_name %q: only printable ASCII without spaces", p.ChainName)
		}
	}
	return nil
}
