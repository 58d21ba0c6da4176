#!/usr/bin/env bash
# smoke.sh [DIR]: check the Fabric network in DIR (default /tmp/liaison-fabric,
# made by network.sh up) end to end with the peer CLI:
#   1. publish a record with PublishRecord, endorsed by the peers of both orgs;
#   2. check that its ID follows the record-ID rule for the chain name, the
#      chaincode name and some sequence;
#   3. read its commitment back from each org's peer and compare it with the
#      digest recomputed here from the record's fields;
#   4. fetch the block that holds the transaction from the other org's peer
#      and check that the transaction and its RecordPublished event are in it;
#   5. deliver an inbound record (from "procurement" to this chain) through
#      the Inbox: refused from a non-attestor, delivered by the configured
#      attestors (User1 of Org1, then of Org2 if the threshold needs it),
#      and a replay changes nothing.
# It prints the published record's ID and exits non-zero on the first
# failed check.
set -euo pipefail
export LC_ALL=C # ${#s} counts bytes

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
net=$here/network.sh
dir=$(cd "${1:-/tmp/liaison-fabric}" && pwd)

fail() {
	echo "smoke.sh: FAIL: $*" >&2
	exit 1
}

[[ -f $dir/network.env ]] || fail "no network in $dir (run network.sh up $dir)"
# shellcheck disable=SC1091
. "$dir/network.env"

# peer_as ORG ARGS...: the peer CLI as User1 of org ORG (1 or 2), against its peer.
peer_as() {
	local k=$1 msp addr ca
	shift
	msp=FABRIC_ORG${k}_USER1_MSP addr=FABRIC_ORG${k}_PEER_ADDRESS ca=FABRIC_ORG${k}_PEER_TLS_CA
	FABRIC_CFG_PATH=$FABRIC_CFG_PATH FABRIC_LOGGING_SPEC=warn CORE_PEER_LOCALMSPID=Org${k}MSP \
		CORE_PEER_MSPCONFIGPATH=${!msp} CORE_PEER_ADDRESS=${!addr} \
		CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_ROOTCERT_FILE=${!ca} "$FABRIC_BIN/peer" "$@"
}

# shellcheck source=SCRIPTDIR/records-hash.sh
. "$here/records-hash.sh"
check_record_vectors || fail "the shell hash helpers do not reproduce the fixed vectors"

payload="{\"licence\":\"L-smoke-$RANDOM\",\"holder\":\"ACME Ltd\"}"
b64=$(printf %s "$payload" | base64 -w0)
dest=procurement receiver=licensing ctype=application/json

# 1. Publish, endorsed by both orgs, submitted by a client of Org1.
out=$("$net" invoke "$dir" --as 1:User1 --peers 1,2 PublishRecord "$dest" "$receiver" "$ctype" "$b64") ||
	fail "PublishRecord: $out"
read -r txid status id <<<"$out"
[[ $status == VALID && $id =~ ^[0-9a-f]{64}$ ]] || fail "PublishRecord returned '$out'"

# 2. The ID is the record ID of (chain, chaincode name, seq) for a sequence
#    no larger than the number of blocks.
height=$(peer_as 1 channel getinfo -c "$FABRIC_CHANNEL" | sed -n 's/.*"height":\([0-9]*\).*/\1/p')
[[ -n $height ]] || fail "peer channel getinfo gave no height"
seq=
for ((s = 1; s <= height; s++)); do
	if [[ $(record_id "$FABRIC_CHAIN_NAME" "$FABRIC_CHAINCODE" "$s") == "$id" ]]; then
		seq=$s
		break
	fi
done
[[ -n $seq ]] || fail "record ID $id is not the ID of ($FABRIC_CHAIN_NAME, $FABRIC_CHAINCODE, seq <= $height)"

# 3. Read the commitment back from each org's peer.
want=0x$(record_digest "$id" "$seq" "$dest" "$receiver" "$ctype" "$(printf %s "$payload" | sha256sum | cut -d' ' -f1)")
for k in 1 2; do
	got=$("$net" query "$dir" --peer "$k" --as "$k:User2" GetCommitment "$id") || fail "GetCommitment on org $k: $got"
	[[ $got == "$want" ]] || fail "GetCommitment on the peer of Org${k}MSP = $got, want $want"
done

# 4. The block that holds the transaction, from Org2's peer.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
peer_as 2 channel fetch newest "$tmp/block" -c "$FABRIC_CHANNEL" 2>"$tmp/fetch.log" ||
	fail "peer channel fetch: $(tail -n 2 "$tmp/fetch.log")"
grep -qaF "$txid" "$tmp/block" || fail "the newest block does not hold transaction $txid"
grep -qaF "RecordPublished" "$tmp/block" || fail "the newest block has no RecordPublished event"
grep -qaF "\"id\":\"$id\"" "$tmp/block" || fail "the RecordPublished event in the block does not carry id $id"
grep -qaF "\"payload\":\"$b64\"" "$tmp/block" || fail "the RecordPublished event in the block does not carry the payload"

# 5. The Inbox. A record of procurement's EVM outbox, addressed to this chain.
emitter=5fbdb2315678afecb367f032d93f642f64180aa3
in_seq=$RANDOM
in_payload="{\"order\":\"PO-$in_seq\"}"
in_id=$(record_id_hex procurement "$emitter" "$in_seq")
in_ph=$(printf %s "$in_payload" | sha256sum | cut -d' ' -f1)
in_json="{\"id\":\"$in_id\",\"source_chain\":\"procurement\",\"emitter\":\"0x$emitter\",\"sequence\":$in_seq,\"destination\":\"$FABRIC_CHAIN_NAME\",\"receiver\":\"orders\",\"content_type\":\"application/json\",\"payload\":\"$(printf %s "$in_payload" | base64 -w0)\",\"payload_hash\":\"0x$in_ph\"}"
evidence=$(printf %s "evidence of $in_id" | sha256sum | cut -d' ' -f1)
if out=$("$net" invoke "$dir" --as 1:User2 Attest "$in_json" "$evidence" 2>&1); then
	fail "Attest from User2 of Org1, not an attestor, succeeded: $out"
fi
grep -q 'unauthorized: ' <<<"$out" || fail "Attest from a non-attestor failed without 'unauthorized:': $out"
outcome=
for who in 1:User1 2:User1; do
	out=$("$net" invoke "$dir" --as "$who" Attest "$in_json" "$evidence") || fail "Attest as $who: $out"
	read -r _ _ result <<<"$out"
	outcome=$(sed -n 's/.*"outcome":"\([a-z]*\)".*/\1/p' <<<"$result")
	[[ $outcome == delivered ]] && break
	[[ $outcome == voted ]] || fail "Attest as $who: outcome '$outcome' ($result)"
done
[[ $outcome == delivered ]] || fail "the inbound record was not delivered by the default attestors"
for k in 1 2; do
	[[ $("$net" query "$dir" --peer "$k" IsDelivered "$in_id") == true ]] || fail "IsDelivered($in_id) is not true on the peer of Org${k}MSP"
done
out=$("$net" invoke "$dir" --as 1:User1 Attest "$in_json" "$evidence") || fail "replayed Attest: $out"
grep -q '"outcome":"duplicate"' <<<"$out" || fail "replayed Attest did not report a duplicate: $out"

echo "smoke.sh: OK: inbound record $in_id delivered through the Inbox; replay was a no-op" >&2
echo "smoke.sh: OK: record $id (sequence $seq, tx $txid) published with both orgs' endorsement, commitment $want read back from both peers" >&2
echo "$id"
