#!/usr/bin/env bash
# Runs the whole benchmark of docs/benchmarks.md and writes every result into one folder.
#
# Usage: tools/bench/run.sh [RESULTS_FOLDER]      (default target/bench/results-DATE)
#
# Steps: record the machine; build the jar if missing; write the synthetic ViT-B/32 checkpoint
# if missing; count its FLOPs; measure matrix-multiply GFLOP/s in PyTorch and in the service's
# libtorch; start the service on a free loopback port for each configuration (demo, ViT-B/32
# with batching, ViT-B/32 without), load it with tools/loadgen/LoadGen.java at each concurrency
# while sampling its RSS, stop it; then time tools/python_baseline.py on the same checkpoint and
# images; last, tools/bench/summarize.py writes summary.md from the JSON files.
#
# Every limit below can be set from the environment. Traffic goes to 127.0.0.1 only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

RESULTS="${1:-target/bench/results-$(date +%Y%m%d-%H%M%S)}"
CHECKPOINT="${BENCH_CHECKPOINT:-target/bench/vit-b-32}"
CONCURRENCIES="${BENCH_CONCURRENCIES:-1 4 16 64}"
DEMO_REQUESTS="${BENCH_DEMO_REQUESTS:-200}"
DEMO_WARMUP="${BENCH_DEMO_WARMUP:-20}"
VIT_REQUESTS="${BENCH_VIT_REQUESTS:-64}"
VIT_WARMUP="${BENCH_VIT_WARMUP:-8}"
MAX_SECONDS="${BENCH_MAX_SECONDS:-60}"
PYTHON_REQUESTS="${BENCH_PYTHON_REQUESTS:-64}"
# Wait for a quiet machine: a 1-minute load average at most LOAD_LIMIT before a service starts, and
# other processes using at most OTHERS_LIMIT cores before each measured point.
LOAD_LIMIT="${BENCH_LOAD_LIMIT:-0.5}"
OTHERS_LIMIT="${BENCH_OTHERS_LIMIT:-0.25}"
QUIET_TRIES="${BENCH_QUIET_TRIES:-4}"
QUIET_WAIT_SECONDS="${BENCH_QUIET_WAIT_SECONDS:-15}"
# The service is stopped if its RSS passes this limit.
RSS_LIMIT_MIB="${BENCH_RSS_LIMIT_MIB:-10240}"
IMAGE_DIR=src/test/resources/images
IMAGES="$IMAGE_DIR/portrait.jpg,$IMAGE_DIR/landscape.jpg,$IMAGE_DIR/astronaut.png,$IMAGE_DIR/large.jpg"
PYTHON=/usr/bin/python3

mkdir -p "$RESULTS"
LOG="$RESULTS/run.log"
SERVICE_PID=""
SAMPLER_PID=""

# Logs to stderr and the run log, so that functions can print their results on stdout.
log() {
    echo "[$(date +%H:%M:%S)] $*" | tee -a "$LOG" >&2
}

stop_service() {
    if [[ -n "$SAMPLER_PID" ]]; then
        kill "$SAMPLER_PID" 2>/dev/null || true
        wait "$SAMPLER_PID" 2>/dev/null || true
        SAMPLER_PID=""
    fi
    if [[ -n "$SERVICE_PID" ]]; then
        kill "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
        SERVICE_PID=""
    fi
}
trap stop_service EXIT

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

load_average() {
    cut -d' ' -f1 /proc/loadavg
}

# Prints the cores used by every process except the service over 3 seconds, from /proc/stat and
# the service's own /proc/PID/stat, so that the service's just-finished run does not count.
others_cores() {
    local pid="${1:-}"
    "$PYTHON" - "$pid" <<'EOF'
import os, sys, time
pid = sys.argv[1]
ticks = os.sysconf("SC_CLK_TCK")
def busy():
    fields = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait
def own():
    if not pid:
        return 0
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime
b0, o0, t0 = busy(), own(), time.time()
time.sleep(3)
b1, o1, t1 = busy(), own(), time.time()
print(f"{max(0, (b1 - b0) - (o1 - o0)) / ticks / (t1 - t0):.2f}")
EOF
}

# Waits until the 1-minute load average is at most LOAD_LIMIT, or QUIET_TRIES attempts have passed.
wait_for_low_load() {
    local load
    for ((try = 1; try <= QUIET_TRIES; try++)); do
        load="$(load_average)"
        if awk -v l="$load" -v m="$LOAD_LIMIT" 'BEGIN { exit !(l <= m) }'; then
            log "load average $load (limit $LOAD_LIMIT): $(uptime)"
            return
        fi
        log "load average $load is above $LOAD_LIMIT, waiting ${QUIET_WAIT_SECONDS}s (try $try of $QUIET_TRIES)"
        sleep "$QUIET_WAIT_SECONDS"
    done
    log "measuring under load average $(load_average): $(uptime)"
}

