#!/usr/bin/env bash
# network.sh: a local Hyperledger Fabric network for Liaison's end-to-end
# tests, with no Docker: every node is a process on loopback, TLS everywhere.
#
#   network.sh up [DIR]        2 orgs (Org1MSP, Org2MSP; one peer each), one etcdraft
#                              orderer (OrdererMSP), Fabric 2.5.0
#   network.sh up-bft [DIR]    the same with 4 SmartBFT orderers, on the Fabric 3.0 snapshot
#   network.sh down [DIR]      stop every process of the network, by PID
#   network.sh clean [DIR]     down, then delete DIR
#   network.sh invoke [DIR] [--peers 1,2] [--as ORG:USER] FUNCTION [ARG...]
#                              submit a transaction to the records chaincode with the peer CLI,
#                              endorsed by the listed orgs' peers; wait until they commit it and
#                              print "TXID STATUS PAYLOAD" (ORG: 1 or 2; USER: Admin, User1, User2)
#   network.sh query [DIR] [--peer N] [--as ORG:USER] FUNCTION [ARG...]
#                              evaluate a function on one peer and print its result
#                              (both take --name CHAINCODE for another definition)
#   network.sh deploy [DIR] NAME [SIGNATURE_POLICY]
#                              define the records package once more as chaincode NAME, e.g.
#                              with "OR('Org1MSP.peer','Org2MSP.peer')", and Init it
#
# DIR defaults to /tmp/liaison-fabric. It holds everything the network
# makes: crypto material, the channel block, ledgers, logs (DIR/logs), PIDs
# (DIR/pids), and DIR/network.env and DIR/network.json, which describe the
# endpoints, TLS CAs and identities for clients (see e2e/fabric/README.md).
#
# `up` creates the channel "records", deploys the records chaincode
# (adapters/fabric/chaincode) as a service, and initializes it.
#
# Settings, from the environment:
#   FABRIC_BASE_PORT     first port (default 7050); the network uses BASE..BASE+60
#   FABRIC_CHAIN_NAME    the chain name in record IDs (default registry)
#   FABRIC_ATTESTORS     Inbox attestors, space separated (default "Org1MSP:User1 Org2MSP:User1"):
#                        MSP:USER (the certificate of a generated user), MSP/ou/OU or MSP/cert/SHA256HEX
#   FABRIC_THRESHOLD     Inbox threshold M (default 1)
#   FABRIC_BATCH_TIMEOUT orderer batch timeout (default 100ms)
#   FABRIC_TIMEOUT       seconds to wait for each readiness check (default 60)
#   FABRIC_BIN           use Fabric commands from this directory instead of building them
#   FABRIC_KEEP_FAILED=1 leave the processes running when `up` fails
set -euo pipefail

readonly CHANNEL=records
readonly CC_NAME=records
readonly CC_LABEL=records_1.0
readonly DOMAIN=liaison.test
readonly MARKER=.liaison-fabric-network

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
started=() # the processes this run started (names)
root=$(cd "$here/../.." && pwd)

die() {
	echo "network.sh: $*" >&2
	exit 1
}

# ---------------------------------------------------------------- layout

