#!/usr/bin/env bash
# smoke.sh [DIR]: check a liaison-simd devnet end to end with its CLI. It
# starts the devnet in DIR (default /tmp/liaison-cosmos) with devnet.sh up
# unless one is already running there, and stops it again at the end if it
# started it (SMOKE_KEEP=1 keeps it). Steps:
#   1. create an 06-solomachine client whose key is the relayer account's
#      key (standing in for a gateway's attestor key), and register its
#      counterparty "gateway-0" with the two-element prefix ["ibc", ""];
#   2. publish a record to "registry" over that client (MsgPublishRecord);
#   3. check that its ID follows the record-ID rule for the chain name, the
#      emitter "records" and the sequence the chain assigned (recomputed
#      here with sha256sum);
#   4. query the published record and check its fields and status;
#   5. read the packet commitment from the ibc store with a proof
#      (abci_query store/ibc/key) and compare it with the commitment the
#      query reports; read the record's JSON from the records store
#      (key 0x06‖id) with a proof;
#   6. check that the record is not among the delivered ones.
# It prints the record ID and exits non-zero on the first failed check.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$(realpath -m "${1:-/tmp/liaison-cosmos}")

fail() {
	echo "smoke.sh: FAIL: $*" >&2
	exit 1
}
step() { echo "smoke.sh: $*" >&2; }

started=0
if [[ -f $dir/devnet.env && -f $dir/node.pid ]] && kill -0 "$(<"$dir/node.pid")" 2>/dev/null; then
	step "using the devnet running in $dir"
else
	"$here/devnet.sh" up "$dir" >/dev/null
	started=1
fi
stop() {
	if ((started)) && [[ ${SMOKE_KEEP:-} != 1 ]]; then
		"$here/devnet.sh" down "$dir"
	fi
}
trap stop EXIT

# shellcheck disable=SC1091
. "$dir/devnet.env"
t0=$SECONDS

sim() { "$COSMOS_BIN" "$@"; }
q() { sim query "$@" --node "$COSMOS_NODE" --output json; }
# tx ARGS...: sign as the relayer, broadcast, wait until the transaction is
# in a block and print its result (JSON); fail if it failed.
tx() {
	local res hash code i
	res=$(sim tx "$@" --from "$COSMOS_RELAYER_KEY_NAME" --keyring-backend "$COSMOS_KEYRING_BACKEND" \
		--home "$COSMOS_HOME" --chain-id "$COSMOS_CHAIN_ID" --node "$COSMOS_NODE" \
		--broadcast-mode sync --yes --output json) || fail "tx $*: broadcast failed"
	code=$(jq -r .code <<<"$res")
	[[ $code == 0 ]] || fail "tx $*: check failed: $(jq -r .raw_log <<<"$res")"
	hash=$(jq -r .txhash <<<"$res")
	for ((i = 0; i < 150; i++)); do
		if res=$(q tx "$hash" 2>/dev/null); then
			code=$(jq -r .code <<<"$res")
			[[ $code == 0 ]] || fail "tx $*: failed in block: $(jq -r .raw_log <<<"$res")"
			echo "$res"
			return 0
		fi
		sleep 0.2
	done
	fail "tx $*: $hash not in a block after 30 s"
}
# attr TXJSON TYPE KEY: the value of the first KEY attribute of the first
# TYPE event.
attr() {
	jq -r --arg t "$2" --arg k "$3" \
		'[.events[] | select(.type == $t) | .attributes[] | select(.key == $k) | .value][0] // empty' <<<"$1"
}
# abci STORE KEYHEX: ABCI query of the store key with a proof; prints the
# response (JSON).
abci() {
	curl -fsS "$COSMOS_RPC/abci_query?path=%22store/$1/key%22&data=0x$2&prove=true" | jq -c .result.response
}

# 1. The gateway's client and counterparty.
now_ns=$(($(date +%s) * 1000000000))
pk='{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"'$COSMOS_RELAYER_PUBKEY'"}'
cs='{"@type":"/ibc.lightclients.solomachine.v3.ClientState","sequence":"1","is_frozen":false,"consensus_state":{"public_key":'$pk',"diversifier":"liaison","timestamp":"'$now_ns'"}}'
cons='{"@type":"/ibc.lightclients.solomachine.v3.ConsensusState","public_key":'$pk',"diversifier":"liaison","timestamp":"'$now_ns'"}'
res=$(tx ibc client create "$cs" "$cons")
client=$(attr "$res" create_client client_id)
[[ $client == 06-solomachine-* ]] || fail "no solomachine client id in the create_client event"
tx ibc client add-counterparty "$client" gateway-0 aWJj "" >/dev/null
info=$(q ibc client counterparty-info "$client")
[[ $(jq -r .counterparty_info.client_id <<<"$info") == gateway-0 ]] || fail "counterparty of $client: $info"
step "client $client with counterparty gateway-0 ($((SECONDS - t0)) s)"