# Waits until processes other than the service use at most OTHERS_LIMIT cores; prints the last measure.
wait_for_quiet_others() {
    local others
    for ((try = 1; try <= QUIET_TRIES; try++)); do
        others="$(others_cores "$SERVICE_PID")"
        if awk -v o="$others" -v m="$OTHERS_LIMIT" 'BEGIN { exit !(o <= m) }'; then
            break
        fi
        log "other processes use $others cores, above $OTHERS_LIMIT; waiting ${QUIET_WAIT_SECONDS}s (try $try of $QUIET_TRIES)"
        sleep "$QUIET_WAIT_SECONDS"
    done
    echo "$others"
}

rss_kib() {
    ps -o rss= -p "$SERVICE_PID" | tr -d ' '
}

record_machine() {
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "commit: $(git rev-parse HEAD)"
        echo "cores: $(nproc)"
        echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
        echo "cpu flags (vector): $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|fma)$' | tr '\n' ' ')"
        echo "memory: $(free -g | awk '/^Mem:/ { print $2 " GiB" }')"
        echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
        echo "java: $(java -version 2>&1 | head -1)"
        echo "python: $("$PYTHON" -c 'import sys, torch, torchvision, PIL; print(sys.version.split()[0], "torch", torch.__version__, "torchvision", torchvision.__version__, "Pillow", PIL.__version__)')"
        echo "uptime: $(uptime)"
    } > "$RESULTS/machine.txt"
    cat "$RESULTS/machine.txt" | tee -a "$LOG"
}

prepare() {
    JAR="$(ls target/clip-age-predictor-*.jar 2>/dev/null | grep -v original | head -1 || true)"
    if [[ -z "$JAR" ]]; then
        log "building the jar"
        ./mvnw -q -B package -DskipTests
        JAR="$(ls target/clip-age-predictor-*.jar | grep -v original | head -1)"
    fi
    log "jar: $JAR"

    # The helper programs run on the jar's own classes and libraries.
    CLASSES="target/bench/jar"
    rm -rf "$CLASSES"
    mkdir -p "$CLASSES"
    (cd "$CLASSES" && unzip -q "$ROOT/$JAR")
    CLASSPATH_JAR="$CLASSES/BOOT-INF/classes:$CLASSES/BOOT-INF/lib/*"

    if [[ ! -f "$CHECKPOINT/model.safetensors" ]]; then
        log "writing the synthetic ViT-B/32 checkpoint to $CHECKPOINT"
        java -jar "$JAR" synthetic-checkpoint vit-b-32 "$CHECKPOINT" 1
    fi
    java -cp "$CLASSPATH_JAR" tools/bench/EncodePrompts.java "$CHECKPOINT" "$RESULTS/input-ids.json" 2>/dev/null
    "$PYTHON" tools/bench/flops.py "$CHECKPOINT" --json "$RESULTS/flops.json" | tee -a "$LOG"
}

measure_matmul() {
    wait_for_low_load
    for threads in 1 2; do
        "$PYTHON" tools/bench/matmul.py --threads "$threads" --json "$RESULTS/matmul-torch-$threads.json" | tee -a "$LOG"
        java -Dai.djl.offline=true -cp "$CLASSPATH_JAR" tools/bench/MatmulBench.java 2048 20 "$threads" 2>/dev/null \
            | tee -a "$LOG" | tee "$RESULTS/matmul-djl-$threads.txt"
    done
}

# Starts the service with the given arguments and waits until readiness is UP.
start_service() {
    local name="$1"
    shift
    PORT="$(free_port)"
    log "starting $name on 127.0.0.1:$PORT: $*"
    java -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" "$@" > "$RESULTS/$name-service.log" 2>&1 &
    SERVICE_PID=$!
    local started=$SECONDS
    until curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" > /dev/null; do
        if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
            log "the service stopped during start-up; see $RESULTS/$name-service.log"
            exit 1
        fi
        if (( SECONDS - started > 300 )); then
            log "the service was not ready after 300 s; see $RESULTS/$name-service.log"
            exit 1
        fi
        sleep 1
    done
    log "$name ready after $((SECONDS - started)) s"
}

