#!/bin/bash
# What the shipped spam defence before DATA costs end to end: src/bench/relay.sh with the policy route off and
# on (see --auth there: DNS lists answered by a loopback DNS server, rate limits counting, greylisting off),
# alternately, ROUNDS times each, so both see the same machine. Prints every run and the medians.
#
#   src/bench/policy.sh [messages=10000] [sessions=20] [size=4096] [rounds=2]
set -euo pipefail
N=${1:-10000} S=${2:-20} L=${3:-4096} ROUNDS=${4:-2}
cd "$(dirname "$0")"
OFF=() ON=()
for _ in $(seq 1 "$ROUNDS"); do
  off=$(./relay.sh "$N" "$S" "$L" --signed | tail -1); echo "$off"; OFF+=("$off")
  on=$(./relay.sh "$N" "$S" "$L" --auth | tail -1); echo "$on"; ON+=("$on")
done
python3 - "${#OFF[@]}" "${OFF[@]}" "${ON[@]}" <<'PY'
import re, statistics, sys
n = int(sys.argv[1]); off, on = sys.argv[2:2 + n], sys.argv[2 + n:]
def rates(lines, what):
    return [float(re.search(what + r" ([\d.]+)", l).group(1)) for l in lines]
e_off, e_on = statistics.median(rates(off, "end-to-end")), statistics.median(rates(on, "end-to-end"))
c_off, c_on = statistics.median(rates(off, "CPU")), statistics.median(rates(on, "CPU"))
print(f"auth off: end-to-end {e_off:.0f} msg/s, CPU {c_off:.2f} ms/msg; auth on: end-to-end {e_on:.0f} msg/s,"
      f" CPU {c_on:.2f} ms/msg; throughput cost {100 * (1 - e_on / e_off):.1f}%, CPU cost {100 * (c_on / c_off - 1):.1f}%")
PY
