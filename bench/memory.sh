#!/usr/bin/env bash
# Memory search latency at scale, against the packaged jar (cli/target/molecule.jar).
#
#   bench/memory.sh [N]        (default N = 100000 memories)
#
# Starts the jar on a fresh temporary MOLECULE_HOME and a free 127.0.0.1 port (development mode: no
# auth, no rate limit, MOLECULE_PROVISIONER=none so no agent runs), creates one workspace, seeds N
# LOCAL memories into its embedded PostgreSQL with one INSERT … SELECT generate_series (psql; the
# content_tsv column and its GIN index are filled as on any write), runs ANALYZE, then times
# GET /workspaces/{id}/memories?q=… — the real route, ranked full-text search, limit 50 — with curl:
# WARMUP (20) then RUNS (300) sequential requests per query, p50 / p95 / p99 / max of curl's time_total.
# Needs psql and curl on PATH; MVN_ARGS (e.g. -o) is passed to the build when the jar is missing.
# BENCH_KEEP_HOME=1 keeps the home with its platform.log.
set -euo pipefail

export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/cli/target/molecule.jar"
N=${1:-100000}
WARMUP=${WARMUP:-20}
RUNS=${RUNS:-300}

if [[ ! -f "$JAR" ]]; then
  echo "building $JAR ..."
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -DskipTests package)
fi

HOME_DIR=$(mktemp -d /tmp/molecule-bench-memory.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MOLECULE_HOME="$HOME_DIR/home" PORT=$PORT MOLECULE_ENV=development MOLECULE_PROVISIONER=none \
  "$JAVA_HOME/bin/java" -jar "$JAR" >"$HOME_DIR/platform.log" 2>&1 &
PID=$!
cleanup() {
  kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  [[ -n "${BENCH_KEEP_HOME:-}" ]] && echo "kept $HOME_DIR" || rm -rf "$HOME_DIR"
}
trap cleanup EXIT

BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do
  curl -sf "$BASE/health" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$HOME_DIR/platform.log"; exit 1; }
  sleep 0.1
done
PGPORT=$(grep -o 'embedded PostgreSQL listening on 127.0.0.1:[0-9]*' "$HOME_DIR/platform.log" | grep -o '[0-9]*$')
PSQL=(psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres)

WS=$(curl -sf -X POST "$BASE/workspaces" -H 'Content-Type: application/json' -d '{"name":"Memory Bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# Content: 8-30 words from a 60-word working vocabulary, plus one of 2000 project codes, plus
# "kubernetes" in 1 row in 100 and "quarterly" in 1 in 10: common, medium and rare terms.
start=$(date +%s.%N)
"${PSQL[@]}" <<SQL
INSERT INTO agent_memories (workspace_id, content, scope, namespace)
SELECT '$WS', concat_ws(' ',
         (SELECT string_agg(w[1 + floor(random() * array_length(w, 1))::int], ' ')
          FROM generate_series(1, 8 + (g % 23)) AS k,
               (SELECT ARRAY['customer','invoice','deploy','release','meeting','budget','design','review','bug','fix',
                 'database','latency','report','team','sprint','roadmap','contract','pricing','feature','search',
                 'memory','agent','workflow','approval','schedule','incident','postmortem','metric','dashboard','alert',
                 'migration','index','query','cache','token','model','prompt','delegate','task','queue','retry','timeout',
                 'budget','forecast','hiring','onboarding','security','audit','compliance','vendor','renewal','churn',
                 'revenue','margin','support','ticket','escalation','backlog','priority','estimate'] AS w) AS v
          WHERE g > 0),
         'project-' || (g % 2000),
         CASE WHEN g % 100 = 0 THEN 'kubernetes cluster upgrade' END,
         CASE WHEN g % 10 = 0 THEN 'quarterly planning notes' END),
       'LOCAL', 'general'
FROM generate_series(1, $N) AS g;
ANALYZE agent_memories;
SQL
end=$(date +%s.%N)
COUNT=$("${PSQL[@]}" -t -A -c "SELECT count(*) FROM agent_memories WHERE workspace_id = '$WS'")
printf 'seeded %s memories in %.1f s (one INSERT ... SELECT)\n' "$COUNT" "$(echo "$end - $start" | bc)"
echo "java $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"

measure() {
  local label=$1 q=$2 url hits
  url="$BASE/workspaces/$WS/memories?q=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")"
  hits=$(curl -sf "$url" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  for _ in $(seq 1 "$WARMUP"); do curl -sf -o /dev/null "$url"; done
  for _ in $(seq 1 "$RUNS"); do curl -sf -o /dev/null -w '%{time_total}\n' "$url"; done \
    | sort -n | awk -v label="$label" -v hits="$hits" '
        { t[NR] = $1 * 1000 }
        END {
          printf "%-34s hits %3d  p50 %7.2f  p95 %7.2f  p99 %7.2f  max %7.2f ms  (n=%d)\n", label, hits,
            t[int(NR * 0.50 + 0.999)], t[int(NR * 0.95 + 0.999)], t[int(NR * 0.99 + 0.999)], t[NR], NR
        }'
}

echo "GET /workspaces/{id}/memories?q=…  (ranked, limit 50) at $COUNT memories:"
measure "rare term (1%): kubernetes"        "kubernetes"
measure "medium term (10%): quarterly"      "quarterly"
measure "common term (~30%): invoice"       "invoice"
measure "two terms: budget forecast"        "budget forecast"
measure "exact code: project-1234"          "project-1234"
measure "no match: zeppelin"                "zeppelin"
