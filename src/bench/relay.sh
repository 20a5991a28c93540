#!/bin/bash
# End-to-end benchmark: smtp-source -> gateway (the shipped routes: listener, spool on the embedded broker,
# relay) -> smtp-sink as the next hop (transport map). Prints the acceptance rate (250s per second) and the
# end-to-end rate (until the relay has sent every message), like ../shared/tools/postfix-anchor.sh does for
# Postfix on the same machine; with --postfix it runs that anchor too, for a side-by-side figure.
#
#   src/bench/relay.sh [messages=10000] [sessions=20] [size=4096] [--postfix]
set -euo pipefail
N=${1:-10000} S=${2:-20} L=${3:-4096} ANCHOR=${4:-}
cd "$(dirname "$0")/../.."
if [ ! -x /usr/sbin/smtp-source ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
[ -f target/mail-gateway.jar ] || mvn -B -q package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return; sleep 0.5; done; exit 1; }
GW_PORT=$(free_port) SINK_PORT=$(free_port) DATA=$(mktemp -d) LOG=target/bench-relay.log
/usr/sbin/smtp-sink -u nobody -c 127.0.0.1:"$SINK_PORT" 1000 >/dev/null 2>&1 &
SINK=$!
GATEWAY_SMTP_PORT=$GW_PORT GATEWAY_DATA_DIR=$DATA GATEWAY_TRANSPORT_MAP="dest.test=127.0.0.1:$SINK_PORT" \
GATEWAY_SUBMISSION_ENABLED=false GATEWAY_SUBMISSIONS_ENABLED=false GATEWAY_RELAY_TLS=none \
  java -Xmx1g -jar target/mail-gateway.jar > "$LOG" 2>&1 &
GW=$!
trap 'kill $GW $SINK 2>/dev/null; wait $GW 2>/dev/null; rm -rf "$DATA"' EXIT
wait_port "$GW_PORT"; wait_port "$SINK_PORT"

sent() { grep -c "status=sent" "$LOG" || true; }
wait_sent() { while [ "$(sent)" -lt "$1" ]; do sleep 0.1; done; }
source_run() { /usr/sbin/smtp-source -s "$S" -m "$1" -l "$L" -f bench@src.test -t sink@dest.test 127.0.0.1:"$GW_PORT"; }

source_run 2000; wait_sent 2000 # warm-up
base=$(sent)
t0=$(date +%s.%N); source_run "$N"; t1=$(date +%s.%N); wait_sent $((base + N)); t2=$(date +%s.%N)
python3 -c "import sys; n=int(sys.argv[1]); a,b,c=map(float,sys.argv[2:5]); print(f'gateway: accept {n/(b-a):.0f} msg/s, end-to-end {n/(c-a):.0f} msg/s (N={n} s=$S l=$L)')" "$N" "$t0" "$t1" "$t2"
if [ "$ANCHOR" = "--postfix" ]; then
  kill $GW $SINK 2>/dev/null; wait $GW 2>/dev/null || true
  ../shared/tools/postfix-anchor.sh "$N" "$S" "$L" | tail -1
fi
