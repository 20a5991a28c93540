#!/bin/bash
# End-to-end benchmark: smtp-source -> gateway (the shipped routes: listener, spool on the embedded broker,
# relay) -> smtp-sink as the next hop (transport map). Prints the acceptance rate (250s per second) and the
# end-to-end rate (until the relay has sent every message), like ../shared/tools/postfix-anchor.sh does for
# Postfix on the same machine; with --postfix it runs that anchor too, for a side-by-side figure.
# With --mx the gateway finds the sink as dest.test's MX host through a dnsmasq on loopback (no transport
# map), so every message takes the MX path (dnsjava, its cache, candidate order) as in production; the
# zone is served authoritatively (SOA on negative answers, 300 s TTL), as real zones are: dnsmasq's plain
# local records have TTL 0 and NODATA without SOA, which nothing caches.
#
# With --policy the shipped policy route (routes/policy.yaml) works on every message as it would on port 25:
# the client is not trusted (mail goes to a relay domain, dest.test, checked against a recipient map), two DNS
# blocklists and an allowlist on the client and a domain list on the sender and HELO are asked (a dnsmasq on
# loopback answers NXDOMAIN, authoritatively, as for most clients), and every rate limit kind counts (with
# limits no run reaches); greylisting stays off, as shipped. With --no-policy the listener asks no policy route.
# src/bench/policy.sh runs both in turn and prints the cost.
# With --signed every message is the same DKIM-signed 4 KB message (rsa-sha256, relaxed/simple, signed by
# Debian's python3-dkim) instead of smtp-source's filler; with --auth as well the client is untrusted and the
# gateway checks SPF, DKIM and DMARC of each (src.test's records, key and p=reject policy served by a dnsmasq on
# loopback; the policy route's rate limits set out of reach). SPF fails on purpose: only a DKIM pass can then
# satisfy DMARC, so a run that completes shows every message's signature verified. src/bench/auth.sh runs --signed and --auth in turn.
# Content filtering (our rules, GTUBE, the attachment policy) runs as shipped; --no-content runs a copy of the
# shipped routes without the mail-filter steps (src/bench/content.sh runs both in turn). --rspamd=URL also asks the
# Rspamd at URL (its normal worker) about every message (src/bench/rspamd.sh starts one and compares with Postfix
# using the same Rspamd as a milter).
# --events publishes mail events (gateway.events.enabled) and runs a consumer that drains its own queue,
# Consumer.bench.VirtualTopic.mail.events (src/bench/EventDrain.java, on the gateway's jar), as another system would;
# --no-events switches events off (src/bench/compare.sh events --no-events --events compares the two).
#
# WARMUP=N sends N messages before the measured ones (default 2000); the JIT's C2 compiler still works for tens of
# seconds after that on two cores, so short runs understate the gateway's steady state (see README, Benchmark).
# BENCH_JAVA_OPTS in the environment goes to the gateway's JVM (e.g. -XX:StartFlightRecording=filename=x.jfr).
# GATEWAY_JAR=target/other.jar runs another build (copied beside target/lib) in place of target/mail-gateway.jar.
# THREADS=1 prints where the gateway's CPU went over the measured part, per thread group, in ms/msg (on stderr);
# PROFILE=out.collapsed with ASYNC_PROFILER=path/to/libasyncProfiler.so writes a CPU profile of the measured part.
#
#   src/bench/relay.sh [messages=10000] [sessions=20] [size=4096] [--mx] [--policy|--no-policy] [--signed|--auth]
#                      [--no-content] [--rspamd=URL] [--events|--no-events] [--postfix]
set -euo pipefail
ARGS=() ANCHOR= MX= POLICY= SIGNED= AUTH= CONTENT= RSPAMD= EVENTS= JAVA_OPTS=()
for a in "$@"; do
  case $a in
    --postfix) ANCHOR=1 ;; --mx) MX=1 ;; --policy) POLICY=on ;; --no-policy) POLICY=off ;;
    --signed) SIGNED=1 ;; --auth) SIGNED=1 AUTH=1 ;; --no-content) CONTENT=off ;; --content) CONTENT=on ;;
    --rspamd=*) RSPAMD=${a#--rspamd=} ;; --events) EVENTS=on ;; --no-events) EVENTS=off ;; *) ARGS+=("$a") ;;
  esac
done
N=${ARGS[0]:-10000} S=${ARGS[1]:-20} L=${ARGS[2]:-4096}
cd "$(dirname "$0")/../.."
if [ ! -x /usr/sbin/smtp-source ] || { [ -n "$MX$POLICY$AUTH" ] && [ ! -x /usr/sbin/dnsmasq ]; } \
    || { [ -n "$SIGNED" ] && [ ! -x /usr/bin/dkimsign ]; }; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix dnsmasq-base python3-dkim >/dev/null
fi
[ -f target/mail-gateway.jar ] || mvn -B -q package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return; sleep 0.5; done; exit 1; }
GW_PORT=$(free_port) SINK_PORT=$(free_port) DATA=$(mktemp -d) LOG=target/bench-relay.log
/usr/sbin/smtp-sink -u nobody -c 127.0.0.1:"$SINK_PORT" 1000 >/dev/null 2>&1 &
SINK=$!
DNS=
if [ -n "$MX" ]; then
  DNS_PORT=$(free_port)
  /usr/sbin/dnsmasq --keep-in-foreground --port="$DNS_PORT" --listen-address=127.0.0.1 --bind-interfaces \
    --no-resolv --no-hosts --user=nobody \
    --auth-server=ns.dest.test,lo --auth-zone=dest.test --auth-ttl=300 \
    --mx-host=dest.test,mx.dest.test,10 --host-record=mx.dest.test,127.0.0.1 &
  DNS=$!
  export GATEWAY_DNS_SERVER=127.0.0.1:$DNS_PORT GATEWAY_RELAY_MX_PORT=$SINK_PORT GATEWAY_TRANSPORT_MAP=
