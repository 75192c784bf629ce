#!/usr/bin/env bash
# A2A proxy benchmark: the platform's POST /workspaces/:id/a2a against nginx proxy_pass, both in
# front of the same instant agent, in one run.
#
#   bench/proxy.sh [seconds]        duration of each measured wrk run (default 10)
#
# Needs wrk and nginx (Debian: apt-get install -y wrk nginx-light) and the packaged jar (built
# when missing; MVN_ARGS=-o builds offline).
#
# 1. The "agent" is an nginx server block answering every POST at once with a fixed A2A reply.
# 2. "nginx" is a second server block that proxy_passes to it (upstream keepalive).
# 3. "platform" is the jar on a fresh MOLECULE_HOME (embedded PostgreSQL, MOLECULE_ENV=development
#    so a loopback agent URL is allowed and there is no rate limit), with one external workspace
#    whose URL is the agent (max_concurrent_tasks 1000: it answers at once, so nothing queues); the load is POST /workspaces/<id>/a2a with a message/send body, the
#    path a canvas message takes (activity on the target, A2A_RESPONSE, events).
# The platform gets 80 s of warm-up load, then each target gets wrk with 64 connections (throughput) and with 1 connection
# (latency, p50). CPU per platform request = CPU time of the JVM and its PostgreSQL processes
# during the 64-connection run / requests served.
set -euo pipefail

SECS=${1:-10}
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="$JAVA_HOME/bin/java"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/cli/target/molecule.jar"

for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/proxy.sh needs $tool (apt-get install -y wrk nginx-light)" >&2; exit 1; }
done
if [[ ! -f "$JAR" ]]; then
  echo "building $JAR ..."
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -DskipTests package)
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

