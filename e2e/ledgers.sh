#!/usr/bin/env bash
# ledgers.sh: the three local ledgers of docs/WALKTHROUGH.md, ready for
# Liaison, with one command. No Docker: every node is a process on loopback.
#
#   ledgers.sh up [DIR]     bring up, in DIR:
#                             registry     Hyperledger Fabric 2.5, two orgs, the records chaincode
#                                          (e2e/fabric/network.sh, in DIR/fabric)
#                             procurement  geth --dev with one-second blocks, the Outbox and the
#                                          Inbox deployed (DIR/geth)
#                             finance      a liaison-simd devnet, the records module
#                                          (e2e/cosmos/devnet.sh, in DIR/cosmos)
#                           then create the gateway's IBC client on finance (`liaison cosmos
#                           setup-client`), write DIR/liaison.yaml with the routes
#                             registry → procurement, registry → finance, procurement → registry
#                           and print what to run next
#   ledgers.sh down [DIR]   stop every node by its PID; keep DIR (the store, the evidence)
#   ledgers.sh clean [DIR]  down, then delete DIR
#
# DIR defaults to /tmp/liaison-ledgers. It holds, besides the ledgers' own
# directories: liaison.yaml; ledgers.env (KEY=VALUE, safe to source: every
# endpoint, address and binary below); keys/procurement.key (the relayer's
# EVM key, mode 0600; the Fabric identity and the Cosmos account key are the
# networks' own, see liaison.yaml); bin/ (liaison and evmtool, unless given);
# logs/.
#
# Settings, from the environment:
#   FABRIC_BASE_PORT   Fabric's first port (default 7050; it uses BASE..BASE+60)
#   COSMOS_BASE_PORT   the devnet's RPC port (default 26657; it uses BASE..BASE+3)
#   GETH_HTTP_PORT     geth's HTTP RPC port (default 8545); its auth RPC is GETH_AUTH_PORT
#                      (default GETH_HTTP_PORT+6)
#   LIAISON_LISTEN     liaison's /metrics address (default 127.0.0.1:9464)
#   LIAISON_OTLP       an OTLP/gRPC endpoint (host:port, plaintext) for liaison's
#                      traces, besides DIR/traces.jsonl (default: none)
#   LIAISON_GETH       the geth binary (default: scripts/gobin.sh geth)
#   LIAISON_BIN        the liaison binary (default: built into DIR/bin)
# The chain names are fixed: registry (Fabric), procurement (EVM), finance
# (Cosmos).
set -euo pipefail

readonly MARKER=.liaison-ledgers

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

die() {
	echo "ledgers.sh: $*" >&2
	exit 1
}
step() { echo "ledgers.sh: $*" >&2; }

layout() {
	dir=$(realpath -m "$1")
	geth_dir=$dir/geth
	geth_pid=$geth_dir/geth.pid
}

# geth_running: geth's PID if the process in the PID file is alive and is
# ours (its command line names our data directory).
geth_running() {
	[[ -f $geth_pid ]] || return 1
	local pid
	pid=$(<"$geth_pid")
	[[ $pid =~ ^[0-9]+$ ]] && [[ -d /proc/$pid ]] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--datadir $geth_dir/data " || return 1
	echo "$pid"
}

