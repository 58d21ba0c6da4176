#!/usr/bin/env bash
# devnet.sh: a one-validator liaison-simd chain (Cosmos SDK + ibc-go v10 +
# the Liaison records module) on loopback, for Liaison's end-to-end tests.
#
#   devnet.sh up [DIR]     create a fresh chain in DIR, start it, wait until
#                          it has committed height 2, write DIR/devnet.env
#   devnet.sh down [DIR]   stop the node by its PID (DIR/node.pid); keep DIR
#   devnet.sh clean [DIR]  down, then delete DIR
#
# DIR defaults to /tmp/liaison-cosmos. It holds the node home (DIR/home:
# config, keyring-test, data), the node log (DIR/node.log), its PID, and for
# clients:
#   DIR/devnet.env         KEY=VALUE lines, safe to `source`: endpoints, chain
#                          id and name, binary, key paths (see below)
#   DIR/relayer.key        the funded relayer account's secp256k1 private key,
#                          64 hex digits (mode 0600)
#   DIR/relayer.mnemonic   its BIP-39 mnemonic (mode 0600)
# `up` refuses a non-empty DIR that it did not create (marker file
# DIR/.liaison-cosmos-devnet), and wipes one that it did.
#
# Settings, from the environment:
#   COSMOS_BASE_PORT       RPC port (default 26657); P2P is BASE+1, gRPC BASE+2,
#                          the unused ABCI address BASE+3. Give two chains bases
#                          at least 4 apart.
#   COSMOS_CHAIN_NAME      the records chain name in record IDs (default finance)
#   COSMOS_CHAIN_ID        the CometBFT chain id (default liaison-<name>-1)
#   COSMOS_TIMEOUT_COMMIT  CometBFT timeout_commit (default 500ms)
#   COSMOS_TIMEOUT         seconds to wait for height 2 (default 60)
#   LIAISON_SIMD           the liaison-simd binary (default: scripts/cosmos.sh build)
#   COSMOS_KEEP_FAILED=1   leave the node running when `up` fails
set -euo pipefail

readonly MARKER=.liaison-cosmos-devnet
readonly DENOM=stake

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

die() {
	echo "devnet.sh: $*" >&2
	exit 1
}

layout() {
	dir=$1
	home=$dir/home
	pidfile=$dir/node.pid
	logfile=$dir/node.log
	envfile=$dir/devnet.env
}

