#!/bin/bash
# Listener benchmark over STARTTLS: every message over TLS with a full handshake, one connection per message,
# 4 KB each, against the count-only route (src/bench/routes/count.yaml). smtp-source has no TLS, so the load comes
# from src/bench/starttls_load.py (asyncio + OpenSSL); one such process drives ~550 msg/s here, so P of them run
# side by side, S/P sessions each. Prints each process, the total, and the gateway's CPU time per message.
#
# BENCH_JAVA_OPTS in the environment goes to the gateway's JVM (e.g. -XX:TieredStopAtLevel=1).
#
#   src/bench/starttls.sh [messages=10000] [sessions=20] [size=4096] [processes=2]
set -euo pipefail
N=${1:-10000} S=${2:-20} L=${3:-4096} P=${4:-2}
cd "$(dirname "$0")/../.."
[ -f target/mail-gateway.jar ] || mvn -B -q package -DskipTests

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dgateway.smtp.port="$PORT" -Dgateway.data-dir="$DATA" \
  -Dcamel.main.routes-include-pattern=file:src/bench/routes/count.yaml \
  -Dcamel.component.smtpd.configuration.tls-self-signed-directory="$DATA/tls" \
  -jar target/mail-gateway.jar > target/bench-starttls.log 2>&1 &
GW=$!
trap 'kill $GW 2>/dev/null; wait $GW 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.5; done

run() { # N total messages over P processes
  local pids=() start end
  start=$(date +%s.%N)
  for i in $(seq 1 "$P"); do
    python3 src/bench/starttls_load.py 127.0.0.1 "$PORT" -s $((S / P)) -m $(($1 / P)) -l "$L" > "$DATA/load-$i.txt" &
    pids+=($!)
  done
  wait "${pids[@]}"
  end=$(date +%s.%N)
  cat "$DATA"/load-*.txt
  python3 -c "import sys; print(f'total: {int(sys.argv[1])} messages in {float(sys.argv[3])-float(sys.argv[2]):.2f} s = {int(sys.argv[1])/(float(sys.argv[3])-float(sys.argv[2])):.0f} msg/s over STARTTLS')" "$1" "$start" "$end"
}
cpu() { awk '{print $14+$15}' /proc/$GW/stat; }
run 6000 > /dev/null # warm-up: JIT and pools
c0=$(cpu); run "$N"; c1=$(cpu)
echo "gateway CPU: $(( (c1 - c0) * 10000 / N )) us per message (TLS handshake included)"
