#!/usr/bin/env bash
# Side-by-side benchmark of gradtrace against a plain numpy loop and against its own /healthz,
# all measured in one run on this machine (ratios, not absolute times, are the point: absolute
# times drift between runs on a shared machine).
#
# It prints:
#   1. per-update time of gradtrace's `summary`, `values` and `lines` readings (each written
#      out as its JSON, through `gradtrace solve --compact` to /dev/null), for the course's Adam
#      problem, for a 100-weight neuron and for the classic 2-2-2 network, beside the numpy
#      loop computing the same values alone and while writing a JSON trace of them
#      (scripts/bench/numpy_loop.py, and scripts/bench/network_loop.py for the network);
#   2. POST /v1/solve requests/s on the course's Adam problem at each detail, against the same
#      server's GET /healthz (wrk, 64 connections);
#   3. a 1,000,000-update NDJSON stream: its time and the server's peak RSS.
#
#   scripts/bench.sh                 # everything (about 3 minutes)
#   DURATION=5s scripts/bench.sh     # shorter wrk phases
#
# Not part of CI. Needs wrk (Debian's package) and numpy (installed into target/bench-venv).
# A per-update time is (T(n₂) − T(n₁)) / (n₂ − n₁) over two run lengths, so process start-up,
# parsing and validation cancel out; each T is the best of 3 runs.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}

venv=target/bench-venv
if ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy
fi
work=$(mktemp -d)
# shellcheck source=scripts/serve.sh
. scripts/serve.sh
trap stop_on_exit EXIT
prepare

# Limits high enough for the longest runs below, on the command line and on the server.
limits=(--max-trace-entries 100000000 --max-forward-entries 100000000
        --max-values-trace-entries 100000000 --max-values-forward-entries 100000000
        --max-summary-entries 1000000000000)

# problem NAME EPOCHS: the benchmark problems, as request bodies.
problem() {
  "$venv/bin/python" - "$1" "$2" <<'PY'
import json, sys
name, epochs = sys.argv[1], int(sys.argv[2])
if name == "adam":
    # The course's Adam problem (GET /v1/examples/adam): three samples, α 0.2, β₁ β₂ 0.8.
    body = {"samples": [{"x": [1, 0.6], "t": 0.8}, {"x": [0.5, 0.5], "t": 0.6},
                        {"x": [0.2, 0.8], "t": 0.3}],
            "weights": [0.5, 0.5], "algorithm": "adam",
            "hyperparameters": {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}}
elif name == "mazur":
    # The classic 2-2-2 backpropagation example (GET /v1/examples): one sample, η 0.5.
    layer = lambda w, b: {"activation": "logistic", "weights": w, "biases": [b, b]}
    body = {"samples": [{"x": [0.05, 0.10], "t": [0.01, 0.99]}],
            "network": {"layers": [layer([[0.15, 0.20], [0.25, 0.30]], 0.35),
                                   layer([[0.40, 0.45], [0.50, 0.55]], 0.60)],
                        "update_biases": False},
            "algorithm": "gd", "hyperparameters": {"learning_rate": 0.5}}
else:
    # A 100-weight neuron: ten samples of 100 inputs in [-1, 1), fixed by a small LCG.
    state = 12345
    def draw():
        global state
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        return round((state >> 11) / 2**53 * 2 - 1, 3)
    samples = [{"x": [draw() for _ in range(100)], "t": round((draw() + 1) / 2, 2)}
               for _ in range(10)]
    body = {"samples": samples, "weights": [0.01] * 100, "algorithm": "adam",
            "hyperparameters": {"learning_rate": 0.01}}
body["epochs"] = epochs
print(json.dumps(body))
PY
}

# best_of_3 COMMAND…: the least wall time of three runs, in seconds.
best_of_3() {
  "$venv/bin/python" - "$@" <<'PY'
import subprocess, sys, time
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
    best = min(best, time.perf_counter() - start)
print(best)
PY
}

