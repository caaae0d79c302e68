#!/usr/bin/env bash
# Load test of POST /v1/solve on this machine's loopback: 64 connections for 30 s per phase,
# with wrk (Debian's package), against the release binary. Each phase starts a fresh server and
# prints requests/s, p50 and p99 latency, the responses that were not 2xx (and the requests that
# got no answer at all), and the server's peak RSS (VmHWM).
#
# Phases:
#   adam      the course's Adam problem (GET /v1/examples/adam), default limits
#   largest   the largest solve the default limits allow: 3,333 Adam updates of a 2-weight
#             neuron (9,999 of the 10,000 trace entries, a ≈ 17 MB answer), default limits
#   10k       10,000 Adam updates of the same neuron (a ≈ 52 MB answer): over the default trace
#             limit, so that server runs with --max-trace-entries 30000 --max-forward-entries 30000
#
#   scripts/load.sh                      # all three phases, 30 s each
#   DURATION=10s PHASES="adam" scripts/load.sh
#
# Not part of CI: it loads both cores for a while and its figures depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
PHASES=${PHASES:-"adam largest 10k"}

work=$(mktemp -d)
# shellcheck source=scripts/serve.sh
. scripts/serve.sh
trap stop_on_exit EXIT
prepare

# phase NAME DESCRIPTION BODY_FILE [serve flags…]
phase() {
  local name=$1 description=$2 body=$3
  shift 3
  start "$@"
  echo "== $name: $description"
  echo "   $(wc -c <"$body") byte request; $CONNECTIONS connections for $DURATION; server flags: ${*:-(defaults)}"
  BODY_FILE=$body wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 60s --latency \
    -s "$work/post.lua" "$base/v1/solve" >"$work/wrk.txt"
  local rss
  rss=$(peak_rss)
  stop
  awk -v rss="$rss" '
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /requests in/ { total = $1 }
    /Non-2xx or 3xx responses:/ { non2xx = $5 }
    /Socket errors:/ { errors = $0; sub(/^ +Socket errors: /, "", errors) }
    END {
      printf "   requests/s %s   p50 %s   p99 %s   requests %s (2xx %d, non-2xx %d)   peak RSS %s\n",
        rps, p50, p99, total, total - non2xx, non2xx, rss
      if (errors != "") printf "   no answer (wrk socket errors): %s\n", errors
    }' "$work/wrk.txt"
}

curl_problem() {
  # The course's Adam example, as the service itself serves it.
  start
  curl -fsS "$base/v1/examples/adam" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["problem"]))' \
    >"$work/adam.json"
  stop
}

adam_updates() {
  printf '{"samples":[{"x":[1,0.6],"t":0.8}],"weights":[0.5,0.5],"algorithm":"adam","hyperparameters":{"learning_rate":0.01},"epochs":%s}\n' "$1"
}

for name in $PHASES; do
  case $name in
    adam)
      curl_problem
      phase adam "the course's Adam problem (GET /v1/examples/adam)" "$work/adam.json"
      ;;
    largest)
      adam_updates 3333 >"$work/largest.json"
      phase largest "3,333 Adam updates, the largest solve the default limits allow" \
        "$work/largest.json"
      ;;
    10k)
      adam_updates 10000 >"$work/10k.json"
      phase 10k "10,000 Adam updates (limits raised to allow it)" "$work/10k.json" \
        --max-trace-entries 30000 --max-forward-entries 30000
      ;;
    *)
      echo "unknown phase $name (adam, largest, 10k)" >&2
      exit 2
      ;;
  esac
done
