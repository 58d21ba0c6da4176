# records-hash.sh: the record-ID and record-digest rules of the records
# chaincode (adapters/fabric/chaincode/records/doc.go) in shell, for the
# scripts that check a network from outside. Source it; it needs xxd and
# sha256sum, and LC_ALL=C so that ${#s} counts bytes.
# shellcheck shell=bash

hexstr() { printf %s "$1" | xxd -p | tr -d '\n'; }
u16() { printf '%04x' "$1"; }
u32() { printf '%08x' "$1"; }
u64() { printf '%016x' "$1"; }
sha256hex() { xxd -r -p | sha256sum | cut -d' ' -f1; }

# record_id CHAIN EMITTER SEQ: the record ID, 64 hex digits. EMITTER is a
# string (a chaincode name).
record_id() {
	printf %s "$(hexstr liaison/record-id/v1)$(u16 ${#1})$(hexstr "$1")$(u16 ${#2})$(hexstr "$2")$(u64 "$3")" | sha256hex
}

# record_id_hex CHAIN EMITTER_HEX SEQ: the same for an emitter given as hex
# (an EVM address, without 0x).
record_id_hex() {
	printf %s "$(hexstr liaison/record-id/v1)$(u16 ${#1})$(hexstr "$1")$(u16 $((${#2} / 2)))$2$(u64 "$3")" | sha256hex
}

# record_digest ID SEQ DESTINATION RECEIVER CONTENT_TYPE PAYLOAD_HASH: the
# commitment the Outbox stores, 64 hex digits. ID and PAYLOAD_HASH are hex.
record_digest() {
	printf %s "$(hexstr liaison/record-digest/v1)$1$(u64 "$2")$(u32 ${#3})$(hexstr "$3")$(u32 ${#4})$(hexstr "$4")$(u32 ${#5})$(hexstr "$5")$6" |
		sha256hex
}

# check_record_vectors fails unless the helpers reproduce the fixed vectors.
check_record_vectors() {
	[[ $(printf %s "$(hexstr liaison/record-id/v1)$(u16 6)$(hexstr dept-a)$(u16 20)5fbdb2315678afecb367f032d93f642f64180aa3$(u64 1)" | sha256hex) == \
		c0a8f70b65438bd7acc429f1be20f5bab62cf19f803a5effc4f9689720db939c ]] &&
		[[ $(record_digest "$(record_id registry records 1)" 1 procurement licensing application/json \
			"$(printf %s '{"licence":"L-1"}' | sha256sum | cut -d' ' -f1)") == \
			da7ad9118949d4c31e24af866b7251413651e0c9ea1e1172e89fca8256e033f8 ]]
}