# per_update NAME SAMPLES DETAIL EPOCHS₁ EPOCHS₂: gradtrace's seconds per update.
per_update() {
  local name=$1 samples=$2 detail=$3 e1=$4 e2=$5
  problem "$name" "$e1" >"$work/short.json"
  problem "$name" "$e2" >"$work/long.json"
  local t1 t2
  t1=$(best_of_3 target/release/gradtrace solve "$work/short.json" --compact --detail "$detail" "${limits[@]}")
  t2=$(best_of_3 target/release/gradtrace solve "$work/long.json" --compact --detail "$detail" "${limits[@]}")
  awk -v a="$t1" -v b="$t2" -v n="$(( (e2 - e1) * samples ))" 'BEGIN { printf "%.4g", (b - a) / n }'
}

# numpy_per_update NAME SAMPLES LOOP UPDATES: the numpy loop's seconds per update, with
# OpenBLAS' core-type override lifted for this command only (it slows a current numpy); a
# network's own loop for the network.
numpy_per_update() {
  problem "$1" 1 >"$work/numpy.json"
  local loop=scripts/bench/numpy_loop.py
  if [ "$1" = mazur ]; then loop=scripts/bench/network_loop.py; fi
  (unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
   "$venv/bin/python" "$loop" "$work/numpy.json" "$3" "$4") \
    | "$venv/bin/python" -c 'import json, sys; print("%.4g" % json.load(sys.stdin)["seconds_per_update"])'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "== per update (seconds; ratios are numpy ÷ gradtrace)"
for name in adam neuron100 mazur; do
  case $name in
    adam) samples=3 scale=1 ;;
    neuron100) samples=10 scale=10 ;;
    mazur) samples=1 scale=3 ;;
  esac
  summary=$(per_update "$name" "$samples" summary $((100000 / scale)) $((1100000 / scale)))
  values=$(per_update "$name" "$samples" values $((10000 / scale)) $((110000 / scale)))
  lines=$(per_update "$name" "$samples" lines $((1000 / scale)) $((11000 / scale)))
  np_values=$(numpy_per_update "$name" "$samples" values $((30000 / scale)))
  np_json=$(numpy_per_update "$name" "$samples" json $((30000 / scale)))
  echo "   $name:"
  echo "     gradtrace summary          $summary   numpy values-only $np_values   ×$(ratio "$np_values" "$summary")"
  echo "     gradtrace values + JSON    $values   numpy with JSON   $np_json   ×$(ratio "$np_json" "$values")"
  echo "     gradtrace lines + JSON     $lines   numpy with JSON   $np_json   ×$(ratio "$np_json" "$lines")"
done

echo "== requests/s, $CONNECTIONS connections for $DURATION each, one server"
problem adam 1 >"$work/course.json"
start
wrk_rps() {
  BODY_FILE=$work/course.json wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" \
    | awk '/Requests\/sec:/ { print $2 } /Non-2xx/ { print "non-2xx: " $0 > "/dev/stderr" }'
}
health=$(wrk_rps "$base/healthz")
echo "   GET /healthz                 $health"
for detail in lines values summary; do
  rps=$(wrk_rps -s "$work/post.lua" "$base/v1/solve?detail=$detail")
  echo "   POST /v1/solve?detail=$detail   $rps   ×$(ratio "$rps" "$health") of /healthz"
done
stop

echo "== a 1,000,000-update NDJSON stream (the course's Adam problem, detail=values)"
problem adam 333334 >"$work/stream.json"
start "${limits[@]}"
begin=$(date +%s.%N)
bytes=$(curl -fsS -X POST "$base/v1/solve?format=ndjson&detail=values" \
  -H 'content-type: application/json' --data-binary @"$work/stream.json" | wc -c)
end=$(date +%s.%N)
echo "   $(awk -v a="$begin" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s, $bytes bytes, server peak RSS $(peak_rss)"
stop

echo "== POST /v1/grade, carry_forward best, on the old largest default solve (3,333 Adam updates)"
"$venv/bin/python" scripts/bench/grade_request.py >"$work/grade.json"
start
best=""
for _ in 1 2 3; do
  took=$(curl -fsS -o /dev/null -w '%{time_total}' -X POST "$base/v1/grade" \
    -H 'content-type: application/json' --data-binary @"$work/grade.json")
  best=$(awk -v a="$took" -v b="${best:-1e9}" 'BEGIN { print (a < b) ? a : b }')
done
echo "   best of 3: $best s"
stop
