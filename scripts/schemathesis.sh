#!/usr/bin/env bash
# schemathesis against the real service: build the release binary, start it on a free loopback
# port, wait for /healthz, run every check on every operation of its /openapi.json, stop it.
# Any failure fails the script (and CI, which calls it after `cargo test`).
#
#   scripts/schemathesis.sh                  # the CI run: a fixed seed, a bounded number of cases
#   EXAMPLES=200 SEED=7 scripts/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# The version is pinned so that a new release's new checks cannot turn CI red overnight; raise
# it on purpose.
VERSION=4.32.5
EXAMPLES=${EXAMPLES:-60}
SEED=${SEED:-20261128}

# Its own virtual environment under target/ (kept between runs, ignored by git): no system
# Python is touched, which Debian's refuses anyway (PEP 668).
venv=target/schemathesis-venv
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "$VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi

cargo build --release --locked --quiet --bin gradtrace

log=$(mktemp)
# Port 0: the kernel picks a free port, and the service logs which.
GRADTRACE_LOG_FORMAT=plain RUST_LOG=info target/release/gradtrace serve --addr 127.0.0.1:0 \
  2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

base=""
for _ in $(seq 100); do
  base=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -n1 | sed 's/listening on //' || true)
  if [ -n "$base" ] && curl -fsS "$base/healthz" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the service did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  base=""
  sleep 0.1
done
if [ -z "$base" ]; then
  echo "the service did not answer /healthz within 10 s" >&2
  exit 1
fi
echo "== schemathesis $VERSION against $base/openapi.json ($EXAMPLES cases per operation, seed $SEED)"

# Run from target/ so that schemathesis' cache (.schemathesis/) lands in an ignored folder;
# NO_COLOR: CI logs are read as text.
cd target
NO_COLOR=1 "schemathesis-venv/bin/schemathesis" --config-file ../schemathesis.toml \
  run "$base/openapi.json" \
  --checks all \
  --max-examples "$EXAMPLES" \
  --seed "$SEED" \
  --workers 2 \
  --request-timeout 30