# running: the node's PID if the process in pidfile is alive and is our
# node (its command line names our home), else nothing.
running() {
	[[ -f $pidfile ]] || return 1
	local pid
	pid=$(<"$pidfile")
	if ! [[ $pid =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
		return 1
	fi
	# A PID can be reused: only our node has our home on its command line.
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--home $home" || return 1
	echo "$pid"
}

down() {
	local pid
	if pid=$(running); then
		kill -TERM "$pid"
		local i
		for ((i = 0; i < 150; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "devnet.sh: node $pid did not stop in 15 s; killing it" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$pidfile"
}

# make_chain BIN CHAIN_ID NAME: init the node home, set the records chain
# name, make and fund the validator and relayer keys, and build the genesis
# with the validator's gentx. Leaves the relayer key JSON in
# dir/relayer.json.
make_chain() {
	local bin=$1 chain_id=$2 name=$3
	local kr=(--keyring-backend test --home "$home")
	local g=$home/config/genesis.json
	"$bin" init validator --chain-id "$chain_id" --default-denom "$DENOM" --home "$home" || return 1
	# The records module must know its chain name before any genesis
	# validation (gentx validates).
	jq --arg n "$name" '.app_state.records.params.chain_name = $n' "$g" >"$g.tmp" || return 1
	mv "$g.tmp" "$g" || return 1
	"$bin" keys add validator "${kr[@]}" --output json || return 1
	"$bin" keys add relayer "${kr[@]}" --output json >"$dir/relayer.json" || return 1
	"$bin" genesis add-genesis-account validator "1000000000000$DENOM" "${kr[@]}" || return 1
	"$bin" genesis add-genesis-account relayer "1000000000000$DENOM" "${kr[@]}" || return 1
	"$bin" genesis gentx validator "100000000$DENOM" --chain-id "$chain_id" "${kr[@]}" || return 1
	"$bin" genesis collect-gentxs --home "$home" || return 1
	"$bin" genesis validate --home "$home"
}

# height RPC: the latest committed height, or nothing while the node does
# not answer.
height() {
	curl -fsS --max-time 2 "$1/status" 2>/dev/null | jq -r '.result.sync_info.latest_block_height // empty' 2>/dev/null || true
}

up() {
	command -v jq >/dev/null || die "jq is not on PATH"
	command -v curl >/dev/null || die "curl is not on PATH"
	local base=${COSMOS_BASE_PORT:-26657}
	if ! [[ $base =~ ^[0-9]+$ ]] || ((base <= 1024 || base >= 65530)); then
		die "COSMOS_BASE_PORT=$base: want a port number from 1025 to 65529"
	fi
	local name=${COSMOS_CHAIN_NAME:-finance}
	local chain_id=${COSMOS_CHAIN_ID:-liaison-$name-1}
	local timeout=${COSMOS_TIMEOUT:-60}
	local rpc_port=$base p2p_port=$((base + 1)) grpc_port=$((base + 2)) abci_port=$((base + 3))
	local rpc=http://127.0.0.1:$rpc_port

	if running >/dev/null; then
		die "a node is already running in $dir (PID $(<"$pidfile")); run: devnet.sh down $dir"
	fi
	if [[ -d $dir && -n $(ls -A "$dir") && ! -f $dir/$MARKER ]]; then
		die "$dir is not empty and was not made by devnet.sh; choose another DIR"
	fi
	local port
	for port in $rpc_port $p2p_port $grpc_port; do
		if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			die "port $port is in use; set COSMOS_BASE_PORT"
		fi
	done

	local bin=${LIAISON_SIMD:-}
	if [[ -z $bin ]]; then
		bin=$("$root/scripts/cosmos.sh" build)
	fi
	[[ -x $bin ]] || die "liaison-simd binary $bin is not executable"

	local t0=$SECONDS
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	mkdir -m 700 "$dir"
	touch "$dir/$MARKER"
	local kr=(--keyring-backend test --home "$home")
	local setup_log=$dir/setup.log
	make_chain "$bin" "$chain_id" "$name" >"$setup_log" 2>&1 ||
		die "creating the chain failed: $(grep -v '^\s*$' "$setup_log" | tail -n 1) (log: $setup_log)"

	(
		umask 077
		jq -r .mnemonic "$dir/relayer.json" >"$dir/relayer.mnemonic"
		echo y | "$bin" keys export relayer --unarmored-hex --unsafe "${kr[@]}" 2>/dev/null | tr -d '\r\n' >"$dir/relayer.key"
	)
	[[ $(wc -c <"$dir/relayer.key") -eq 64 ]] || die "exporting the relayer key failed"
	local address pubkey
	address=$(jq -r .address "$dir/relayer.json")
	pubkey=$(jq -r '.pubkey | fromjson | .key' "$dir/relayer.json")
	rm -f "$dir/relayer.json"

	sed -i -e "s/^timeout_commit = .*/timeout_commit = \"${COSMOS_TIMEOUT_COMMIT:-500ms}\"/" \
		-e 's/^prometheus = .*/prometheus = false/' "$home/config/config.toml"
	grep -q "^timeout_commit = \"${COSMOS_TIMEOUT_COMMIT:-500ms}\"" "$home/config/config.toml" ||
		die "could not set timeout_commit in $home/config/config.toml"

	local t1=$SECONDS
	"$bin" start --home "$home" \
		--rpc.laddr "tcp://127.0.0.1:$rpc_port" \
		--p2p.laddr "tcp://127.0.0.1:$p2p_port" \
		--grpc.address "127.0.0.1:$grpc_port" \
		--proxy_app "tcp://127.0.0.1:$abci_port" \
		--rpc.pprof_laddr "" \
		--api.enable=false \
		>"$logfile" 2>&1 &
	local pid=$!
	echo "$pid" >"$pidfile"

	local h=""
	local deadline=$((SECONDS + timeout))
	while ((SECONDS < deadline)); do
		# (Not `running`: right after the fork the PID may still show
		# this script's command line.)
		if ! kill -0 "$pid" 2>/dev/null; then
			rm -f "$pidfile"
			die "the node exited: $(grep -v '^\s*$' "$logfile" | tail -n 1) (log: $logfile)"
		fi
		h=$(height "$rpc")
		if [[ $h =~ ^[0-9]+$ ]] && ((h >= 2)); then
			break
		fi
		sleep 0.2
	done
	if ! [[ $h =~ ^[0-9]+$ ]] || ((h < 2)); then
		[[ ${COSMOS_KEEP_FAILED:-} == 1 ]] || down
		die "no height 2 at $rpc after ${timeout} s (log: $logfile)"
	fi

	cat >"$envfile" <<ENV
# Written by e2e/cosmos/devnet.sh up; KEY=VALUE, safe to source.
COSMOS_DIR=$dir
COSMOS_HOME=$home
COSMOS_BIN=$bin
COSMOS_CHAIN_ID=$chain_id
COSMOS_CHAIN_NAME=$name
COSMOS_DENOM=$DENOM
COSMOS_RPC=$rpc
COSMOS_NODE=tcp://127.0.0.1:$rpc_port
COSMOS_GRPC=127.0.0.1:$grpc_port
COSMOS_KEYRING_BACKEND=test
COSMOS_RELAYER_KEY_NAME=relayer
COSMOS_RELAYER_ADDRESS=$address
COSMOS_RELAYER_PUBKEY=$pubkey
COSMOS_RELAYER_KEY_FILE=$dir/relayer.key
COSMOS_RELAYER_MNEMONIC_FILE=$dir/relayer.mnemonic
COSMOS_PID_FILE=$pidfile
COSMOS_LOG=$logfile
ENV
	echo "devnet.sh: $chain_id ($name) up at $rpc, height $h: setup $((t1 - t0)) s, start to height 2 $((SECONDS - t1)) s; env: $envfile" >&2
	echo "$envfile"
}

cmd=${1:-}
layout "$(realpath -m "${2:-/tmp/liaison-cosmos}")"
case "$cmd" in
up) up ;;
down) down ;;
clean)
	if [[ -d $dir && -n $(ls -A "$dir") && ! -f $dir/$MARKER ]]; then
		die "$dir was not made by devnet.sh; not deleting it"
	fi
	down
	rm -rf "$dir"
	;;
*) die "usage: devnet.sh up|down|clean [DIR] (got '$cmd')" ;;
esac
