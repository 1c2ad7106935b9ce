#!/usr/bin/env bash
# One visit to the GPU machine: runs the named steps against the bundle (hip-backend/bundle.sh), each with a time limit,
# logs and reports under OUT_DIR, a one-line verdict per step in OUT_DIR/steps.txt, and everything packed into
# OUT_DIR/visit.tar.gz (the device tool returns at most 8 files).
#
#   gpu_visit.sh OUT_DIR STEP...
#
# Steps:
#   info        nvidia-smi and the driver
#   smoke       the native smoke test
#   matrix      qr conformance --backend gpu --level 2 --budget 300: every case check, the suite properties (error
#               contract, timeouts, variable sizes, per-rank, graph replay, soak, IPC, leak, compiled spec), with its report
#   conformance qr conformance --backend gpu --level 1 (the suite the mutation check runs, with its report)
#   capture     qr capture-primitives --backend gpu
#   bench       qr bench --backend gpu (the whole sweep)
#   bench-ab    the 16 Mi..256 Mi fp16 subset for every library in build/perf/ (QR_LIB), and the real one with
#               system-scope flags (QR_FLAG_SCOPE=sys)
#   ncu         Nsight Compute, range replay around one all-reduce (qr_prof): W=8 and W=2, INT4 and FP, fp16, 16 Mi
#   sass        instruction counts per kernel (cuobjdump)
#   mutation    the mutation check (every mutant library of the bundle)
#   conformance2-wW  qr conformance --backend gpu --level 2 for world size W (2, 4 or 8), with its report
#   python      the qrref package on the GPU (python/tests/gpu/run_on_device.sh): a cuda-profile vector set written
#               here by qr vectors, every case through libqr, the binding's GPU tests and a planted corruption
#   launch      qr launch --backend gpu --nproc 2, 4 and 8: one OS process per rank on the one GPU, real IPC handles
#   nccl        the NCCL baseline script (nccl_baseline.py) on the GPUs present
#   cpu-scaling the CPU model's all-reduce (W=8 INT4, 32 Mi per rank) on 1, 2, 4, 8 and 16 threads of the machine's
#               cores, every count checked for the same bits (dev.qrref.cpu.bench.CpuScaling), with its report
# Step limits in seconds from the environment: BENCH_LIMIT, MATRIX_LIMIT (and MATRIX_BUDGET), CONF_LIMIT (CONF_BUDGET),
# CONF2_LIMIT (CONF2_BUDGET), PYTHON_LIMIT, SCALING_LIMIT, MUTATION_LIMIT (MUTANT_CAP per library); TAIL: log lines echoed per step.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
b=$root/build/gpu-bundle
out=$1
shift
mkdir -p "$out/logs"
: > "$out/steps.txt"
# the library and the native tools travel compressed: unpack them before any step names them
"$b/run" unpack || exit 1

step() {
  local name=$1 limit=$2
  shift 2
  local t0
  t0=$(date +%s)
  echo "== $name (limit $limit s)"
  timeout -k 10 "$limit" "$@" > "$out/logs/$name.log" 2>&1
  local rc=$?
  echo "$name rc=$rc $(( $(date +%s) - t0 )) s" | tee -a "$out/steps.txt"
  tail -n "${TAIL:-12}" "$out/logs/$name.log"
  pack
}

# Packed after every step, so that a visit cut short by the device tool's limit still returns what it finished.
pack() {
  tar -C "$out" -czf "$out/visit.tar.gz.part" --exclude='visit.tar.gz*' --exclude='*.ncu-rep' . 2>/dev/null &&
    mv -f "$out/visit.tar.gz.part" "$out/visit.tar.gz"
}

ncu_range() {  # name W QUANT
  local bin
  bin=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
  "$bin" --replay-mode app-range --section SpeedOfLight --section Occupancy --section LaunchStats \
    --section SchedulerStats --section WarpStateStats --section MemoryWorkloadAnalysis --section InstructionStats \
    --section ComputeWorkloadAnalysis -o "$out/ncu-$1" -f "$b/native/qr_prof" "$2" "$3" 0 0 16777216 1 &&
    "$bin" -i "$out/ncu-$1.ncu-rep" --page details --print-units base > "$out/ncu-$1.txt"
}