# 2. Publish.
payload='{"licence":42,"holder":"ACME"}'
res=$(tx records publish "$client" registry licences application/json "$payload" --timeout-seconds 600)
id=$(attr "$res" liaison.record_published id)
seq=$(attr "$res" liaison.record_published sequence)
pseq=$(attr "$res" liaison.record_published packet_sequence)
[[ $id =~ ^[0-9a-f]{64}$ && $seq =~ ^[0-9]+$ && $pseq =~ ^[0-9]+$ ]] ||
	fail "record_published event: id '$id' sequence '$seq' packet_sequence '$pseq'"
[[ $(attr "$res" liaison.record_published destination_client) == gateway-0 ]] || fail "packet not addressed to gateway-0"
[[ -n $(attr "$res" send_packet encoded_packet_hex) ]] || fail "no send_packet event"
step "published record $id: sequence $seq, packet $pseq ($((SECONDS - t0)) s)"

# 3. The record-ID rule, recomputed.
byte() { printf '%b' "\\x$(printf %02x "$1")"; }
u16() { byte $(($1 >> 8)); byte $(($1 & 255)); }
u64() {
	local i
	for ((i = 56; i >= 0; i -= 8)); do byte $((($1 >> i) & 255)); done
}
want=$({
	printf '%s' "liaison/record-id/v1"
	u16 ${#COSMOS_CHAIN_NAME}
	printf '%s' "$COSMOS_CHAIN_NAME"
	u16 7
	printf records
	u64 "$seq"
} | sha256sum | cut -c1-64)
[[ $id == "$want" ]] || fail "record id $id, the rule gives $want"

# 4. The published record.
pub=$(q records published "$id")
check() { [[ $(jq -r "$1" <<<"$pub") == "$2" ]] || fail "published $1 = $(jq -c "$1" <<<"$pub"), want $2"; }
check .record.id "$id"
check .record.source_chain "$COSMOS_CHAIN_NAME"
check .record.emitter 0x7265636f726473
check .record.sequence "$seq"
check .record.destination registry
check .record.receiver licences
check .record.content_type application/json
check .record.payload "$(printf '%s' "$payload" | base64 -w0)"
check .record.payload_hash "0x$(printf '%s' "$payload" | sha256sum | cut -c1-64)"
check .status PUBLISH_STATUS_SENT
check .sender "$COSMOS_RELAYER_ADDRESS"
check .packet.sequence "$pseq"
check .packet.source_client "$client"
check .packet.destination_client gateway-0
[[ $(q records published-by-sequence "$seq" | jq -r .record.id) == "$id" ]] || fail "published-by-sequence $seq"
[[ $(q records next-sequence | jq -r .next_sequence) -gt $seq ]] || fail "next-sequence not above $seq"

# 5. State with proofs.
ck=$(jq -r .packet.commitment_key <<<"$pub")
commitment=$(jq -r .packet.commitment <<<"$pub")
r=$(abci ibc "$ck")
[[ $(jq -r .code <<<"$r") == 0 ]] || fail "abci_query store/ibc/key $ck: $r"
[[ $(jq -r .value <<<"$r" | base64 -d | od -An -tx1 | tr -d ' \n') == "$commitment" ]] ||
	fail "packet commitment in the ibc store differs from $commitment"
(($(jq '.proofOps.ops | length' <<<"$r") == 2)) || fail "no IAVL+multistore proof for the commitment"
vk=$(jq -r .value_key <<<"$pub")
[[ $vk == "06$id" ]] || fail "value_key $vk, want 06‖id"
r=$(abci records "$vk")
[[ $(jq -r '.value // empty' <<<"$r" | base64 -d | jq -r .id) == "$id" ]] ||
	fail "the records store value at 06‖id is not the record's JSON"
(($(jq '.proofOps.ops | length' <<<"$r") == 2)) || fail "no proof for the records store key"
step "commitment $commitment proven at height $(jq -r .height <<<"$r") ($((SECONDS - t0)) s)"

# 6. Not delivered here.
if q records delivered "$id" >/dev/null 2>&1; then
	fail "record $id reported as delivered on its source chain"
fi

step "ok in $((SECONDS - t0)) s"
echo "$id"
