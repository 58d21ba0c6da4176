# Liaison build and test targets. Tools (geth, abigen, solc) are built or
# installed on first use into ${LIAISON_CACHE:-$HOME/.cache/liaison}, cached
# by version, never into the repository.

GO ?= go
CONTRACTS_DIR := adapters/evm/contracts
# Everything `make contracts` writes, relative to CONTRACTS_DIR.
CONTRACTS_GENERATED := build/Outbox.json build/Inbox.json outbox.go inbox.go
# The chain-agnostic core, tested with the race detector.
CORE := ./relayer/... ./config/... ./internal/...

# Modules of their own: on-chain code that must build small.
SUBMODULES := adapters/fabric/chaincode adapters/cosmos/module

.PHONY: test check fmt-check vet contracts contracts-check test-race test-unit test-submodules test-ops e2e demo bench bench-e2e fuzz ledgers ledgers-down build soak-kill

## test: everything CI runs: static checks, unit and integration tests
## (race detector on the core), and end-to-end tests on real nodes.
test: check test-race test-unit test-submodules test-ops e2e

## check: formatting, vet and stale generated code.
check: fmt-check vet contracts-check

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## contracts: compile the Solidity contracts and regenerate their Go bindings.
contracts:
	scripts/solc.sh $(CONTRACTS_DIR)/build
	scripts/bindings.sh $(CONTRACTS_DIR)/build $(CONTRACTS_DIR)

## contracts-check: fail if the committed ABI, bytecode or bindings are stale.
contracts-check:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	scripts/solc.sh $$tmp/build >/dev/null; \
	scripts/bindings.sh $$tmp/build $$tmp >/dev/null; \
	for f in $(CONTRACTS_GENERATED); do \
		cmp -s $$tmp/$$f $(CONTRACTS_DIR)/$$f || { echo "contracts are stale: run make contracts" >&2; exit 1; }; \
	done; echo "contracts are up to date"

## test-race: the core under the race detector (with the explorer's
## browser tests, in Debian's chromium, installed when missing).
test-race:
	LIAISON_CHROMIUM=$$(scripts/chromium.sh) $(GO) test -race -count=1 $(CORE)

## test-unit: every other package's tests (in-process chains included;
## the demo's explorer is opened in chromium).
test-unit:
	LIAISON_CHROMIUM=$$(scripts/chromium.sh) $(GO) test -count=1 $$($(GO) list ./... | grep -vE '/(relayer|config|internal)(/|$$)')

## test-ops: check the Prometheus alert rules in ops/prometheus and run
## their unit tests with promtool (installed from Debian's prometheus
## package when missing).
test-ops:
	@set -e; promtool=$$(scripts/promtool.sh); set -x; \
		$$promtool check rules ops/prometheus/alerts.yml; \
		$$promtool test rules ops/prometheus/alerts_test.yml

## test-submodules: vet and test the modules of their own (chaincode, Cosmos module).
test-submodules:
	@set -e; for m in $(SUBMODULES); do echo "== $$m"; (cd $$m && $(GO) vet ./... && $(GO) test -count=1 ./...); done

## fuzz: every `go test -fuzz` target of the module and its submodules,
## found anew on each run and fuzzed one at a time for FUZZTIME each. Not
## part of `make test`.
FUZZTIME ?= 30s
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh . $(SUBMODULES)

## e2e: end-to-end tests against real node processes (geth, Fabric, a
## Cosmos devnet, Jaeger), built and cached by the scripts/ helpers.
e2e:
	@set -e; geth=$$(scripts/gobin.sh geth); jaeger=$$(scripts/jaeger.sh build); set -x; \
	LIAISON_GETH=$$geth LIAISON_JAEGER=$$jaeger \
		$(GO) test -count=1 -tags e2e -timeout 40m -parallel 4 ./e2e/... ./adapters/fabric/ ./adapters/cosmos/

## ledgers: bring up the three local ledgers of docs/WALKTHROUGH.md
## (Fabric registry, geth procurement, Cosmos finance) in LEDGERS_DIR.
LEDGERS_DIR ?= /tmp/liaison-ledgers
ledgers:
	e2e/ledgers.sh up $(LEDGERS_DIR)

ledgers-down:
	e2e/ledgers.sh down $(LEDGERS_DIR)

## demo: the main job on in-process chains and an embedded store.
demo:
	$(GO) run ./cmd/liaison demo

## bench: the benchmarks quoted in docs/BENCHMARKS.md.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 2s ./proofs/... ./adapters/evm/ ./adapters/cosmos/
	$(GO) test -run '^$$' -bench Engine -benchtime 10000x ./relayer/
	$(GO) test -run '^$$' -bench StoreLifecycle -benchtime 20000x ./relayer/sqlitestore/

## bench-e2e: the load harness on real ledgers; prints records/s and the
## p50/p95/p99 of every stage per route. LIAISON_LOAD_N sets the records
## per route (default 200).
bench-e2e:
	@set -e; geth=$$(scripts/gobin.sh geth); set -x; \
	LIAISON_GETH=$$geth $(GO) test -count=1 -tags e2e -run '^$$' -bench '^BenchmarkLoad$$' -benchtime 1x -timeout 60m ./e2e/

## soak-kill: the kill -9 test with batching on, 2,000 records per route
## and a kill every few seconds (not part of `make test`).
soak-kill:
	@set -e; geth=$$(scripts/gobin.sh geth); set -x; \
	LIAISON_GETH=$$geth LIAISON_KILL_N=2000 $(GO) test -count=1 -tags e2e -run '^TestEVMBatchesKill$$' -v -timeout 60m ./e2e/

## build: the production binary in bin/liaison, without the demo and its
## in-process chains (-tags nodemo; `go run ./cmd/liaison demo` has them).
build:
	$(GO) build -tags nodemo -o bin/liaison ./cmd/liaison
