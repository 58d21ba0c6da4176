#!/usr/bin/env bash
# capture.sh [--no-bft] [--no-update] [OUT_DIR]: regenerate the Fabric block vectors in
# this directory (or OUT_DIR) from fresh networks made by
# e2e/fabric/network.sh, and write manifest.json and SOURCES.md to match.
#
# raft/ comes from a Fabric 2.5.0 network (one etcdraft orderer, Org1MSP and
# Org2MSP with one peer each), bft/ from a Fabric 3.0-snapshot network with
# four SmartBFT orderers (skipped with --no-bft). Each run makes new crypto
# material, so every byte changes; the block numbers, record IDs and
# digests do not. raft-update/ holds real config updates, which
# adapters/fabric's end-to-end test TestNetworkConfigUpdate makes on a
# network of its own, builds in Go (there is no configtxlator here), signs
# with the org admins' keys and writes out (skipped with --no-update).
#
# Every block is fetched from Org1's peer with `peer channel fetch`, so it
# carries the peer's transaction validation flags, and is checked to be
# byte-identical to what qscc GetBlockByTxID returns for its transaction.
# The networks run under a temp dir (CAPTURE_DIR to choose it; ports from
# CAPTURE_BASE_PORT, default 7650) and are removed afterwards.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
net=$root/e2e/fabric/network.sh

bft=1
update=1
while [[ ${1:-} == --no-* ]]; do
	case $1 in
	--no-bft) bft=0 ;;
	--no-update) update=0 ;;
	*)
		echo "capture.sh: unknown option $1" >&2
		exit 2
		;;
	esac
	shift
done
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
base=${CAPTURE_BASE_PORT:-7650}
work=$(mktemp -d "${CAPTURE_DIR:-${TMPDIR:-/tmp}}/liaison-capture.XXXXXX")

die() {
	echo "capture.sh: $*" >&2
	exit 1
}