bench_ab() {
  local lib
  for lib in "$root"/build/perf/libqr-*.so; do
    [ -f "$lib" ] || continue
    echo "### $(basename "$lib")"
    QR_LIB=$lib "$b/run" qr bench --sizes 16Mi,64Mi,256Mi --paths fp16 --iters 30 --warmup 5 --out "$out/ab-$(basename "$lib" .so)"
  done
  echo "### real library, QR_FLAG_SCOPE=sys"
  QR_FLAG_SCOPE=sys "$b/run" qr bench --sizes 16Mi,64Mi,256Mi --paths fp16 --iters 30 --warmup 5 --out "$out/ab-sys-scope"
}

sass_counts() {
  cuobjdump -sass "$b/native/libqr.so" > "$out/sass.txt" &&
    awk '/Function :/ {f=$3} /^ +\/\*[0-9a-f]+\*\// {n[f]++} END {for (k in n) print n[k], k}' "$out/sass.txt" | sort -k2 \
      > "$out/sass-counts.txt" && gzip -f "$out/sass.txt"
}

# timeout runs programs, not shell functions: the functions and their variables go to a child bash
export -f ncu_range bench_ab sass_counts
export b out root

for s in "$@"; do
  case "$s" in
    info) step info 30 bash -c 'nvidia-smi; nvidia-smi -q | grep -iE "driver|cuda|clocks|product|persistence" | head -30' ;;
    smoke) step smoke 120 "$b/run" smoke ;;
    matrix) step matrix "${MATRIX_LIMIT:-330}" "$b/run" matrix "$out/matrix" --level 2 --budget "${MATRIX_BUDGET:-240}" ;;
    conformance) step conformance "${CONF_LIMIT:-240}" "$b/run" qr conformance --backend gpu --level 1 \
        ${CONF_BUDGET:+--budget "$CONF_BUDGET"} --report "$out/conformance" ;;
    capture) step capture 120 "$b/run" qr capture-primitives --backend gpu --out "$out/capture" ;;
    bench) step bench "${BENCH_LIMIT:-300}" "$b/run" qr bench --backend gpu --out "$out/bench" ;;
    bench-ab) step bench-ab 240 bash -c bench_ab ;;
    ncu) step ncu-w8-int4 120 bash -c 'ncu_range w8-int4 8 3'
         step ncu-w2-int4 90 bash -c 'ncu_range w2-int4 2 3'
         step ncu-w8-fp 90 bash -c 'ncu_range w8-fp 8 0' ;;
    sass) step sass 60 bash -c sass_counts ;;
    conformance2-w2|conformance2-w4|conformance2-w8)
      w=${s##*-w}
      step "$s" "${CONF2_LIMIT:-560}" "$b/run" qr conformance --backend gpu --level 2 --world-sizes "$w" \
        ${CONF2_BUDGET:+--budget "$CONF2_BUDGET"} --report "$out/conformance-l2-w$w" ;;
    python) step python "${PYTHON_LIMIT:-300}" bash -c '"$b/run" qr vectors --out /tmp/qr-gpu-vectors --profile cuda &&
        bash "$root/python/tests/gpu/run_on_device.sh" /tmp/qr-gpu-vectors "$b/native/libqr.so" "$out/qrref"' ;;
    launch) step launch 300 bash -c 'for w in 2 4 8; do "$b/run" qr launch --backend gpu --nproc $w --codec int4 \
        --random 16777216 --calls 5 || exit 1; "$b/run" qr launch --backend gpu --nproc $w --codec fp --dtype bf16 \
        --cast-bf16-to-fp16 --random 1048600 --calls 3 || exit 1; done' ;;
    nccl) step nccl 240 bash -c 'python3 "$b/nccl_baseline.py" --nproc "$(nvidia-smi -L | wc -l)" --csv "$out/nccl.csv"' ;;
    cpu-scaling) step cpu-scaling "${SCALING_LIMIT:-180}" "$b/run" cpu-scaling --threads 1,2,4,8,16 --out "$out/cpu-scaling" ;;
    mutation) step mutation "${MUTATION_LIMIT:-420}" "$b/run" mutation "$out/mutation" --cap-seconds "${MUTANT_CAP:-150}" ;;
    *) echo "unknown step $s" | tee -a "$out/steps.txt" ;;
  esac
done
pack
echo "== steps"
cat "$out/steps.txt"
