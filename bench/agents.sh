#!/usr/bin/env bash
# Agent benchmarks against the packaged jar (cli/target/molecule.jar), with scripted echo agents.
#
#   bench/agents.sh [latency|capacity|all] [--option value ...]     (default: all)
#
# latency:  round trip of message/send over loopback HTTP: proxy -> embedded agent, proxy -> process
#           agent (a second platform with MOLECULE_PROVISIONER=process), the process agent at its own
#           URL, the embedded agent at /agents/{id}. --warmup 200 --n 2000 --clients 4
# capacity: embedded workspaces in one platform started with -Xmx<heap>, created in batches until
#           something fails. --heap 2g --heartbeat 30 --batch 100 --max 5000 --minutes 10
#           --register-timeout 120 --max-p99-ms 2000
#
# Builds the platform jar (mvn -B -q -DskipTests package) and the benchmark jar (bench/pom.xml, not
# part of the default build) when missing; extra Maven flags in MVN_ARGS, e.g. MVN_ARGS=-o.
# Every platform runs on a fresh temporary MOLECULE_HOME and a free 127.0.0.1 port, in development
# mode (no auth, no rate limit), and is stopped with SIGTERM and deleted at the end
# (BENCH_KEEP_HOME=1 keeps the homes and their platform.log).
set -euo pipefail

export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/cli/target/molecule.jar"
BENCH_JAR="$ROOT/bench/target/molecule-bench.jar"

if [[ ! -f "$JAR" ]]; then
  echo "building $JAR ..."
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -DskipTests package)
fi
if [[ ! -f "$BENCH_JAR" || -n "$(find "$ROOT/bench/src" "$ROOT/bench/pom.xml" -newer "$BENCH_JAR" -print -quit)" ]]; then
  echo "building $BENCH_JAR ..."
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -f bench/pom.xml package)
fi

cd "$ROOT"
exec "$JAVA_HOME/bin/java" -jar "$BENCH_JAR" --jar "$JAR" "$@"