cleanup() {
	local d
	for d in "$work"/*/; do
		if [[ -f $d/network.env ]]; then "$net" down "$d" >/dev/null 2>&1 || true; fi
	done
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=SCRIPTDIR/../../../e2e/fabric/records-hash.sh
. "$root/e2e/fabric/records-hash.sh"
check_record_vectors || die "the shell hash helpers do not reproduce the fixed vectors"

# peer_as DIR ARGS...: the peer CLI as User1 of Org1, against Org1's peer.
peer_as() {
	local d=$1
	shift
	(
		set -a
		# shellcheck disable=SC1091
		. "$d/network.env"
		set +a
		cd "$work"
		FABRIC_LOGGING_SPEC=warn CORE_PEER_LOCALMSPID=Org1MSP CORE_PEER_MSPCONFIGPATH=$FABRIC_ORG1_USER1_MSP \
			CORE_PEER_ADDRESS=$FABRIC_ORG1_PEER_ADDRESS CORE_PEER_TLS_ENABLED=true \
			CORE_PEER_TLS_ROOTCERT_FILE=$FABRIC_ORG1_PEER_TLS_CA "$FABRIC_BIN/peer" "$@"
	)
}

height() { peer_as "$1" channel getinfo -c records | sed -n 's/.*"height":\([0-9]*\).*/\1/p'; }

# fetch DIR NUMBER FILE [TXID]: block NUMBER from Org1's peer into FILE; with
# TXID, check it is the block qscc returns for that transaction.
fetch() {
	local d=$1 n=$2 f=$3 txid=${4:-}
	peer_as "$d" channel fetch "$n" "$f" -c records 2>"$work/fetch.log" || die "fetch block $n: $(tail -n 2 "$work/fetch.log")"
	if [[ -n $txid ]]; then
		local q
		q=$(peer_as "$d" chaincode query -C records -n qscc --hex \
			-c "{\"Args\":[\"GetBlockByTxID\",\"records\",\"$txid\"]}") || die "qscc GetBlockByTxID $txid failed"
		[[ $(tr -d '\n' <<<"$q") == $(xxd -p "$f" | tr -d '\n') ]] || die "block $n is not the block qscc returns for $txid"
	fi
}

entries=()
sources=()

# publish DIR SUBDIR FILE CHAINCODE PEERS DEST RECEIVER CTYPE PAYLOAD_HEX WANT_STATUS NOTE
# submits PublishRecord, checks that it landed alone in the next block with
# WANT_STATUS, saves that block as SUBDIR/FILE and records it.
publish() {
	local d=$1 sub=$2 file=$3 cc=$4 peers=$5 dest=$6 recv=$7 ctype=$8 phex=$9 want=${10} note=${11}
	local h0 line txid status n b64 seq id ph digest chain
	chain=registry
	b64=$(xxd -r -p <<<"$phex" | base64 -w0)
	h0=$(height "$d")
	line=$("$net" invoke "$d" --name "$cc" --peers "$peers" PublishRecord "$dest" "$recv" "$ctype" "$b64" 2>/dev/null || true)
	read -r txid status _ <<<"$line"
	[[ $status == "$want" ]] || die "$file: PublishRecord on $cc with peers $peers: status '$status', want $want ($line)"
	n=$h0
	[[ $(height "$d") == $((h0 + 1)) ]] || die "$file: the transaction did not land alone in block $n"
	fetch "$d" "$n" "$out/$sub/$file" "$txid"
	# The record this transaction publishes: its sequence is the one after
	# the last valid publish on that chaincode.
	seq=$((${last_seq[$cc]:-0} + 1))
	[[ $status == VALID ]] && last_seq[$cc]=$seq
	id=$(record_id "$chain" "$cc" "$seq")
	ph=$(xxd -r -p <<<"$phex" | sha256sum | cut -d' ' -f1)
	digest=$(record_digest "$id" "$seq" "$dest" "$recv" "$ctype" "$ph")
	grep -qaF "outbox/record/$id" "$out/$sub/$file" || die "$file does not write outbox/record/$id"
	xxd -p "$out/$sub/$file" | tr -d '\n' | grep -q "$digest" || die "$file does not hold the digest $digest"
	local orgs
	orgs=$(tr ',' '\n' <<<"$peers" | sort | sed 's/^/Org/; s/$/MSP/' | paste -sd, | sed 's/,/, /g')
	entries+=("    {\"file\": \"$sub/$file\", \"block\": $n, \"tx_id\": \"$txid\", \"validation\": \"$status\", \"chaincode\": \"$cc\", \"endorsed_by\": $(json_list "$orgs"), \"record\": {\"id\": \"$id\", \"source_chain\": \"$chain\", \"emitter\": \"0x$(hexstr "$cc")\", \"sequence\": $seq, \"destination\": \"$dest\", \"receiver\": \"$recv\", \"content_type\": \"$ctype\", \"payload\": \"$b64\", \"payload_hash\": \"0x$ph\"}, \"digest\": \"0x$digest\", \"state_key\": \"outbox/record/$id\"}")
	sources+=("| \`$sub/$file\` | $n | \`$txid\` | $status | $cc | $orgs | $seq | \`$id\` | \`$digest\` | $note |")
	echo "capture.sh: $sub/$file: block $n, $status, record $id" >&2
}

json_list() {
	local o='' sep='' x
	IFS=',' read -ra xs <<<"$1"
	for x in "${xs[@]}"; do
		x=${x# }
		o+="$sep\"$x\""
		sep=', '
	done
	echo "[$o]"
}

config_entry() {
	local sub=$1 n=$2 note=$3
	entries+=("    {\"file\": \"$sub/config.block\", \"block\": $n, \"kind\": \"config\"}")
	sources+=("| \`$sub/config.block\` | $n | | config | | | | | | $note |")
}

declare -A last_seq

# ---------------------------------------------------------------- raft
d=$work/raft
mkdir -p "$out/raft"
rm -f "$out"/raft/*.block
FABRIC_BASE_PORT=$base FABRIC_CHAIN_NAME=registry "$net" up "$d" >/dev/null
"$net" deploy "$d" records-any "OR('Org1MSP.peer','Org2MSP.peer')" 2>/dev/null
fetch "$d" 0 "$out/raft/config.block"
config_entry raft 0 "channel genesis block: MSPs of OrdererMSP, Org1MSP, Org2MSP; etcdraft consenter; anchor peers"

publish "$d" raft publish-1.block records 1,2 procurement licensing application/json \
	"$(hexstr '{"licence":"L-1"}')" VALID "the doc.go digest vector"
publish "$d" raft publish-2-binary.block records 2,1 procurement archive application/octet-stream \
	"00010203fffefdfc0a0d" VALID "binary payload"
publish "$d" raft publish-3-org1-only-invalid.block records 1 procurement licensing application/json \
	"$(hexstr '{"licence":"L-3","forged":true}')" ENDORSEMENT_POLICY_FAILURE \
	"only Org1 endorsed: the peers flagged it invalid, but the flag is not signed; same ID as publish-3, other digest"
publish "$d" raft publish-3.block records 1,2 procurement licensing application/json \
	"$(hexstr '{"licence":"L-3"}')" VALID "the valid record 3"
publish "$d" raft any-org1-only.block records-any 1 procurement licensing text/plain \
	"$(hexstr 'endorsed by Org1 alone')" VALID "chaincode records-any, policy OR('Org1MSP.peer','Org2MSP.peer')"
"$net" down "$d" >/dev/null 2>&1

# ---------------------------------------------------------------- bft
if ((bft)); then
	d=$work/bft
	mkdir -p "$out/bft"
	rm -f "$out"/bft/*.block
	last_seq=()
	FABRIC_BASE_PORT=$((base + 100)) FABRIC_CHAIN_NAME=registry "$net" up-bft "$d" >/dev/null
	fetch "$d" 0 "$out/bft/config.block"
	config_entry bft 0 "channel genesis block: V3_0, four SmartBFT consenters (ConsenterMapping ids 1-4)"
	publish "$d" bft publish-1.block records 1,2 procurement licensing application/json \
		"$(hexstr '{"licence":"L-1"}')" VALID "signed by 3 of the 4 BFT orderers"
	"$net" down "$d" >/dev/null 2>&1
fi

# ---------------------------------------------------------------- raft-update
if ((update)); then
	mkdir -p "$out/raft-update"
	rm -f "$out"/raft-update/*.block
	echo "capture.sh: raft-update: running TestNetworkConfigUpdate of adapters/fabric" >&2
	(cd "$root" && LIAISON_FABRIC_CAPTURE_DIR="$out/raft-update" go test -tags e2e ./adapters/fabric/ \
		-run '^TestNetworkConfigUpdate$' -count=1 -v) >"$work/update.log" 2>&1 ||
		die "TestNetworkConfigUpdate failed: $(tail -n 5 "$work/update.log")"
	grep -F 'wrote 4 blocks' "$work/update.log" | sed 's/^ *//' >&2
fi

# ---------------------------------------------------------------- manifest
{
	echo "{"
	echo "  \"channel\": \"records\","
	echo "  \"chain_name\": \"registry\","
	echo "  \"endorsement_policies\": {\"records\": \"/Channel/Application/Endorsement (MAJORITY Endorsement: Org1MSP and Org2MSP)\", \"records-any\": \"OR('Org1MSP.peer','Org2MSP.peer')\"},"
	echo "  \"blocks\": ["
	for ((i = 0; i < ${#entries[@]}; i++)); do
		echo "${entries[$i]}$( ((i < ${#entries[@]} - 1)) && echo ,)"
	done
	echo "  ]"
	echo "}"
} >"$out/manifest.json"

{
	cat <<'EOF'
# Fabric block vectors

Real blocks from throw-away Fabric networks, for the tests of a Fabric block verifier. `capture.sh` made every
file here; run it again to regenerate them (it takes about a minute and needs no network access once Fabric is
built: `scripts/fabric.sh build`, `build-bft`). Each run makes new keys, so all bytes change; the record IDs and
digests below stay the same, and the block numbers can shift by one. `manifest.json` holds the same facts for tests
to read.

How they were made:
- `raft/`: Fabric 2.5.0; channel `records` (channel capability V2_0, application capability V2_0); one etcdraft
  orderer of OrdererMSP; Org1MSP and Org2MSP with one peer each; MSPs with NodeOUs. Made by
  `e2e/fabric/network.sh up`.
- `bft/`: the Fabric 3.0 snapshot (`v1.4.0-rc1.0.20230405174026-695dd57e01c2`); the same orgs, with four SmartBFT
  orderers; channel capability V3_0. Made by `e2e/fabric/network.sh up-bft`.
- Each block was fetched from Org1's peer with `peer channel fetch N`, so it is the marshalled `common.Block`
  with the peer's TRANSACTIONS_FILTER metadata (the per-transaction validation codes, which nobody signs). It is
  byte-identical to `qscc GetBlockByTxID` for its transaction, and to the block in a block event.
- Transactions call the records chaincode (`adapters/fabric/chaincode`), as `records` or, in `any-org1-only`,
  as the second definition `records-any` of the same package. Each is a `PublishRecord`, submitted by
  `User1@org1.liaison.test` and endorsed by the peers listed (the order of the endorsements in a block is the
  order the responses arrived in). Its read-write set writes `outbox/seq` (8 bytes, big-endian) and
  `outbox/record/<id>` = the 32-byte digest, and its chaincode event is `RecordPublished`.
- Endorsement policies: `records` uses the channel default, `/Channel/Application/Endorsement` =
  `MAJORITY Endorsement`, that is both orgs; `records-any` uses `OR('Org1MSP.peer','Org2MSP.peer')`. The policies
  are chaincode definitions in the `_lifecycle` namespace, not in these files: a verifier is configured with them.
- The MSP root and TLS CA certificates are in each directory's `config.block`. The orderers' signatures are in
  each block's SIGNATURES metadata: with a SignatureHeader creator for raft, with an IdentifierHeader (consenter
  id) for BFT.
- `raft/` and `bft/` have no config-update blocks: the anchor peers are in the genesis block. The blocks in between
  (chaincode lifecycle and Init/AddAttestor transactions) are not kept. `raft-update/` has config updates (below).
- Record IDs: chain `registry`, emitter = the chaincode name's UTF-8 bytes, sequences from 1. Digest: the rule in
  `adapters/fabric/chaincode/records/doc.go`. `publish-1` in both directories is the record of that file's vector
  (digest `da7ad911…`).

| File | Block | Tx ID | Validation flag | Chaincode | Endorsed by | Seq | Record ID | Digest | Notes |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
	printf '%s\n' "${sources[@]}"
	cat <<'EOF'

## Config updates (`raft-update/`)

Real config updates from another Fabric 2.5.0 network made by `e2e/fabric/network.sh up` (the layout of `raft/`,
other keys), written by the end-to-end test `TestNetworkConfigUpdate` of `adapters/fabric`:

    LIAISON_FABRIC_CAPTURE_DIR=$PWD/proofs/fabric/testdata/raft-update \
        go test -tags e2e ./adapters/fabric/ -run TestNetworkConfigUpdate -count=1

The test builds each config update in Go (no configtxlator), signs it with the org admins' keys from the
network's crypto material and sends it to the orderer's Broadcast API. Each block on the ledger is the peer's copy
(qscc `GetBlockByNumber`).

| File | Sequence | Change | Update signed by | Notes |
| --- | --- | --- | --- | --- |
| `raft-update/config.block` | 0 | | | the channel's genesis block |
| `raft-update/update-anchor-peers.block` | 1 | `localhost` added to `/Channel/Application/Org1MSP/AnchorPeers` | Org1's admin | mod_policy `/Channel/Application/Org1MSP/Admins` |
| `raft-update/update-policy.block` | 2 | policy `/Channel/Application/LiaisonE2E` = `OR('Org1MSP.admin')` added | Org1's and Org2's admins | adding it bumps the group `/Channel/Application`, whose mod_policy is `/Channel/Application/Admins` (MAJORITY Admins) |
| `raft-update/forged-org1-only.block` | 2 | the same policy | Org1's admin only | NOT on the ledger: the orderer refused this update (BAD_REQUEST). The test cut and signed the block with orderer0's own key, as a rogue orderer can; it verifies in every respect but the mod_policy |
EOF
} >"$out/SOURCES.md"

echo "capture.sh: wrote ${#entries[@]} blocks, manifest.json and SOURCES.md to $out" >&2
