package types

// DefaultGenesis returns the genesis state that `init` writes. Its
// chain_name is empty, which Validate refuses: every chain must name
// itself before it starts.
func DefaultGenesis() *GenesisState {
	return &GenesisState{NextSequence: 1}
}

// Validate checks the genesis state: valid params, valid records, no
// duplicate IDs, and every published sequence below next_sequence.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	next := gs.NextSequence
	if next == 0 {
		next = 1
	}
	seen := make(map[RecordID]bool, len(gs.Published))
	seqs := make(map[uint64]bool, len(gs.Published))
	for i, p := range gs.Published {
		if err := p.Record.Validate(); err != nil {
			return ErrInvalidRecord.Wrapf("published[%d]: %v", i, err)
		}
		id := p.Record.RecordID()
		if seen[id] || seqs[p.Record.Sequence] {
			return ErrInvalidRecord.Wrapf("published[%d]: duplicate id %s or sequence %d", i, id, p.Record.Sequence)
		}
		if p.Record.SourceChain != gs.Params.ChainName || string(p.Record.Emitter) != PortID {
			return ErrInvalidRecord.Wrapf("published[%d]: source_chain/emitter must be %q/%q", i, gs.Params.ChainName, PortID)
		}
		if p.Record.Sequence >= next {
			return ErrInvalidRecord.Wrapf("published[%d]: sequence %d is not below next_sequence %d", i, p.Record.Sequence, next)
		}
		seen[id], seqs[p.Record.Sequence] = true, true
	}
	delivered := make(map[RecordID]bool, len(gs.Delivered))
	for i, d := range gs.Delivered {
		if err := d.Record.Validate(); err != nil {
			return ErrInvalidRecord.Wrapf("delivered[%d]: %v", i, err)
		}
		id := d.Record.RecordID()
		if delivered[id] {
			return ErrInvalidRecord.Wrapf("delivered[%d]: duplicate id %s", i, id)
		}
		delivered[id] = true
	}
	return nil
}