WORK=$(mktemp -d -t molecule-proxy-bench.XXXXXX)
AGENT_PORT=$(free_port)
NGINX_PORT=$(free_port)
PORT=$(free_port)
PID=""
cleanup() {
  [[ -n "$PID" ]] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  if [[ -n "${BENCH_KEEP_HOME:-}" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

REPLY='{"jsonrpc":"2.0","id":"1","result":{"kind":"message","role":"agent","messageId":"r1","parts":[{"kind":"text","text":"ok"}]}}'
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream agent { server 127.0.0.1:$AGENT_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$AGENT_PORT;
    location / { default_type application/json; return 200 '$REPLY'; }
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://agent; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx.conf"

BODY='{"jsonrpc":"2.0","id":"1","method":"message/send","params":{"message":{"role":"user","parts":[{"kind":"text","text":"ping"}]}}}'
cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
EOF

MOLECULE_HOME="$WORK/home" PORT="$PORT" MOLECULE_ENV=development MOLECULE_PROVISIONER=none \
  "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" >"$WORK/platform.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && break
  kill -0 "$PID" 2>/dev/null || { echo "platform exited:" >&2; cat "$WORK/platform.log" >&2; exit 1; }
  sleep 0.1
done
WS=$(curl -sf -XPOST "http://127.0.0.1:$PORT/workspaces" \
  -d "{\"name\":\"bench-agent\",\"external\":true,\"max_concurrent_tasks\":1000,\"url\":\"http://127.0.0.1:$AGENT_PORT\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# CPU ticks of the JVM plus its PostgreSQL (pg_ctl daemonises the postmaster, so it is found by its data
# directory under this run's MOLECULE_HOME, with every backend it forked).
tree_ticks() {
  local total p
  total=$(awk '{print $14 + $15}' "/proc/$1/stat")
  for p in $(pgrep -f "$WORK/home/pgdata" || true); do
    for q in $p $(pgrep -P "$p" || true); do
      [[ -r /proc/$q/stat ]] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$q/stat") ))
    done
  done
  echo "$total"
}

# Runs wrk; sets RPS, P50 (ms) and REQS.
run_wrk() {
  local url=$1 conns=$2 secs=$3 out
  out=$(wrk -t "$(( conns < 2 ? 1 : 2 ))" -c "$conns" -d "${secs}s" --latency -s "$WORK/post.lua" "$url")
  RPS=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  REQS=$(awk '/requests in/ {print $1}' <<<"$out")
  P50=$(awk '$1 == "50%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $(grep Non-2xx <<<"$out") at $url" >&2; fi
}

AGENT="http://127.0.0.1:$AGENT_PORT/"
NGINX="http://127.0.0.1:$NGINX_PORT/"
PLATFORM="http://127.0.0.1:$PORT/workspaces/$WS/a2a"
curl -sf -XPOST -H 'Content-Type: application/json' -d "$BODY" "$PLATFORM" >/dev/null \
  || { echo "the platform does not proxy to the agent:" >&2; curl -s -XPOST -d "$BODY" "$PLATFORM" >&2; exit 1; }

echo "java: $("$JAVA" -version 2>&1 | head -1); cpus: $(nproc); $SECS s per run"
# JIT warm-up: on 2 cores the figures still rise after 40 s of this load; 80 s lets them settle
for _ in 1 2 3 4; do run_wrk "$PLATFORM" 64 20; echo "warm-up: $RPS req/s"; done
# Before nginx and the direct agent are measured, the platform must be idle again (JIT compiles and the last
# write-behind batches of the warm-up would otherwise take CPU from them and flatter the ratio).
settle() {
  local a b
  for _ in $(seq 1 30); do
    a=$(tree_ticks "$PID"); sleep 1; b=$(tree_ticks "$PID")
    (( (b - a) * 100 < $(getconf CLK_TCK) * 3 )) && return 0   # under 3 % of a core
  done
  echo "warning: the platform did not go idle within 30 s" >&2
}
declare -A rps p50
for target in direct nginx platform; do
  case $target in direct) url=$AGENT ;; nginx) url=$NGINX ;; platform) url=$PLATFORM ;; esac
  [[ $target != platform ]] && settle
  [[ $target == platform ]] && t0=$(tree_ticks "$PID") && j0=$(awk '{print $14 + $15}' "/proc/$PID/stat") && s0=$(awk '{print $15}' "/proc/$PID/stat")
  run_wrk "$url" 64 "$SECS"
  rps[$target]=$RPS
  if [[ $target == platform ]]; then
    t1=$(tree_ticks "$PID"); j1=$(awk '{print $14 + $15}' "/proc/$PID/stat"); s1=$(awk '{print $15}' "/proc/$PID/stat")
    cpu_us=$(python3 -c "print(round(($t1 - $t0) * 1e6 / $(getconf CLK_TCK) / $REQS))")
    jvm_us=$(python3 -c "print(round(($j1 - $j0) * 1e6 / $(getconf CLK_TCK) / $REQS))")
    sys_us=$(python3 -c "print(round(($s1 - $s0) * 1e6 / $(getconf CLK_TCK) / $REQS))")
  fi
  run_wrk "$url" 1 "$(( SECS / 2 > 3 ? SECS / 2 : 3 ))"
  p50[$target]=$P50
  printf '%-9s %10s req/s (64 conns)   p50 %7s ms (1 conn)\n' "$target" "${rps[$target]}" "${p50[$target]}"
done
python3 - "${rps[nginx]}" "${rps[platform]}" "${rps[direct]}" "${p50[platform]}" "${p50[direct]}" "$cpu_us" "$jvm_us" "$sys_us" <<'EOF'
import sys
nginx, platform, direct, p50p, p50d, cpu, jvm, sys_ = map(float, sys.argv[1:])
print(f"platform / nginx throughput: {platform / nginx:.2f}x   platform / direct: {platform / direct:.2f}x")
print(f"added p50 at 1 connection: {p50p - p50d:.3f} ms   CPU per proxied request (JVM + PostgreSQL): {cpu:.0f} us"
      f" (JVM {jvm:.0f} of which kernel {sys_:.0f}, PostgreSQL {cpu - jvm:.0f})")
EOF