else
  export GATEWAY_TRANSPORT_MAP="dest.test=127.0.0.1:$SINK_PORT"
fi
if [ "$POLICY" = on ]; then
  LISTS_PORT=$(free_port)
  # authoritative for the list zones: NXDOMAIN with an SOA, which resolvers cache as real lists' answers are
  /usr/sbin/dnsmasq --keep-in-foreground --port="$LISTS_PORT" --listen-address=127.0.0.1 --bind-interfaces \
    --no-resolv --no-hosts --user=nobody --auth-server=ns.lists.test,lo --auth-ttl=300 \
    --auth-zone=bl.lists.test --auth-zone=bl2.lists.test --auth-zone=wl.lists.test --auth-zone=dbl.lists.test \
    --host-record=ns.lists.test,127.0.0.1 &
  DNS="$DNS $!"
  [ -n "$MX" ] || export GATEWAY_DNS_SERVER=127.0.0.1:$LISTS_PORT
  printf '@dest.test\n' > "$DATA/relay-recipients"
  export GATEWAY_TRUSTED_NETWORKS=192.0.2.0/24 GATEWAY_RELAY_DOMAINS=dest.test \
    GATEWAY_RELAY_RECIPIENTS="$DATA/relay-recipients" \
    GATEWAY_POLICY_DNSBL="bl.lists.test=127.0.0.[2..11]*3,bl2.lists.test*2,wl.lists.test=127.0.[0..255].[1..3]*-2" \
    GATEWAY_POLICY_RHSBL=dbl.lists.test=127.0.1.[2..99] \
    GATEWAY_POLICY_RATE_LIMITS="client:connections=100000000/1m,client:messages=100000000/1h,client:recipients=100000000/1h,sender:messages=100000000/1h,sender:recipients=100000000/1h"
elif [ "$POLICY" = off ]; then
  export GATEWAY_POLICY_ROUTE=
