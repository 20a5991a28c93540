#!/bin/bash
# Listener benchmark: Postfix's smtp-source against the gateway with a route that only counts
# (src/bench/routes/count.yaml), one new connection per message, 20 sessions at a time, 4 KB messages.
# Postfix's C smtp-sink is measured in the same runs, interleaved, as the reference: on a shared VM absolute
# figures drift by tens of percent from one minute to the next, the ratio much less.
#
#   src/bench/listener.sh [messages] [sessions] [size] [runs]      (defaults: 20000 20 4096 5)
#
# Needs Debian's postfix package (smtp-source, smtp-sink; installed when missing) and python3. Builds the jar if
# needed. Prints each run and the medians; the gateway's log goes to target/bench-listener.log.
set -euo pipefail
N=${1:-20000} S=${2:-20} L=${3:-4096} RUNS=${4:-5}
cd "$(dirname "$0")/../.."

if [ ! -x /usr/sbin/smtp-source ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
[ -f target/mail-gateway.jar ] || mvn -B -q package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return; sleep 0.5; done; echo "port $1 never opened" >&2; exit 1; }

GW_PORT=$(free_port) SINK_PORT=$(free_port) DATA=$(mktemp -d)
java -Xmx1g -Dgateway.smtp.port="$GW_PORT" -Dgateway.data-dir="$DATA" \
  -Dcamel.main.routes-include-pattern=file:src/bench/routes/count.yaml \
  -jar target/mail-gateway.jar > target/bench-listener.log 2>&1 &
GW=$!
/usr/sbin/smtp-sink -u nobody -c 127.0.0.1:"$SINK_PORT" 1000 >/dev/null 2>&1 &
SINK=$!
trap 'kill $GW $SINK 2>/dev/null; wait $GW 2>/dev/null; rm -rf "$DATA"' EXIT
wait_port "$GW_PORT"; wait_port "$SINK_PORT"

# one run: prints msg/s
run() {
  local start end
  start=$(date +%s.%N)
  /usr/sbin/smtp-source -s "$S" -m "$N" -l "$L" -f bench@src.test -t sink@dest.test 127.0.0.1:"$1"
  end=$(date +%s.%N)
  python3 -c "import sys; print(round(int(sys.argv[1])/(float(sys.argv[3])-float(sys.argv[2]))))" "$N" "$start" "$end"
}
run "$GW_PORT" >/dev/null # warm-up: JIT and pools
gw=() sink=()
for i in $(seq 1 "$RUNS"); do
  g=$(run "$GW_PORT"); k=$(run "$SINK_PORT")
  gw+=("$g"); sink+=("$k")
  echo "run $i: gateway $g msg/s   smtp-sink $k msg/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mg=$(median "${gw[@]}") ms=$(median "${sink[@]}")
echo "median: gateway $mg msg/s, smtp-sink $ms msg/s ($(( 100 * mg / ms ))% of smtp-sink); N=$N s=$S l=$L"
echo "gateway accepted $(grep -c 'queued as' target/bench-listener.log || true) messages (warm-up included)"
