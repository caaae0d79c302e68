#!/usr/bin/env bash
# Soak test: the release binary under mixed traffic for a while, on loopback only, bounded in
# time. At once, for DURATION (default 10 minutes):
#   - wrk on the course's Adam problem (32 connections);
#   - a trickle of the largest solve the default limits allow, one after another;
#   - SLOW (default 300) connections that never finish their headers, each reopened when the
#     server closes it (a slowloris);
#   - clients that hang up after the first bytes of a large answer, one every 0.2 s;
#   - a GET /healthz probe every second on a fresh connection.
# Then it prints the requests by status (from the server's own /metrics), the probe's worst
# latency, and the server's RSS at the start, the middle and the end.
#
#   scripts/soak.sh                       # 10 minutes
#   DURATION=60 scripts/soak.sh           # seconds
#
# Not part of CI: it loads both cores for its whole duration.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-600}
SLOW=${SLOW:-300}

work=$(mktemp -d)
# shellcheck source=scripts/serve.sh
. scripts/serve.sh
trap stop_on_exit EXIT
prepare

start
port=${base##*:}
rss() { awk '/VmRSS/ {print $2, $3}' "/proc/$server/status"; }
echo "== soak for $DURATION s against $base (default limits)"
echo "   RSS at the start: $(rss)"

curl -fsS "$base/v1/examples/adam" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["problem"]))' \
  >"$work/adam.json"
# The largest solve the default limits allow: 3,333 Adam updates of a 2-weight neuron.
printf '{"samples":[{"x":[1,0.6],"t":0.8}],"weights":[0.5,0.5],"algorithm":"adam","hyperparameters":{"learning_rate":0.01},"epochs":3333}\n' \
  >"$work/largest.json"

BODY_FILE=$work/adam.json wrk -t1 -c32 -d"${DURATION}s" --timeout 30s -s "$work/post.lua" \
  "$base/v1/solve" >"$work/wrk.txt" &
pids=($!)
python3 scripts/soak/clients.py slow 127.0.0.1 "$port" "$DURATION" "$SLOW" >"$work/slow.txt" &
pids+=($!)
python3 scripts/soak/clients.py hangup 127.0.0.1 "$port" "$DURATION" "$work/largest.json" >"$work/hangup.txt" &
pids+=($!)
python3 scripts/soak/clients.py probe 127.0.0.1 "$port" "$DURATION" >"$work/probe.txt" &
pids+=($!)
(
  end=$((SECONDS + DURATION))
  n=0
  while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -X POST "$base/v1/solve" -H 'content-type: application/json' \
      --data-binary @"$work/largest.json" --max-time 30 || true
    n=$((n + 1))
  done
  echo "$n" >"$work/largest.txt"
) &
pids+=($!)

sleep $((DURATION / 2))
middle=$(rss)
wait "${pids[@]}"
end_rss=$(rss)

echo "   RSS in the middle: $middle; at the end: $end_rss"
echo "   slow connections opened (each held until the server closed it): $(cat "$work/slow.txt")"
echo "   clients that hung up mid-answer: $(cat "$work/hangup.txt"); largest solves asked for: $(cat "$work/largest.txt")"
read -r worst failed <"$work/probe.txt"
echo "   /healthz probe: worst latency $worst ms, $failed failed"
echo "   wrk: $(awk '/Requests\/sec:/ {print $2 " requests/s"}' "$work/wrk.txt")"
echo "   requests by status (the server's /metrics):"
curl -fsS "$base/metrics" | awk '
  /^gradtrace_http_requests_total\{/ {
    match($0, /status="[0-9]+"/); status = substr($0, RSTART + 8, 3); count[status] += $2
  }
  /^gradtrace_connections_(over_cap|refused)_total / { print "   " $1 " " $2 }
  END { for (s in count) printf "     %s: %d\n", s, count[s] }' | sort