fi
if [ "$CONTENT" = off ]; then
  mkdir -p "$DATA/routes"; cp routes/*.yaml "$DATA/routes/"
  # the filtering flow without its steps: direct:filter answers at once
  cat > "$DATA/routes/filtering.yaml" <<'YAML'
- route:
    id: filter
    from:
      uri: direct:filter
      steps:
        - log:
            message: "no content filtering (bench)"
            loggingLevel: TRACE
YAML
  JAVA_OPTS+=("-Dcamel.main.routes-include-pattern=file:$DATA/routes/*.yaml")
fi
[ -z "$RSPAMD" ] || export GATEWAY_SPAM_RSPAMD_URL=$RSPAMD
if [ "$EVENTS" = on ]; then export GATEWAY_EVENTS_ENABLED=true; elif [ "$EVENTS" = off ]; then export GATEWAY_EVENTS_ENABLED=false; fi
SOURCE_MESSAGE=(-l "$L")
if [ -n "$SIGNED" ]; then
  openssl genrsa -out "$DATA/dkim.pem" 2048 2>/dev/null
  KEY=$(openssl rsa -in "$DATA/dkim.pem" -pubout -outform DER 2>/dev/null | base64 -w0)
  { printf 'From: Bench <bench@src.test>\nTo: sink@dest.test\nSubject: signed benchmark message\n'
    printf 'Date: Mon, 30 Nov 2026 00:00:00 +0000\nMessage-ID: <bench@src.test>\nMIME-Version: 1.0\n'
    printf 'Content-Type: text/plain; charset=us-ascii\n\n'
    for _ in $(seq 1 $((L / 64))); do printf '%063d\n' 0 | tr 0 x; done; } > "$DATA/message"
  dkimsign bench src.test "$DATA/dkim.pem" < "$DATA/message" > "$DATA/signed"
  SOURCE_MESSAGE=(-F "$DATA/signed")
fi
if [ -n "$AUTH" ]; then
  AUTH_DNS_PORT=$(free_port)
  /usr/sbin/dnsmasq --keep-in-foreground --port="$AUTH_DNS_PORT" --listen-address=127.0.0.1 --bind-interfaces \
    --no-resolv --no-hosts --user=nobody --auth-server=ns.src.test,lo --auth-ttl=300 --auth-zone=src.test \
    --host-record=ns.src.test,127.0.0.1 --txt-record=src.test,"v=spf1 ip4:192.0.2.0/24 -all" \
    --txt-record=_dmarc.src.test,"v=DMARC1; p=reject" \
    --txt-record=bench._domainkey.src.test,"v=DKIM1; k=rsa; p=${KEY:0:200}","${KEY:200}" &
  DNS="$DNS $!"
  printf '@dest.test\n' > "$DATA/relay-recipients"
  export GATEWAY_DNS_SERVER=127.0.0.1:$AUTH_DNS_PORT GATEWAY_TRUSTED_NETWORKS=192.0.2.0/24 \
    GATEWAY_RELAY_DOMAINS=dest.test GATEWAY_RELAY_RECIPIENTS="$DATA/relay-recipients" \
    GATEWAY_POLICY_RATE_LIMITS="client:connections=100000000/1m,client:messages=100000000/1h,client:recipients=100000000/1h"
fi
GATEWAY_SMTP_PORT=$GW_PORT GATEWAY_DATA_DIR=$DATA GATEWAY_ADMIN_PORT=0 \
GATEWAY_SUBMISSION_ENABLED=false GATEWAY_SUBMISSIONS_ENABLED=false GATEWAY_RELAY_TLS=none \
  java -Xmx1g "${JAVA_OPTS[@]}" ${BENCH_JAVA_OPTS:-} -jar "${GATEWAY_JAR:-target/mail-gateway.jar}" > "$LOG" 2>&1 &
GW=$!
DRAIN=
trap 'kill $GW $SINK $DNS $DRAIN 2>/dev/null; wait $GW 2>/dev/null || true; rm -rf "$DATA"' EXIT
wait_port "$GW_PORT"; wait_port "$SINK_PORT"
if [ "$EVENTS" = on ]; then
  java -cp target/mail-gateway.jar src/bench/EventDrain.java "$DATA/broker" bench > "$DATA/drain.log" 2>&1 &
  DRAIN=$!
  for _ in $(seq 1 600); do grep -q ready "$DATA/drain.log" && break; sleep 0.1; done
  grep -q ready "$DATA/drain.log" || { echo "the event consumer did not start:"; cat "$DATA/drain.log"; exit 1; }
fi

sent() { grep -c "status=sent" "$LOG" || true; }
wait_sent() { while [ "$(sent)" -lt "$1" ]; do sleep 0.1; done; }
source_run() {
  /usr/sbin/smtp-source -s "$S" -m "$1" "${SOURCE_MESSAGE[@]}" -f bench@src.test -t sink@dest.test \
    127.0.0.1:"$GW_PORT"
}

# warm-up (WARMUP messages, 2000 unless set): class loading and the first JIT compilations stay out of the figure
WARMUP=${WARMUP:-2000}
source_run "$WARMUP"; wait_sent "$WARMUP"
base=$(sent)
# the gateway's CPU time (user + system, in clock ticks) over the measured part only: steadier than rates here
cpu() { read -r _ _ _ _ _ _ _ _ _ _ _ _ _ UT ST _ < <(cut -d" " -f1-17 /proc/${1:-$GW}/stat); echo $((UT + ST)); }
# THREADS=1: where the gateway's CPU went over the measured part, by thread name (digits folded), on stderr
threads() { for t in /proc/$GW/task/*; do read -r line < "$t/stat" 2>/dev/null || continue
  n=${line#*(}; n=${n%%)*}; f=(${line##*) }); echo "${n//[0-9]/#} $((f[11] + f[12]))"; done; }
[ -z "${THREADS:-}" ] || threads > "$DATA/threads0"
# PROFILE=out.collapsed (with ASYNC_PROFILER=path/to/libasyncProfiler.so, from Maven Central's
# tools.profiler:async-profiler jar): a CPU profile of the measured part only, in collapsed-stack form, per thread
[ -z "${PROFILE:-}" ] || jcmd $GW JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=${PROFILE_EVENT:-itimer},interval=${PROFILE_INTERVAL:-1ms},threads\"" >/dev/null
c0=$(cpu); [ -z "$DRAIN" ] || d0=$(cpu $DRAIN)
t0=$(date +%s.%N); source_run "$N"; t1=$(date +%s.%N); wait_sent $((base + N)); t2=$(date +%s.%N)
c1=$(cpu); [ -z "$DRAIN" ] || d1=$(cpu $DRAIN)
[ -z "${PROFILE:-}" ] || jcmd $GW JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$(realpath "$PROFILE"),collapsed\"" >/dev/null
if [ -n "${THREADS:-}" ]; then
  threads > "$DATA/threads1"
  python3 - "$DATA/threads0" "$DATA/threads1" "$N" >&2 <<'PY'
import sys, os, collections
def load(p):
    d = collections.Counter()
    for line in open(p):
        name, ticks = line.rsplit(" ", 1); d[name] += int(ticks)
    return d
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
tick = 1000 / os.sysconf("SC_CLK_TCK")
for name, t in sorted(((k, b[k] - a.get(k, 0)) for k in b), key=lambda x: -x[1]):
    if t > 0: print(f"  {t * tick / n:6.3f} ms/msg  {name}")
PY
fi
python3 -c "import sys, os; n=int(sys.argv[1]); a,b,c=map(float,sys.argv[2:5]); ms=(int(sys.argv[5])/os.sysconf('SC_CLK_TCK'))*1000/n; print(f'gateway{\" (MX via DNS)\" if \"$MX\" else \"\"}{\" policy $POLICY\" if \"$POLICY\" else \"\"}{\" signed\" if \"$SIGNED\" and not \"$AUTH\" else \"\"}{\" auth\" if \"$AUTH\" else \"\"}{\" content $CONTENT\" if \"$CONTENT\" else \"\"}{\" rspamd\" if \"$RSPAMD\" else \"\"}{\" events $EVENTS\" if \"$EVENTS\" else \"\"}: accept {n/(b-a):.0f} msg/s, end-to-end {n/(c-a):.0f} msg/s, CPU {ms:.2f} ms/msg (N={n} s=$S l=$L)')" "$N" "$t0" "$t1" "$t2" "$((c1 - c0))"
if [ -n "$DRAIN" ]; then
  kill $DRAIN; wait $DRAIN 2>/dev/null || true; DRAIN=
  # on stderr: compare.sh reads the last line of stdout; an accepted and a delivered event per message
  echo "$(grep 'events drained' "$DATA/drain.log" || echo 'no event count') of $((2 * (base + N))) expected;" \
    "the consumer's CPU over the measured part: $(python3 -c "import os,sys; print(f'{int(sys.argv[1])*1000/os.sysconf(\"SC_CLK_TCK\")/int(sys.argv[2]):.2f}')" $((d1 - d0)) "$N") ms/msg" >&2
fi
if [ -n "$ANCHOR" ]; then
  kill $GW $SINK $DNS 2>/dev/null; wait $GW 2>/dev/null || true
  ../shared/tools/postfix-anchor.sh "$N" "$S" "$L" | tail -1
fi
