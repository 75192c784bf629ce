#!/usr/bin/env bash
# Start-up benchmark of the packaged jar (cli/target/molecule.jar).
#
#   bench/startup.sh [N]        N restarts to measure (default 5)
#
# 1. Builds the jar if it is missing (mvn -B -q -DskipTests package; extra flags in MVN_ARGS, e.g. -o).
# 2. Cold start: runs the jar once on a fresh temporary MOLECULE_HOME, which unpacks the
#    PostgreSQL binaries, runs initdb and the migrations; reports JVM start -> first 200 from /health.
# 3. Warm restarts: N times on the now-initialised home, times `java -jar` -> first 200 from
#    /health (polled every 20 ms), then stops the process with SIGTERM and waits for it to exit.
#    Prints min / median / max in ms.
# Uses a free port on 127.0.0.1 and removes the temporary home at the end.
set -euo pipefail

N=${1:-5}
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="$JAVA_HOME/bin/java"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/cli/target/molecule.jar"
TIMEOUT_MS=120000

if [[ ! -f "$JAR" ]]; then
  echo "building $JAR ..."
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -DskipTests package)
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

HOME_DIR=$(mktemp -d -t molecule-bench.XXXXXX)
PORT=$(free_port)
PID=""

cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Starts the jar, waits for the first 200 from /health, sets ELAPSED (ms). Not run in $(...):
# the jar must stay a child of this shell so it can be stopped and waited for.
start_and_time() {
  local log="$HOME_DIR/run-$1.log" t0 code
  t0=$(now_ms)
  MOLECULE_HOME="$HOME_DIR/home" PORT="$PORT" "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" >"$log" 2>&1 &
  PID=$!
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/health" || true)
    [[ "$code" == "200" ]] && break
    if ! kill -0 "$PID" 2>/dev/null; then
      echo "molecule exited before becoming healthy:" >&2; cat "$log" >&2; exit 1
    fi
    if (( $(now_ms) - t0 > TIMEOUT_MS )); then
      echo "molecule not healthy within ${TIMEOUT_MS} ms:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.02
  done
  ELAPSED=$(( $(now_ms) - t0 ))
}

stop() {
  kill -TERM "$PID"
  wait "$PID" 2>/dev/null || true # exits 143 on SIGTERM
  PID=""
}

echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo "jar:  $JAR"
echo "cpus: $(nproc)"

start_and_time cold
stop
echo "cold first start (fresh MOLECULE_HOME): ${ELAPSED} ms"

times=()
for i in $(seq 1 "$N"); do
  start_and_time "$i"
  stop
  echo "restart $i: ${ELAPSED} ms"
  times+=("$ELAPSED")
done

sorted=($(printf '%s\n' "${times[@]}" | sort -n))
count=${#sorted[@]}
if (( count % 2 == 1 )); then
  median=${sorted[$((count / 2))]}
else
  median=$(( (sorted[count / 2 - 1] + sorted[count / 2]) / 2 ))
fi
echo "restarts on an initialised home (n=$count): min ${sorted[0]} ms / median ${median} ms / max ${sorted[$((count - 1))]} ms"
