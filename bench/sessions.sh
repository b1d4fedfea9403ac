#!/usr/bin/env bash
# POST /v1/sessions under load against the packaged service (embedded PostgreSQL and Redis, as the run
# command starts it), next to a trivial endpoint of the same app measured in the same run.
#   bench/sessions.sh CLASSPATH DURATION_SECONDS FIXED_RATE_SECONDS WARMUP_SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
cp=$1; duration=$2; fixed=$3; warm=$4
data=$(mktemp -d); port=18181; log=$data/app.log
key=bench-admin-key-$(date +%s%N)
env -u CALLTRACK_DB_URL -u CALLTRACK_REDIS_URL CALLTRACK_DATA_DIR="$data" PORT=$port CALLTRACK_ADMIN_KEY=$key \
  CALLTRACK_POOL_FILE=bench/number-pool-bench.yaml \
  java -Dcalltrack.limits.new-leases-per-ip-per-minute=0 -Dcalltrack.limits.held-share=0 -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 1; done
url="http://127.0.0.1:$port"
echo "session API (wrk -t2 -c32, ${duration}s each, after ${warm}s of warm-up for the JIT):"
wrk -t2 -c32 -d${warm}s -s bench/wrk/sessions.lua "$url" >/dev/null
wrk -t2 -c32 -d${warm}s -s bench/wrk/preflight.lua "$url/v1/sessions" >/dev/null
settle() { sleep 5; } # lets the background writer drain what the last run queued
settle
base=$(wrk -t2 -c32 -d${duration}s --latency -s bench/wrk/preflight.lua "$url/v1/sessions")
sess=$(wrk -t2 -c32 -d${duration}s --latency -s bench/wrk/sessions.lua "$url")
b=$(echo "$base" | awk '/Requests\/sec/ {print $2}')
s=$(echo "$sess" | awk '/Requests\/sec/ {print $2}')
printf "  baseline OPTIONS /v1/sessions   %10.0f req/s   p99 %s\n" "$b" "$(echo "$base" | awk '$1=="99%" {print $2}')"
printf "  POST /v1/sessions (new visitor)  %10.0f req/s   p99 %s   %s\n" "$s" "$(echo "$sess" | awk '$1=="99%" {print $2}')" \
  "$(echo "$sess" | grep non-2xx)"
awk -v s="$s" -v b="$b" 'BEGIN { printf "  sessions / baseline: %.2f (target: >= 0.50)\n", s / b }'
settle
java -cp "$cp" io.calltrack.bench.FixedRateLoad "$url" 2000 "$fixed" 3
gz=$(curl -s "$url/s/bench.js" | gzip -9 | wc -c)
echo "  snippet /s/bench.js: $(curl -s "$url/s/bench.js" | wc -c) bytes, $gz bytes gzip -9 (target: <= 5120)"

# Allocation cost against pool size through HTTP. Each size runs twice, in the order 100, 10,000, 100,000 and
# back, so the tables' growth over the runs is charged to every size alike.
half=$(( duration / 2 > 0 ? duration / 2 : 1 ))
echo "  pool size through HTTP (leases held 1 ms, ${half}s per run, each size twice):"
declare -A total
for size in 100 10000 100000 100000 10000 100; do
  settle
  r=$(SITE=size-$size wrk -t2 -c32 -d${half}s -s bench/wrk/sessions.lua "$url" | awk '/Requests\/sec/ {print $2}')
  total[$size]=$(awk -v a="${total[$size]:-0}" -v b="$r" 'BEGIN { print a + b }')
done
for size in 100 10000 100000; do
  printf "    pool of %-7s %10.0f req/s\n" "$size" "$(awk -v t="${total[$size]}" 'BEGIN { print t / 2 }')"
done
pools=$(curl -sf -H "Authorization: Bearer $key" "$url/v1/admin/pools")
exhausted=$(echo "$pools" | grep -o '"exhaustions":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }')
awk -v s="${total[100]}" -v l="${total[100000]}" -v x="$exhausted" 'BEGIN {
  printf "    cost per session, pool of 100,000 vs 100: %+.1f%% (target: grows no more than 15%%); exhaustions: %d\n", (s / l - 1) * 100, x }'