# Samples the service's RSS every half second into a file, and stops the service if its RSS passes
# RSS_LIMIT_MIB, so that a memory leak in the service cannot exhaust a shared machine.
sample_rss() {
    local file="$1" rss
    while true; do
        rss="$(rss_kib)" || return 0
        echo "$rss" >> "$file"
        if (( rss > RSS_LIMIT_MIB * 1024 )); then
            log "RSS $rss KiB is above $RSS_LIMIT_MIB MiB: stopping the service"
            kill "$SERVICE_PID"
            return 0
        fi
        sleep 0.5
    done
}

# Saves the service's samples of every image, to compare its ages with the Python reference.
save_samples() {
    local name="$1" image
    for image in ${IMAGES//,/ }; do
        curl -s -F "image=@$image" "http://127.0.0.1:$PORT/api/v1/age?top=1" > "$RESULTS/$name-sample-$(basename "$image").json"
    done
}

# Saves the batch-size and inference-time counters from the service's own metrics.
scrape_batches() {
    curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | grep -E '^age_(batch_size|inference_duration_seconds)_(count|sum)' \
        > "$RESULTS/$1-batches.txt" || true
}

# Measures one concurrency on a freshly started service: RSS at rest, the load generator's run with
# its RSS samples, RSS right after the run, and the batches formed. A fresh service per point makes
# the points independent, because each one starts from the same JIT, heap and native allocator state.
run_point() {
    local name="$1" concurrency="$2" requests="$3" warmup="$4"
    shift 4
    local point="$name-c$concurrency" others
    start_service "$point" "$@"
    sleep 5
    rss_kib > "$RESULTS/$point-rss-rest.txt"
    if [[ "$concurrency" == "$(echo $CONCURRENCIES | cut -d' ' -f1)" ]]; then
        save_samples "$name"
    fi

    others="$(wait_for_quiet_others)"
    echo "{\"loadAverage\": $(load_average), \"otherCores\": $others}" > "$RESULTS/$point-load.json"
    log "$point, $requests requests: load average $(load_average), other processes $others cores"
    sample_rss "$RESULTS/$point-rss-samples.txt" &
    SAMPLER_PID=$!
    java tools/loadgen/LoadGen.java --url "http://127.0.0.1:$PORT/api/v1/age" --image "$IMAGES" \
        --concurrency "$concurrency" --requests "$requests" --max-seconds "$MAX_SECONDS" --warmup "$warmup" \
        --json "$RESULTS/$point.json" | tee -a "$LOG" || log "$point: the load generator failed"
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
    rss_kib > "$RESULTS/$point-rss-after.txt" || true

    sort -n "$RESULTS/$point-rss-samples.txt" | tail -1 > "$RESULTS/$point-rss-peak.txt"
    log "$point RSS at rest $(cat "$RESULTS/$point-rss-rest.txt") KiB, peak under load $(cat "$RESULTS/$point-rss-peak.txt") KiB," \
        "after the run $(cat "$RESULTS/$point-rss-after.txt") KiB"
    scrape_batches "$point"
    stop_service
}

run_service() {
    local name="$1" requests="$2" warmup="$3" concurrency
    shift 3
    # The load average includes this script's own previous runs, so it is checked once per
    # configuration; before each point, wait_for_quiet_others counts only the other processes.
    wait_for_low_load
    for concurrency in $CONCURRENCIES; do
        # At least one request per worker, so that every worker sends one.
        run_point "$name" "$concurrency" $(( requests > concurrency ? requests : concurrency )) "$warmup" "$@"
    done
}

run_python() {
    local threads
    for threads in 2 1; do
        wait_for_low_load
        "$PYTHON" tools/python_baseline.py --checkpoint "$CHECKPOINT" --input-ids "$RESULTS/input-ids.json" \
            --image "$IMAGES" --requests "$PYTHON_REQUESTS" --max-seconds "$MAX_SECONDS" --warmup 4 \
            --threads "$threads" --json "$RESULTS/python-t$threads.json" | tee -a "$LOG"
    done
}

record_machine
prepare
measure_matmul
run_service demo "$DEMO_REQUESTS" "$DEMO_WARMUP" --age.model.id=demo
run_service vit-b-32-batching "$VIT_REQUESTS" "$VIT_WARMUP" --age.model.path="$CHECKPOINT"
run_service vit-b-32-no-batching "$VIT_REQUESTS" "$VIT_WARMUP" --age.model.path="$CHECKPOINT" \
    --age.serving.batching.enabled=false
run_python
"$PYTHON" tools/bench/summarize.py "$RESULTS" | tee "$RESULTS/summary.md"
log "done: $RESULTS"