down() {
	local pid i
	if pid=$(geth_running); then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 100; i++)); do
			[[ -d /proc/$pid ]] || break
			sleep 0.1
		done
		if [[ -d /proc/$pid ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
	fi
	rm -f "$geth_pid"
	if [[ -d $dir/fabric ]]; then "$here/fabric/network.sh" down "$dir/fabric" || true; fi
	if [[ -d $dir/cosmos ]]; then "$here/cosmos/devnet.sh" down "$dir/cosmos" || true; fi
}

# rpc_ok URL: the node answers eth_chainId.
rpc_ok() {
	curl -fsS --max-time 2 -H 'content-type: application/json' \
		--data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$1" 2>/dev/null | grep -q '"result"'
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# write_config CLIENT_ID: DIR/liaison.yaml for these ledgers; paths inside
# DIR are written relative to it.
write_config() {
	local client=$1 traces="{file: traces.jsonl}"
	[[ -z $otlp ]] || traces="{file: traces.jsonl, otlp: {endpoint: \"$otlp\", insecure: true}}"
	rel() { echo "${1#"$dir"/}"; }
	cat >"$dir/liaison.yaml" <<EOF
# Written by e2e/ledgers.sh for the local ledgers in $dir.
# Relative paths are relative to this file.
store: {path: liaison.db}
telemetry:
  listen: $listen
  traces: $traces
chains:
  - name: registry            # Fabric: the records chaincode was initialized with this name
    kind: fabric
    fabric:
      peers:
        - {address: "$FABRIC_ORG1_PEER_ADDRESS", tls_ca: $(rel "$FABRIC_ORG1_PEER_TLS_CA"), server_name: $FABRIC_ORG1_PEER_HOST}
        - {address: "$FABRIC_ORG2_PEER_ADDRESS", tls_ca: $(rel "$FABRIC_ORG2_PEER_TLS_CA"), server_name: $FABRIC_ORG2_PEER_HOST}
      msp_id: $FABRIC_ORG1_MSPID
      identity:               # Org1's User1, one of the chaincode's Inbox attestors
        cert: $(rel "$FABRIC_ORG1_USER1_CERT")
        key: {file: $(rel "$FABRIC_ORG1_USER1_KEY")}
      channel: $FABRIC_CHANNEL
      chaincode: $FABRIC_CHAINCODE
      trust:
        config_block: $(rel "$FABRIC_NETWORK_DIR/channel/$FABRIC_CHANNEL.block")
        endorsement_policy: majority
  - name: procurement         # EVM: the Outbox and Inbox were deployed with this name
    kind: evm
    evm:
      rpc: [$geth_rpc]
      chain_id: $EVM_CHAIN_ID
      outbox: "$EVM_OUTBOX"
      inbox: "$EVM_INBOX"
      trust: {mode: finality, confirmations: 1}
      signer: {key: {file: keys/procurement.key}}
  - name: finance             # Cosmos: the records module's chain_name
    kind: cosmos
    cosmos:
      nodes:
        - {rpc: "$COSMOS_RPC", grpc: "$COSMOS_GRPC"}
      chain_id: $COSMOS_CHAIN_ID
      trust: {height: $trust_height, hash: "$trust_hash", trusting_period: 24h}
      account: {key: {file: $(rel "$COSMOS_RELAYER_KEY_FILE")}}
      gateway: {client_id: "$client"}
routes:
  # The Fabric chaincode gives each record one destination: a licence that
  # goes to procurement and to finance is published once for each.
  - name: licences-to-procurement
    source: {chain: registry}          # records whose destination is procurement
    destination: {chain: procurement}
    proof: {accept: [fabric-orderer+endorsement]}
    poll_interval: 250ms
    confirm_interval: 250ms
  - name: licences-to-finance
    source: {chain: registry}          # records whose destination is finance
    destination: {chain: finance}
    proof: {accept: [fabric-orderer+endorsement]}
    poll_interval: 250ms
    confirm_interval: 250ms
  - name: payments-to-registry
    source: {chain: procurement}       # records whose destination is registry
    destination: {chain: registry}
    proof: {accept: [rpc-finality]}
    poll_interval: 250ms
    confirm_interval: 250ms
EOF
}

# up_failed: after a failed `up`, say where the logs are, let the
# bring-up scripts still running finish, and stop every node.
up_failed() {
	echo "ledgers.sh: up failed; logs in $dir/logs, $dir/fabric/logs and $dir/cosmos" >&2
	local p
	for p in ${build_pid:-} ${cosmos_pid:-}; do wait "$p" 2>/dev/null || true; done
	down
}

up() {
	command -v jq >/dev/null || die "jq is not on PATH"
	command -v curl >/dev/null || die "curl is not on PATH"
	local t0=$SECONDS
	geth_port=${GETH_HTTP_PORT:-8545}
	local auth_port=${GETH_AUTH_PORT:-$((geth_port + 6))}
	listen=${LIAISON_LISTEN:-127.0.0.1:9464}
	otlp=${LIAISON_OTLP:-}
	geth_rpc=http://127.0.0.1:$geth_port

	if [[ -e $dir ]]; then
		[[ -f $dir/$MARKER || -z $(ls -A "$dir") ]] || die "$dir exists and was not made by ledgers.sh; choose another DIR"
		if geth_running >/dev/null || ls "$dir"/fabric/pids/*.pid >/dev/null 2>&1 || [[ -f $dir/cosmos/node.pid ]]; then
			die "ledgers are running in $dir: run 'ledgers.sh down $dir' first"
		fi
		rm -rf "$dir"
	fi
	local p
	for p in "$geth_port" "$auth_port" "${listen##*:}"; do
		port_free "$p" || die "port $p is in use; set GETH_HTTP_PORT, GETH_AUTH_PORT or LIAISON_LISTEN"
	done
	mkdir -p "$dir"/{bin,keys,logs} "$geth_dir"
	: >"$dir/$MARKER"
	trap 'rc=$?; if ((rc)); then up_failed; fi' EXIT

	# Binaries: geth (cached by scripts/gobin.sh), liaison and evmtool,
	# built while the Fabric network comes up.
	local geth=${LIAISON_GETH:-}
	[[ -n $geth ]] || geth=$("$root/scripts/gobin.sh" geth)
	liaison=${LIAISON_BIN:-$dir/bin/liaison}
	evmtool=$dir/bin/evmtool
	(
		cd "$root"
		go build -o "$evmtool" ./e2e/tools/evmtool
		[[ -n ${LIAISON_BIN:-} ]] || go build -o "$liaison" ./cmd/liaison
	) >"$dir/logs/build.log" 2>&1 &
	build_pid=$!

	# procurement: geth --dev, in its own session so that it outlives this
	# script.
	setsid "$geth" --dev --dev.period 1 --datadir "$geth_dir/data" \
		--http --http.addr 127.0.0.1 --http.port "$geth_port" --http.api eth,net,web3,txpool \
		--authrpc.addr 127.0.0.1 --authrpc.port "$auth_port" --port 0 --nodiscover --maxpeers 0 \
		--ipcdisable --verbosity 2 >"$geth_dir/geth.log" 2>&1 </dev/null &
	echo $! >"$geth_pid"

	# finance and registry, at the same time.
	COSMOS_CHAIN_NAME=finance "$here/cosmos/devnet.sh" up "$dir/cosmos" >/dev/null 2>"$dir/logs/cosmos-up.log" &
	cosmos_pid=$!
	FABRIC_CHAIN_NAME=registry "$here/fabric/network.sh" up "$dir/fabric" >/dev/null 2>"$dir/logs/fabric-up.log" ||
		die "the Fabric network did not come up: $(tail -n 3 "$dir/logs/fabric-up.log")"
	step "registry (Fabric) up after $((SECONDS - t0)) s"
	wait "$cosmos_pid" || die "the Cosmos devnet did not come up: $(tail -n 3 "$dir/logs/cosmos-up.log")"
	step "finance (Cosmos) up after $((SECONDS - t0)) s"

	local i
	for ((i = 0; i < 300; i++)); do
		rpc_ok "$geth_rpc" && break
		geth_running >/dev/null || die "geth exited: $(tail -n 3 "$geth_dir/geth.log")"
		sleep 0.2
	done
	rpc_ok "$geth_rpc" || die "geth does not answer at $geth_rpc (log: $geth_dir/geth.log)"
	wait "$build_pid" || die "build failed: $(tail -n 5 "$dir/logs/build.log")"

	# The relayer's EVM key; the Outbox and Inbox of procurement, with the
	# relayer as the Inbox's one attestor.
	local relayer_addr
	relayer_addr=$("$evmtool" keygen "$dir/keys/procurement.key")
	"$evmtool" deploy --rpc "$geth_rpc" --chain procurement --attestor "$relayer_addr" --fund "$relayer_addr" \
		>"$dir/logs/evm-deploy.env" 2>"$dir/logs/evm-deploy.log" ||
		die "deploying the EVM contracts failed: $(tail -n 3 "$dir/logs/evm-deploy.log")"
	step "procurement (EVM) up with its Outbox and Inbox after $((SECONDS - t0)) s"

	set -a
	# shellcheck disable=SC1091
	. "$dir/fabric/network.env"
	# shellcheck disable=SC1091
	. "$dir/cosmos/devnet.env"
	# shellcheck disable=SC1091
	. "$dir/logs/evm-deploy.env"
	set +a

	# The Cosmos trust anchor: a recent block, as an operator would read it
	# from a node they trust.
	local commit
	commit=$(curl -fsS "$COSMOS_RPC/commit")
	trust_height=$(jq -r .result.signed_header.header.height <<<"$commit")
	trust_hash=$(jq -r .result.signed_header.commit.block_id.hash <<<"$commit")

	# The gateway's IBC client on finance, then the final config.
	write_config ""
	local client
	client=$("$liaison" cosmos setup-client -c "$dir/liaison.yaml" --chain finance 2>"$dir/logs/setup-client.log") ||
		die "liaison cosmos setup-client failed: $(tail -n 3 "$dir/logs/setup-client.log")"
	write_config "$client"
	"$liaison" config validate "$dir/liaison.yaml" >"$dir/logs/validate.log" 2>&1 ||
		die "liaison config validate: $(cat "$dir/logs/validate.log")"
	step "finance gateway client $client set up after $((SECONDS - t0)) s"

	cat >"$dir/ledgers.env" <<EOF
# Written by e2e/ledgers.sh up; KEY=VALUE, safe to source.
LEDGERS_DIR=$dir
LIAISON=$liaison
LIAISON_CONFIG=$dir/liaison.yaml
LIAISON_METRICS=http://$listen/metrics
EVMTOOL=$evmtool
FABRIC_NETWORK=$dir/fabric
FABRIC_NETWORK_SH=$here/fabric/network.sh
GETH_RPC=$geth_rpc
GETH_PID_FILE=$geth_pid
EVM_CHAIN_ID=$EVM_CHAIN_ID
EVM_OUTBOX=$EVM_OUTBOX
EVM_INBOX=$EVM_INBOX
EVM_ADMIN=$EVM_ADMIN
EVM_RELAYER=$relayer_addr
COSMOS_ENV=$dir/cosmos/devnet.env
COSMOS_BIN=$COSMOS_BIN
COSMOS_NODE=$COSMOS_NODE
COSMOS_CLIENT_ID=$client
EOF
	trap - EXIT
	step "all three ledgers up in $((SECONDS - t0)) s"

	local payload
	payload=$(printf '%s' '{"licence":"LIC-2026-0001","holder":"Acme Ltd","kind":"import"}' | base64 -w0)
	cat <<EOF

Three ledgers are up in $dir (endpoints in $dir/ledgers.env):
  registry     Fabric 2.5   peers $FABRIC_ORG1_PEER_ADDRESS, $FABRIC_ORG2_PEER_ADDRESS, channel $FABRIC_CHANNEL, chaincode $FABRIC_CHAINCODE
  procurement  geth --dev   $geth_rpc, chain id $EVM_CHAIN_ID, Outbox $EVM_OUTBOX, Inbox $EVM_INBOX
  finance      liaison-simd $COSMOS_RPC, chain id $COSMOS_CHAIN_ID, gateway client $client
Routes in $dir/liaison.yaml: registry → procurement, registry → finance, procurement → registry.

Next, in another terminal:
  $liaison start -c $dir/liaison.yaml

Publish a licence on the registry (Fabric), once per destination; each prints TXID STATUS RECORD_ID:
  $here/fabric/network.sh invoke $dir/fabric --as 2:User1 PublishRecord procurement licensing application/json $payload
  $here/fabric/network.sh invoke $dir/fabric --as 2:User1 PublishRecord finance licensing application/json $payload

Publish a payment on procurement (EVM) that names the licence record; it prints RECORD_ID TX:
  $evmtool publish --rpc $geth_rpc --outbox $EVM_OUTBOX --to registry --receiver payments '{"payment":"PAY-1","licence_record":"RECORD_ID"}'

See each record on its destination:
  $evmtool delivered --rpc $geth_rpc --inbox $EVM_INBOX RECORD_ID
  $COSMOS_BIN query records delivered RECORD_ID --node $COSMOS_NODE
  $here/fabric/network.sh query $dir/fabric IsDelivered RECORD_ID

Trace a record, then check its evidence offline:
  $liaison trace RECORD_ID -c $dir/liaison.yaml
  $liaison evidence export RECORD_ID -c $dir/liaison.yaml -o evidence.json
  $liaison evidence verify evidence.json -c $dir/liaison.yaml   # exit 3 for rpc-finality evidence unless --accept-endpoint-trust

Stop the ledgers (the store and evidence stay in $dir):
  $here/ledgers.sh down $dir
EOF
}

cmd=${1:-}
layout "${2:-/tmp/liaison-ledgers}"
case "$cmd" in
up) up ;;
down)
	[[ -d $dir ]] || exit 0
	[[ -f $dir/$MARKER ]] || die "$dir was not made by ledgers.sh"
	down
	step "stopped the ledgers in $dir"
	;;
clean)
	[[ -d $dir ]] || exit 0
	[[ -f $dir/$MARKER ]] || die "$dir was not made by ledgers.sh; not deleting it"
	down
	rm -rf "$dir"
	;;
*) die "usage: ledgers.sh up|down|clean [DIR] (got '$cmd')" ;;
esac
