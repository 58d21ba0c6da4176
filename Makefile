# Liaison build targets. Tools (geth, abigen, solc) are built or installed
# on first use into ${LIAISON_CACHE:-$HOME/.cache/liaison}, never into the repo.

CONTRACTS_DIR := adapters/evm/contracts
# Everything `make contracts` writes, relative to CONTRACTS_DIR.
CONTRACTS_GENERATED := build/Outbox.json build/Inbox.json outbox.go inbox.go

.PHONY: contracts contracts-check

## contracts: compile the Solidity contracts and regenerate their Go bindings.
contracts:
	scripts/solc.sh $(CONTRACTS_DIR)/build
	scripts/bindings.sh $(CONTRACTS_DIR)/build $(CONTRACTS_DIR)

## contracts-check: fail if the committed ABI, bytecode or bindings are stale.
contracts-check:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	scripts/solc.sh $$tmp/build; \
	scripts/bindings.sh $$tmp/build $$tmp; \
	for f in $(CONTRACTS_GENERATED); do \
		cmp -s $$tmp/$$f $(CONTRACTS_DIR)/$$f || { echo "contracts are stale: run make contracts" >&2; exit 1; }; \
	done