# layout DIR [new] sets the paths and ports of the network in DIR.
layout() {
	dir=$1
	[[ $dir == /* ]] || dir=$PWD/$dir
	dir=${dir%/}
	base=${FABRIC_BASE_PORT:-7050}
	if ! [[ $base =~ ^[0-9]+$ ]] || ((base < 1 || base + 60 > 65535)); then
		die "FABRIC_BASE_PORT=$base is not a port (the network uses BASE..BASE+60)"
	fi
	# A network that exists keeps the ports it was made with.
	if [[ ${2:-} != new && -f $dir/network.ports ]]; then
		base=$(<"$dir/network.ports")
	fi
	crypto=$dir/crypto
	cfg=$dir/config
	ord_org=$crypto/ordererOrganizations/orderer.$DOMAIN
	ord_tlsca=$ord_org/tlsca/tlsca.orderer.$DOMAIN-cert.pem
	ord_admin_tls=$ord_org/users/Admin@orderer.$DOMAIN/tls
	cc_addr=127.0.0.1:$((base + 60))
}

# Ports: orderer i uses BASE+5i (gRPC), +1 (admin), +2 (operations); the
# peer of org k uses BASE+30+10k (gRPC), +1 (chaincode), +2 (operations);
# the chaincode server listens on BASE+60.
ord_port() { echo $((base + 5 * $1)); }
peer_port() { echo $((base + 30 + 10 * $1)); }
org_dir() { echo "$crypto/peerOrganizations/org$1.$DOMAIN"; }
peer_dir() { echo "$(org_dir "$1")/peers/peer0.org$1.$DOMAIN"; }
user_msp() { echo "$(org_dir "$1")/users/$2@org$1.$DOMAIN/msp"; }
ord_dir() { echo "$ord_org/orderers/orderer$1.orderer.$DOMAIN"; }

# ---------------------------------------------------------------- processes

# start NAME CMD...: run CMD detached (its own session, so it outlives this
# script), logging to DIR/logs/NAME.log, its PID in DIR/pids/NAME.pid.
# FABRIC_NETWORK_DIR marks the process as ours from its first instruction
# (see ours).
start() {
	local name=$1
	shift
	FABRIC_NETWORK_DIR="$dir/" setsid "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
	echo $! >"$dir/pids/$name.pid"
	started+=("$name")
}

# alive NAME: the process NAME started is still running.
alive() {
	local f=$dir/pids/$1.pid pid
	[[ -f $f ]] || return 1
	pid=$(<"$f")
	ours "$pid"
}

# ours PID: PID is a process of this network: its environment holds
# FABRIC_NETWORK_DIR=DIR/. A PID that an unrelated process reused is never
# signalled.
ours() { [[ -d /proc/$1 ]] && grep -qaF -- "FABRIC_NETWORK_DIR=$dir/" "/proc/$1/environ" 2>/dev/null; }

# check_alive fails if a process started by this run has exited.
check_alive() {
	local n
	for n in "${started[@]}"; do
		alive "$n" || die "$n exited: $(why "$dir/logs/$n.log") (log: $dir/logs/$n.log)"
	done
}

# why LOG: the telling lines of a node's log: its first fatal or panic
# lines, else its last lines.
why() {
	local lines
	lines=$(sed 's/\x1b\[[0-9;]*m//g' "$1" 2>/dev/null | grep -m 3 -E ' (FATA|PANI) |^panic:' || true)
	[[ -n $lines ]] || lines=$(tail -n 5 "$1" 2>/dev/null)
	echo "$lines"
}

# check_ports: fail early when a port the network needs is taken.
check_ports() {
	local n=$1 i k p ports=()
	for ((i = 0; i < n; i++)); do
		p=$(ord_port "$i")
		ports+=("$p" $((p + 1)) $((p + 2)))
	done
	for k in 1 2; do
		p=$(peer_port "$k")
		ports+=("$p" $((p + 1)) $((p + 2)))
	done
	ports+=("${cc_addr##*:}")
	for p in "${ports[@]}"; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			die "port $p is in use; set FABRIC_BASE_PORT to another base (this network uses $base..$((base + 60)))"
		fi
	done
}

# wait_until DESC CMD...: poll CMD until it succeeds, for at most
# FABRIC_TIMEOUT seconds, failing early if a node died.
wait_until() {
	local desc=$1 out deadline=$((SECONDS + ${FABRIC_TIMEOUT:-60}))
	shift
	until out=$("$@" 2>&1); do
		check_alive
		((SECONDS < deadline)) || die "$desc: still failing after ${FABRIC_TIMEOUT:-60}s: $(tail -n 3 <<<"$out")"
		sleep 0.2
	done
}

# stop_all sends SIGTERM to every process with a PID file, then SIGKILL to
# those still running after 15 s.
stop_all() {
	local f pid pids=() deadline
	shopt -s nullglob
	for f in "$dir"/pids/*.pid; do
		pid=$(<"$f")
		if ours "$pid"; then
			kill -TERM "$pid" 2>/dev/null || true
			pids+=("$pid")
		fi
		rm -f "$f"
	done
	deadline=$((SECONDS + 15))
	for pid in "${pids[@]}"; do
		while [[ -d /proc/$pid ]] && ((SECONDS < deadline)); do sleep 0.1; done
		if [[ -d /proc/$pid ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
	done
}

# mark STEP: note in DIR/logs/up.log how long bring-up took to reach STEP.
mark() {
	local now
	now=$(date +%s.%N)
	printf '%6.2fs %s\n' "$(awk -v a="$now" -v b="$t_start" 'BEGIN { print a - b }')" "$1" >>"$dir/logs/up.log"
}

# ---------------------------------------------------------------- CLI helpers

# peercli ORG USER ARGS...: the peer CLI as USER of org ORG, talking to that
# org's peer.
peercli() {
	local k=$1 user=$2
	shift 2
	env FABRIC_CFG_PATH="$cfg" FABRIC_LOGGING_SPEC="${cli_log:-warn}" \
		CORE_PEER_LOCALMSPID="Org${k}MSP" \
		CORE_PEER_MSPCONFIGPATH="$(user_msp "$k" "$user")" \
		CORE_PEER_ADDRESS="127.0.0.1:$(peer_port "$k")" \
		CORE_PEER_TLS_ENABLED=true \
		CORE_PEER_TLS_ROOTCERT_FILE="$(peer_dir "$k")/tls/ca.crt" \
		"$bin/peer" "$@"
}

# osnadmin_cli I ARGS...: osnadmin against orderer I's admin endpoint.
osnadmin_cli() {
	local i=$1
	shift
	"$bin/osnadmin" "$@" -o "127.0.0.1:$(($(ord_port "$i") + 1))" --ca-file "$ord_tlsca" \
		--client-cert "$ord_admin_tls/client.crt" --client-key "$ord_admin_tls/client.key"
}

# json_args ARG...: a JSON array of strings.
json_args() {
	local out='' a sep=''
	for a in "$@"; do
		a=${a//\\/\\\\}
		a=${a//\"/\\\"}
		a=${a//$'\n'/\\n}
		a=${a//$'\t'/\\t}
		out+="$sep\"$a\""
		sep=,
	done
	echo "[$out]"
}

# orderer_args: the peer CLI flags that name the orderer.
orderer_args() { echo -o "127.0.0.1:$(ord_port 0)" --tls --cafile "$ord_tlsca"; }

# peer_args ORG...: the peer CLI flags that name these orgs' peers.
peer_args() {
	local k
	for k in "$@"; do echo --peerAddresses "127.0.0.1:$(peer_port "$k")" --tlsRootCertFiles "$(peer_dir "$k")/tls/ca.crt"; done
}

# cc_invoke AS_ORG AS_USER PEERS FUNCTION ARGS...: submit a transaction
# endorsed by the peers of the orgs in PEERS (comma separated), wait until
# those peers committed it, and print one line: "TXID STATUS PAYLOAD"
# (STATUS as the first peer reports it: VALID, ENDORSEMENT_POLICY_FAILURE,
# MVCC_READ_CONFLICT, ...). It fails unless the status is VALID, after
# printing the line.
cc_invoke() {
	local k=$1 user=$2 peers=$3 out rc=0 txid status payload
	shift 3
	# shellcheck disable=SC2046,SC2086
	out=$(cli_log=info peercli "$k" "$user" chaincode invoke $(orderer_args) -C "$CHANNEL" -n "${cc_name:-$CC_NAME}" \
		$(peer_args ${peers//,/ }) --waitForEvent --waitForEventTimeout 30s \
		-c "{\"Args\":$(json_args "$@")}" 2>&1) || rc=$?
	txid=$(sed -n 's/.*txid \[\([0-9a-f]*\)\] committed with status (\([A-Z_]*\)).*/\1/p' <<<"$out" | head -n 1)
	status=$(sed -n 's/.*txid \[\([0-9a-f]*\)\] committed with status (\([A-Z_]*\)).*/\2/p' <<<"$out" | head -n 1)
	payload=$(sed -n 's/.*Chaincode invoke successful. result: status:200 payload:"\(.*\)" *$/\1/p' <<<"$out" | sed 's/\\"/"/g')
	if [[ -n $txid ]]; then
		echo "$txid $status $payload"
	fi
	if ((rc)) || [[ $status != VALID ]]; then
		grep -v 'INFO' <<<"$out" | grep -v '^$' >&2 || true
		return 1
	fi
}

cc_query() {
	local k=$1 user=$2
	shift 2
	peercli "$k" "$user" chaincode query -C "$CHANNEL" -n "${cc_name:-$CC_NAME}" -c "{\"Args\":$(json_args "$@")}"
}

# ---------------------------------------------------------------- generated files

write_crypto_config() {
	local n=$1 i
	{
		echo "OrdererOrgs:"
		echo "  - Name: Orderer"
		echo "    Domain: orderer.$DOMAIN"
		echo "    EnableNodeOUs: true"
		echo "    Specs:"
		for ((i = 0; i < n; i++)); do
			echo "      - Hostname: orderer$i"
			echo "        SANS: [127.0.0.1, localhost]"
		done
		echo "PeerOrgs:"
		for i in 1 2; do
			echo "  - Name: Org$i"
			echo "    Domain: org$i.$DOMAIN"
			echo "    EnableNodeOUs: true"
			echo "    Template: {Count: 1, SANS: [127.0.0.1, localhost]}"
			echo "    Users: {Count: 2}"
		done
	} >"$cfg/crypto-config.yaml"
}

# write_configtx MODE: the channel profile "Records" for configtxgen.
write_configtx() {
	local mode=$1 n=$2 i k
	{
		cat <<EOF
# Generated by e2e/fabric/network.sh for a throw-away network.
Organizations:
  - &OrdererOrg
    Name: OrdererMSP
    ID: OrdererMSP
    MSPDir: $ord_org/msp
    Policies:
      Readers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
      Writers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
      Admins: {Type: Signature, Rule: "OR('OrdererMSP.admin')"}
    OrdererEndpoints:
EOF
		for ((i = 0; i < n; i++)); do echo "      - 127.0.0.1:$(ord_port "$i")"; done
		for k in 1 2; do
			cat <<EOF
  - &Org$k
    Name: Org${k}MSP
    ID: Org${k}MSP
    MSPDir: $(org_dir "$k")/msp
    Policies:
      Readers: {Type: Signature, Rule: "OR('Org${k}MSP.admin', 'Org${k}MSP.peer', 'Org${k}MSP.client')"}
      Writers: {Type: Signature, Rule: "OR('Org${k}MSP.admin', 'Org${k}MSP.client')"}
      Admins: {Type: Signature, Rule: "OR('Org${k}MSP.admin')"}
      Endorsement: {Type: Signature, Rule: "OR('Org${k}MSP.peer')"}
    AnchorPeers:
      - {Host: 127.0.0.1, Port: $(peer_port "$k")}
EOF
		done
		local chancap=V2_0
		[[ $mode == bft ]] && chancap=V3_0
		cat <<EOF
Profiles:
  Records:
    Policies:
      Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
      Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
      Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
    Capabilities: {$chancap: true}
    Orderer:
      BatchTimeout: ${FABRIC_BATCH_TIMEOUT:-100ms}
      BatchSize: {MaxMessageCount: 100, AbsoluteMaxBytes: 10 MB, PreferredMaxBytes: 2 MB}
      Organizations: [*OrdererOrg]
      Policies:
        Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
        Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
        Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
        BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
      Capabilities: {V2_0: true}
EOF
		if [[ $mode == raft ]]; then
			cat <<EOF
      OrdererType: etcdraft
      EtcdRaft:
        Consenters:
          - Host: 127.0.0.1
            Port: $(ord_port 0)
            ClientTLSCert: $(ord_dir 0)/tls/server.crt
            ServerTLSCert: $(ord_dir 0)/tls/server.crt
        Options: {TickInterval: 100ms, ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: 16 MB}
EOF
		else
			echo "      OrdererType: BFT"
			echo "      ConsenterMapping:"
			for ((i = 0; i < n; i++)); do
				cat <<EOF
        - ID: $((i + 1))
          Host: 127.0.0.1
          Port: $(ord_port "$i")
          MSPID: OrdererMSP
          Identity: $(ord_dir "$i")/msp/signcerts/orderer$i.orderer.$DOMAIN-cert.pem
          ClientTLSCert: $(ord_dir "$i")/tls/server.crt
          ServerTLSCert: $(ord_dir "$i")/tls/server.crt
EOF
			done
		fi
		cat <<EOF
    Application:
      Organizations: [*Org1, *Org2]
      Policies:
        Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
        Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
        Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
        LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
        Endorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
      Capabilities: {V2_0: true}
EOF
	} >"$cfg/configtx.yaml"
}

# write_builder: the external builder the peers use for chaincode-as-a-service
# packages. The peer runs detect, build and release in turn; for ccaas they
# only hand connection.json through.
write_builder() {
	local b=$dir/builders/ccaas/bin
	mkdir -p "$b"
	cat >"$b/detect" <<'EOF'
#!/bin/sh
# detect SOURCE METADATA: claim packages whose metadata.json says type ccaas.
grep -q '"type"[[:space:]]*:[[:space:]]*"ccaas"' "$2/metadata.json"
EOF
	cat >"$b/build" <<'EOF'
#!/bin/sh
# build SOURCE METADATA OUTPUT: nothing to compile; keep the connection info.
set -e
cp "$1/connection.json" "$3/connection.json"
EOF
	cat >"$b/release" <<'EOF'
#!/bin/sh
# release BUILD RELEASE: tell the peer where the chaincode server is.
set -e
mkdir -p "$2/chaincode/server"
cp "$1/connection.json" "$2/chaincode/server/connection.json"
EOF
	chmod 755 "$b/detect" "$b/build" "$b/release"
}

# write_package: the chaincode package (made once per network, since a
# re-packed tarball gets another package ID).
write_package() {
	local p=$dir/chaincode/pkg
	mkdir -p "$p"
	printf '{"address":"%s","dial_timeout":"10s","tls_required":false}\n' "$cc_addr" >"$p/connection.json"
	printf '{"type":"ccaas","label":"%s"}\n' "$CC_LABEL" >"$p/metadata.json"
	tar -C "$p" -czf "$p/code.tar.gz" connection.json
	tar -C "$p" -czf "$dir/chaincode/$CC_LABEL.tgz" metadata.json code.tar.gz
}

# attestor_spec SPEC: AddAttestor's three arguments for one FABRIC_ATTESTORS entry.
attestor_spec() {
	local s=$1 msp user k cert
	if [[ $s == */cert/* || $s == */ou/* ]]; then
		msp=${s%%/*}
		local rest=${s#*/}
		echo "$msp" "${rest%%/*}" "${rest#*/}"
		return
	fi
	[[ $s == *:* ]] || die "FABRIC_ATTESTORS entry '$s': want MSP:USER, MSP/ou/OU or MSP/cert/SHA256"
	msp=${s%%:*} user=${s#*:}
	[[ $msp =~ ^Org([12])MSP$ ]] || die "FABRIC_ATTESTORS entry '$s': no generated users in $msp"
	k=${BASH_REMATCH[1]}
	cert=$(user_msp "$k" "$user")/signcerts/$user@org$k.$DOMAIN-cert.pem
	[[ -f $cert ]] || die "FABRIC_ATTESTORS entry '$s': no certificate $cert"
	echo "$msp" cert "$(openssl x509 -in "$cert" -outform DER | sha256sum | cut -d' ' -f1)"
}

# write_env: DIR/network.env (shell) and DIR/network.json (the same, for Go).
write_env() {
	local mode=$1 n=$2 pkgid=$3 keys=$4 i k u
	local e=$dir/network.env j=$dir/network.json
	{
		echo "# The Fabric network in $dir ($mode). Generated by e2e/fabric/network.sh."
		echo "FABRIC_NETWORK_DIR=$dir"
		echo "FABRIC_MODE=$mode"
		echo "FABRIC_CFG_PATH=$cfg"
		echo "FABRIC_BIN=$bin"
		echo "FABRIC_CHANNEL=$CHANNEL"
		echo "FABRIC_CHAINCODE=$CC_NAME"
		echo "FABRIC_CHAINCODE_PACKAGE_ID=$pkgid"
		echo "FABRIC_CHAINCODE_ADDRESS=$cc_addr"
		echo "FABRIC_CHAIN_NAME=$chain"
		echo "FABRIC_ATTESTOR_KEYS=\"$keys\""
		echo "FABRIC_THRESHOLD=$threshold"
		echo "FABRIC_ORDERER_MSPID=OrdererMSP"
		echo "FABRIC_ORDERER_TLS_CA=$ord_tlsca"
		echo "FABRIC_ORDERER_ADMIN_TLS_CERT=$ord_admin_tls/client.crt"
		echo "FABRIC_ORDERER_ADMIN_TLS_KEY=$ord_admin_tls/client.key"
		for ((i = 0; i < n; i++)); do
			echo "FABRIC_ORDERER${i}_ADDRESS=127.0.0.1:$(ord_port "$i")"
			echo "FABRIC_ORDERER${i}_ADMIN_ADDRESS=127.0.0.1:$(($(ord_port "$i") + 1))"
		done
		echo "FABRIC_ORDERER_ADDRESS=127.0.0.1:$(ord_port 0)"
		for k in 1 2; do
			echo "FABRIC_ORG${k}_MSPID=Org${k}MSP"
			echo "FABRIC_ORG${k}_MSP_DIR=$(org_dir "$k")/msp"
			echo "FABRIC_ORG${k}_PEER_ADDRESS=127.0.0.1:$(peer_port "$k")"
			echo "FABRIC_ORG${k}_PEER_HOST=peer0.org$k.$DOMAIN"
			echo "FABRIC_ORG${k}_PEER_TLS_CA=$(peer_dir "$k")/tls/ca.crt"
			for u in Admin User1 User2; do
				local U=${u^^}
				echo "FABRIC_ORG${k}_${U}_MSP=$(user_msp "$k" "$u")"
				echo "FABRIC_ORG${k}_${U}_CERT=$(user_msp "$k" "$u")/signcerts/$u@org$k.$DOMAIN-cert.pem"
				echo "FABRIC_ORG${k}_${U}_KEY=$(user_msp "$k" "$u")/keystore/priv_sk"
			done
		done
	} >"$e"
	{
		echo "{"
		echo "  \"dir\": \"$dir\","
		echo "  \"mode\": \"$mode\","
		echo "  \"channel\": \"$CHANNEL\","
		echo "  \"chaincode\": \"$CC_NAME\","
		echo "  \"chaincode_package_id\": \"$pkgid\","
		echo "  \"chain_name\": \"$chain\","
		# shellcheck disable=SC2086
		echo "  \"attestors\": $(json_args $keys),"
		echo "  \"threshold\": $threshold,"
		echo "  \"orderers\": ["
		for ((i = 0; i < n; i++)); do
			echo "    {\"address\": \"127.0.0.1:$(ord_port "$i")\", \"admin_address\": \"127.0.0.1:$(($(ord_port "$i") + 1))\", \"host\": \"orderer$i.orderer.$DOMAIN\", \"msp_id\": \"OrdererMSP\", \"tls_ca\": \"$ord_tlsca\"}$( ((i < n - 1)) && echo ,)"
		done
		echo "  ],"
		echo "  \"orgs\": ["
		for k in 1 2; do
			echo "    {"
			echo "      \"msp_id\": \"Org${k}MSP\","
			echo "      \"msp_dir\": \"$(org_dir "$k")/msp\","
			echo "      \"peer\": {\"address\": \"127.0.0.1:$(peer_port "$k")\", \"host\": \"peer0.org$k.$DOMAIN\", \"tls_ca\": \"$(peer_dir "$k")/tls/ca.crt\"},"
			echo "      \"users\": {"
			for u in Admin User1 User2; do
				echo "        \"$u\": {\"msp_dir\": \"$(user_msp "$k" "$u")\", \"cert\": \"$(user_msp "$k" "$u")/signcerts/$u@org$k.$DOMAIN-cert.pem\", \"key\": \"$(user_msp "$k" "$u")/keystore/priv_sk\"}$([[ $u != User2 ]] && echo ,)"
			done
			echo "      }"
			echo "    }$([[ $k == 1 ]] && echo ,)"
		done
		echo "  ]"
		echo "}"
	} >"$j"
}

# ---------------------------------------------------------------- up

up() {
	local mode=$1 n=1 i k t0=$SECONDS
	t_start=$(date +%s.%N)
	[[ $mode == bft ]] && n=4
	chain=${FABRIC_CHAIN_NAME:-registry}
	threshold=${FABRIC_THRESHOLD:-1}
	[[ $chain =~ ^[A-Za-z0-9._-]+$ ]] || die "FABRIC_CHAIN_NAME=$chain: use letters, digits, '.', '_' and '-'"
	[[ $threshold =~ ^[1-9][0-9]*$ ]] || die "FABRIC_THRESHOLD=$threshold is not a positive number"

	if [[ -e $dir ]]; then
		[[ -f $dir/$MARKER || -z $(ls -A "$dir") ]] || die "$dir exists and is not a network made by this script; choose another DIR"
		if ls "$dir"/pids/*.pid >/dev/null 2>&1; then
			die "a network is running in $dir: run 'network.sh down $dir' first"
		fi
		rm -rf "$dir"
	fi
	check_ports "$n"
	mkdir -p "$dir"/{config,channel,logs,pids,bin,chaincode}
	: >"$dir/$MARKER"
	echo "$base" >"$dir/network.ports"
	started=()
	# On failure, show where to look and stop what was started.
	build_pid=
	trap 'rc=$?; if ((rc)); then up_failed; fi' EXIT

	if [[ -n ${FABRIC_BIN:-} ]]; then
		bin=$FABRIC_BIN
	elif [[ $mode == bft ]]; then
		bin=$("$root/scripts/fabric.sh" build-bft)
	else
		bin=$("$root/scripts/fabric.sh" build)
	fi
	[[ -x $bin/peer && -f $bin/../config/core.yaml ]] || die "no Fabric commands and config in $bin"

	# The chaincode server is built while the network comes up.
	(cd "$root/adapters/fabric/chaincode" && go build -trimpath -o "$dir/bin/records" .) >"$dir/logs/build-chaincode.log" 2>&1 &
	build_pid=$!

	# Fabric's sample config, with the settings env vars cannot change:
	# no Docker endpoint (chaincode runs as a service) and, for BFT, the
	# consensus type the orderer reads from its own file.
	cp "$bin/../config/core.yaml" "$bin/../config/orderer.yaml" "$cfg/"
	sed -i 's|^\(    endpoint:\) unix:///var/run/docker.sock|\1 ""|' "$cfg/core.yaml"
	grep -q '^    endpoint: ""' "$cfg/core.yaml" || die "could not unset vm.endpoint in core.yaml"
	if [[ $mode == bft ]]; then
		sed -i 's|^Consensus:$|Consensus:\n    Type: BFT|' "$cfg/orderer.yaml"
		grep -q '^    Type: BFT' "$cfg/orderer.yaml" || die "could not set Consensus.Type in orderer.yaml"
	fi

	write_crypto_config "$n"
	"$bin/cryptogen" generate --config="$cfg/crypto-config.yaml" --output="$crypto" >"$dir/logs/cryptogen.log" 2>&1 ||
		die "cryptogen failed: $(tail -n 3 "$dir/logs/cryptogen.log")"
	write_configtx "$mode" "$n"
	"$bin/configtxgen" -configPath "$cfg" -profile Records -channelID "$CHANNEL" \
		-outputBlock "$dir/channel/$CHANNEL.block" >"$dir/logs/configtxgen.log" 2>&1 ||
		die "configtxgen failed: $(tail -n 3 "$dir/logs/configtxgen.log")"
	write_builder
	write_package
	mark "crypto material, channel block, chaincode package"

	for ((i = 0; i < n; i++)); do start_orderer "$i"; done
	for k in 1 2; do start_peer "$k"; done

	# Orderers: join the channel through the admin API (mTLS).
	for ((i = 0; i < n; i++)); do
		wait_until "orderer$i admin API" osnadmin_cli "$i" channel list
		osnadmin_cli "$i" channel join --channelID "$CHANNEL" --config-block "$dir/channel/$CHANNEL.block" >"$dir/logs/join-orderer$i.log" 2>&1 ||
			die "orderer$i: channel join failed: $(tail -n 3 "$dir/logs/join-orderer$i.log")"
	done

	mark "orderers joined the channel"
	# Peers: a real gRPC call as the org admin, then join.
	for k in 1 2; do
		wait_until "peer of Org${k}MSP" peercli "$k" Admin channel list
		peercli "$k" Admin channel join -b "$dir/channel/$CHANNEL.block" >"$dir/logs/join-peer$k.log" 2>&1 ||
			die "peer of Org${k}MSP: channel join failed: $(tail -n 3 "$dir/logs/join-peer$k.log")"
	done

	mark "peers joined the channel"
	# Chaincode: install the one package on both peers, serve it, approve,
	# commit.
	local pkg=$dir/chaincode/$CC_LABEL.tgz pkgid
	pkgid=$(peercli 1 Admin lifecycle chaincode calculatepackageid "$pkg")
	local pids=()
	for k in 1 2; do
		peercli "$k" Admin lifecycle chaincode install "$pkg" >"$dir/logs/install-peer$k.log" 2>&1 &
		pids+=($!)
	done
	for k in 1 2; do
		wait "${pids[$((k - 1))]}" || die "install on the peer of Org${k}MSP failed: $(tail -n 3 "$dir/logs/install-peer$k.log")"
	done
	wait "$build_pid" || die "building the chaincode failed: $(tail -n 5 "$dir/logs/build-chaincode.log")"
	start chaincode env CHAINCODE_ID="$pkgid" CHAINCODE_SERVER_ADDRESS="$cc_addr" "$dir/bin/records"

	# The orderer must have a leader (raft) or be ready (BFT) before the
	# first transaction.
	wait_orderers_ready "$mode" "$n"

	mark "chaincode installed and served; orderer ready"
	define_chaincode "$CC_NAME" "$pkgid"
	mark "chaincode committed"

	# Initialize: chain name, both orgs as admin MSPs, attestors, threshold.
	local log=$dir/logs/init.log keys='' spec args
	cc_invoke 1 Admin 1,2 Init "$chain" '["Org1MSP","Org2MSP"]' >"$log" 2>&1 ||
		die "chaincode Init failed: $(tail -n 3 "$log")"
	for spec in ${FABRIC_ATTESTORS:-Org1MSP:User1 Org2MSP:User1}; do
		args=$(attestor_spec "$spec")
		# shellcheck disable=SC2086
		cc_invoke 1 Admin 1,2 AddAttestor $args >>"$log" 2>&1 || die "AddAttestor $spec failed: $(tail -n 3 "$log")"
		# shellcheck disable=SC2086
		set -- $args
		keys+="${keys:+ }$1/$2/$3"
	done
	if ((threshold != 1)); then
		cc_invoke 1 Admin 1,2 SetThreshold "$threshold" >>"$log" 2>&1 || die "SetThreshold failed: $(tail -n 3 "$log")"
	fi
	for k in 1 2; do
		wait_until "records chaincode on the peer of Org${k}MSP" cc_query "$k" User1 GetConfig
	done

	mark "chaincode initialized"
	# The gateway plans multi-org endorsement from gossip membership: wait
	# until each peer has seen the other org's peer on the channel.
	wait_until "gossip membership" gossip_converged

	mark "gossip membership converged"
	write_env "$mode" "$n" "$pkgid" "$keys"
	trap - EXIT
	echo "network.sh: Fabric network ($mode) up in $dir after $((SECONDS - t0))s" >&2
	echo "network.sh: orderer 127.0.0.1:$(ord_port 0), peers 127.0.0.1:$(peer_port 1) (Org1MSP) and 127.0.0.1:$(peer_port 2) (Org2MSP), chaincode $CC_NAME on channel $CHANNEL" >&2
	echo "$dir/network.env"
}

# define_chaincode NAME PACKAGE_ID [SIGNATURE_POLICY]: approve the chaincode
# definition NAME (version 1.0, sequence 1) of the installed package for
# both orgs, then commit it. Without a policy it takes the channel's default
# endorsement policy, MAJORITY Endorsement: both orgs.
define_chaincode() {
	local name=$1 pkgid=$2 policy=() k pids=()
	[[ -n ${3:-} ]] && policy=(--signature-policy "$3")
	for k in 1 2; do
		# shellcheck disable=SC2046
		peercli "$k" Admin lifecycle chaincode approveformyorg $(orderer_args) -C "$CHANNEL" -n "$name" \
			-v 1.0 --sequence 1 --package-id "$pkgid" "${policy[@]}" --waitForEventTimeout 30s \
			>"$dir/logs/approve-$name-org$k.log" 2>&1 &
		pids+=($!)
	done
	for k in 1 2; do
		wait "${pids[$((k - 1))]}" || die "approving $name for Org${k}MSP failed: $(tail -n 3 "$dir/logs/approve-$name-org$k.log")"
	done
	# shellcheck disable=SC2046
	peercli 1 Admin lifecycle chaincode commit $(orderer_args) -C "$CHANNEL" -n "$name" -v 1.0 --sequence 1 \
		"${policy[@]}" $(peer_args 1 2) --waitForEventTimeout 30s >"$dir/logs/commit-$name.log" 2>&1 ||
		die "committing $name failed: $(tail -n 3 "$dir/logs/commit-$name.log")"
}

# deploy NAME [SIGNATURE_POLICY]: one more definition of the records package
# under another name (its own state and record IDs), initialized with the
# network's chain name. It is served by the same chaincode process.
deploy() {
	local name=$1 pol=${2:-} pkgid chain
	[[ $name =~ ^[a-z0-9][a-z0-9_-]*$ ]] || die "chaincode name '$name': use lower-case letters, digits, '_' and '-'"
	# shellcheck disable=SC1091
	pkgid=$(. "$dir/network.env" && echo "$FABRIC_CHAINCODE_PACKAGE_ID")
	# shellcheck disable=SC1091
	chain=$(. "$dir/network.env" && echo "$FABRIC_CHAIN_NAME")
	define_chaincode "$name" "$pkgid" "$pol"
	cc_name=$name cc_invoke 1 Admin 1,2 Init "$chain" '["Org1MSP","Org2MSP"]' >"$dir/logs/init-$name.log" 2>&1 ||
		die "Init of $name failed: $(tail -n 3 "$dir/logs/init-$name.log")"
	echo "network.sh: chaincode $name deployed${pol:+ with policy $pol}" >&2
}

# up_failed: after a failed `up`, say where the logs are and stop what was
# started, the chaincode build included, unless FABRIC_KEEP_FAILED=1.
up_failed() {
	echo "network.sh: up failed; logs in $dir/logs" >&2
	if [[ -n ${build_pid:-} ]]; then
		{ kill "$build_pid" && wait "$build_pid"; } 2>/dev/null || true
	fi
	[[ ${FABRIC_KEEP_FAILED:-} == 1 ]] || stop_all
}

start_orderer() {
	local i=$1 d p
	d=$(ord_dir "$i")
	p=$(ord_port "$i")
	mkdir -p "$dir/orderer$i"
	start "orderer$i" env FABRIC_CFG_PATH="$cfg" FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-info}" \
		ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 \
		ORDERER_GENERAL_LISTENPORT="$p" \
		ORDERER_GENERAL_LOCALMSPID=OrdererMSP \
		ORDERER_GENERAL_LOCALMSPDIR="$d/msp" \
		ORDERER_GENERAL_TLS_ENABLED=true \
		ORDERER_GENERAL_TLS_PRIVATEKEY="$d/tls/server.key" \
		ORDERER_GENERAL_TLS_CERTIFICATE="$d/tls/server.crt" \
		ORDERER_GENERAL_TLS_ROOTCAS="[$d/tls/ca.crt]" \
		ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="$d/tls/server.crt" \
		ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="$d/tls/server.key" \
		ORDERER_GENERAL_CLUSTER_ROOTCAS="[$d/tls/ca.crt]" \
		ORDERER_GENERAL_BOOTSTRAPMETHOD=none \
		ORDERER_CHANNELPARTICIPATION_ENABLED=true \
		ORDERER_ADMIN_LISTENADDRESS="127.0.0.1:$((p + 1))" \
		ORDERER_ADMIN_TLS_ENABLED=true \
		ORDERER_ADMIN_TLS_CERTIFICATE="$d/tls/server.crt" \
		ORDERER_ADMIN_TLS_PRIVATEKEY="$d/tls/server.key" \
		ORDERER_ADMIN_TLS_ROOTCAS="[$d/tls/ca.crt]" \
		ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true \
		ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$d/tls/ca.crt]" \
		ORDERER_OPERATIONS_LISTENADDRESS="127.0.0.1:$((p + 2))" \
		ORDERER_METRICS_PROVIDER=disabled \
		ORDERER_FILELEDGER_LOCATION="$dir/orderer$i/ledger" \
		ORDERER_CONSENSUS_WALDIR="$dir/orderer$i/wal" \
		ORDERER_CONSENSUS_SNAPDIR="$dir/orderer$i/snapshot" \
		"$bin/orderer"
}

start_peer() {
	local k=$1 d p
	d=$(peer_dir "$k")
	p=$(peer_port "$k")
	mkdir -p "$dir/peer$k"
	start "peer$k" env FABRIC_CFG_PATH="$cfg" FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-info}" \
		CORE_PEER_ID="peer0.org$k.$DOMAIN" \
		CORE_PEER_LISTENADDRESS="127.0.0.1:$p" \
		CORE_PEER_ADDRESS="127.0.0.1:$p" \
		CORE_PEER_CHAINCODELISTENADDRESS="127.0.0.1:$((p + 1))" \
		CORE_PEER_CHAINCODEADDRESS="127.0.0.1:$((p + 1))" \
		CORE_PEER_GOSSIP_BOOTSTRAP="127.0.0.1:$p" \
		CORE_PEER_GOSSIP_EXTERNALENDPOINT="127.0.0.1:$p" \
		CORE_PEER_GOSSIP_MEMBERSHIPTRACKERINTERVAL=1s \
		CORE_PEER_GOSSIP_PUBLISHSTATEINFOINTERVAL=1s \
		CORE_PEER_GOSSIP_REQUESTSTATEINFOINTERVAL=1s \
		CORE_PEER_GOSSIP_ALIVETIMEINTERVAL=1s \
		CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT=5s \
		CORE_PEER_GOSSIP_RECONNECTINTERVAL=1s \
		CORE_PEER_LOCALMSPID="Org${k}MSP" \
		CORE_PEER_MSPCONFIGPATH="$d/msp" \
		CORE_PEER_TLS_ENABLED=true \
		CORE_PEER_TLS_CERT_FILE="$d/tls/server.crt" \
		CORE_PEER_TLS_KEY_FILE="$d/tls/server.key" \
		CORE_PEER_TLS_ROOTCERT_FILE="$d/tls/ca.crt" \
		CORE_PEER_FILESYSTEMPATH="$dir/peer$k" \
		CORE_LEDGER_SNAPSHOTS_ROOTDIR="$dir/peer$k/snapshots" \
		CORE_OPERATIONS_LISTENADDRESS="127.0.0.1:$((p + 2))" \
		CORE_METRICS_PROVIDER=disabled \
		CORE_CHAINCODE_EXTERNALBUILDERS="[{name: ccaas_builder, path: $dir/builders/ccaas}]" \
		"$bin/peer" node start
}

# wait_orderers_ready: the channel has a leader (raft) or every node is an
# active consenter (BFT) before the first transaction is sent.
wait_orderers_ready() {
	local mode=$1 n=$2 i
	for ((i = 0; i < n; i++)); do
		wait_until "orderer$i: channel $CHANNEL active" orderer_active "$i"
	done
	if [[ $mode == raft ]]; then
		wait_until "orderer0: raft leader" grep -q "Raft leader changed: 0 -> " "$dir/logs/orderer0.log"
	fi
}

orderer_active() {
	osnadmin_cli "$1" channel list --channelID "$CHANNEL" | grep -q '"status": *"active"'
}

# gossip_converged: each peer's channel membership shows the other peer.
gossip_converged() {
	grep -q "Membership view has changed.*127.0.0.1:$(peer_port 2)" "$dir/logs/peer1.log" &&
		grep -q "Membership view has changed.*127.0.0.1:$(peer_port 1)" "$dir/logs/peer2.log"
}

# ---------------------------------------------------------------- main

cmd=${1:-}
shift || true
case "$cmd" in
up | up-bft)
	layout "${1:-/tmp/liaison-fabric}" new
	if [[ $cmd == up ]]; then up raft; else up bft; fi
	;;
down)
	layout "${1:-/tmp/liaison-fabric}"
	[[ -d $dir ]] || exit 0
	stop_all
	echo "network.sh: stopped the network in $dir" >&2
	;;
clean)
	layout "${1:-/tmp/liaison-fabric}"
	[[ -d $dir ]] || exit 0
	[[ -f $dir/$MARKER ]] || die "$dir is not a network made by this script"
	stop_all
	rm -rf "$dir"
	;;
deploy)
	d=/tmp/liaison-fabric
	if [[ ${1:-} == /* || ${1:-} == .* ]]; then d=$1 && shift; fi
	layout "$(cd "$d" && pwd)"
	[[ -f $dir/network.env ]] || die "no network in $dir"
	# shellcheck disable=SC1091
	bin=$(. "$dir/network.env" && echo "$FABRIC_BIN")
	[[ $# -ge 1 ]] || die "usage: network.sh deploy [DIR] NAME [SIGNATURE_POLICY]"
	deploy "$@"
	;;
invoke | query)
	d=/tmp/liaison-fabric
	if [[ ${1:-} == /* || ${1:-} == .* ]]; then d=$1 && shift; fi
	layout "$(cd "$d" && pwd)"
	[[ -f $dir/network.env ]] || die "no network in $dir"
	# shellcheck disable=SC1091
	bin=$(. "$dir/network.env" && echo "$FABRIC_BIN")
	peers=1,2 as=1:User1 cc_name=$CC_NAME
	while [[ ${1:-} == --* ]]; do
		case "$1" in
		--peers | --peer) peers=$2 ;;
		--as) as=$2 ;;
		--name) cc_name=$2 ;;
		*) die "unknown flag $1" ;;
		esac
		shift 2
	done
	[[ $# -ge 1 ]] || die "usage: network.sh $cmd [DIR] [--peers 1,2] [--as ORG:USER] [--name CHAINCODE] FUNCTION [ARG...]"
	if [[ $cmd == invoke ]]; then
		cc_invoke "${as%%:*}" "${as#*:}" "$peers" "$@"
	else
		cc_query "${peers%%,*}" "${as#*:}" "$@"
	fi
	;;
*)
	die "usage: network.sh up|up-bft|down|clean [DIR], or invoke|query [DIR] ... (got '$cmd')"
	;;
esac
