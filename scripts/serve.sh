# Sourced by the scripts that measure the service (load.sh, bench.sh): start the release binary
# on a loopback port the kernel picks, and stop it. Needs $work (a scratch folder).
server=""
base=""

# start [serve flags…]: sets $server (the pid) and $base (http://127.0.0.1:PORT).
start() {
  target/release/gradtrace serve --addr 127.0.0.1:0 "$@" 2>"$work/server.log" &
  server=$!
  base=""
  for _ in $(seq 100); do
    base=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -n1 \
      | sed 's/listening on //' || true)
    if [ -n "$base" ] && curl -fsS "$base/healthz" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
}

stop() {
  kill -TERM "$server"
  wait "$server" || true
  server=""
}

# The server's peak resident memory so far, e.g. "19404 kB".
peak_rss() {
  awk '/VmHWM/ {print $2, $3}' "/proc/$server/status"
}

stop_on_exit() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}

# wrk sends the body of $BODY_FILE as a JSON POST on every request.
write_post_lua() {
  cat >"$work/post.lua" <<'LUA'
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
LUA
}

# wrk from Debian when missing, the release binary built, and the POST script written.
prepare() {
  if ! command -v wrk >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
  fi
  cargo build --release --locked --quiet --bin gradtrace
  write_post_lua
}
