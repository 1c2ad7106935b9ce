#!/usr/bin/env bash
# Builds the self-contained GPU bundle into build/gpu-bundle/ (git-ignored), for a GPU machine that has no JDK:
#   native/native.tar.xz               libqr.so (the kernels for sm_90, static cudart), qr_smoke (the native smoke test)
#                                      and qr_prof (one all-reduce in a profiler range, for Nsight Compute range replay),
#                                      xz-compressed; `run` unpacks them into native/ on first use
#   jre/                               a jlink'd Temurin 25 runtime with the modules the jars need
#   native/mutants.tar.xz              the mutant libraries of kernels/build/mutants/ (kernels/build.sh --mutant all),
#                                      stripped and compressed; unpacked on first use by `run mutation`
#   lib/*.jar                          spec, reference-cpu, hip-backend, property-tests, cli and their runtime dependencies
#   run                                the one entry point: run [matrix|leak|smoke|qr|mutation|ipc-peer|<main class>] ARGS...
# Options: --skip-native (reuse kernels/build/cuda/libqr.so), --skip-maven (reuse the installed jars).
# Fails if the bundle exceeds 64 MiB or would carry ND4J.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/gpu-bundle"
skip_native=0
skip_maven=0
for a in "$@"; do
  case "$a" in
    --skip-native) skip_native=1 ;;
    --skip-maven) skip_maven=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bundle.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
jdk=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jlink" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
  jdk=$JAVA_HOME
else
  for d in /usr/lib/jvm/*; do
    if [ -x "$d/bin/jlink" ] && [ "$(java_major "$d")" -ge 25 ] 2>/dev/null; then jdk=$d; fi
  done
fi
[ -n "$jdk" ] || { echo "bundle.sh: no JDK 25+ with jlink (JAVA_HOME or /usr/lib/jvm/*)" >&2; exit 1; }
export JAVA_HOME=$jdk
echo "bundle.sh: JDK $jdk"

if [ $skip_native = 0 ]; then
  "$root/kernels/build.sh" --cuda-only
fi
lib="$root/kernels/build/cuda/libqr.so"
[ -f "$lib" ] || { echo "bundle.sh: $lib is missing (kernels/build.sh needs nvcc)" >&2; exit 1; }

if [ $skip_maven = 0 ]; then
  (cd "$root" && ./mvnw -B -q -pl cli -am install -DskipTests)
fi

rm -rf "$out"
mkdir -p "$out/lib" "$out/native"
(cd "$root" && ./mvnw -B -q -pl cli dependency:copy-dependencies -DincludeScope=runtime \
  -DexcludeGroupIds=org.nd4j,org.bytedeco -DoutputDirectory="$out/lib")
cp "$root"/cli/target/qr-cli.jar "$out/lib/"
if ls "$out/lib" | grep -qiE 'nd4j|bytedeco'; then
  echo "bundle.sh: ND4J jars would be bundled: $(ls "$out/lib")" >&2; exit 1
fi
# The library and the native tools travel xz-compressed (the device code compresses about 8:1; the device tool's
# working tree is limited to 64 MiB); `run` unpacks them on first use.
stage=$(mktemp -d)
cp "$lib" "$stage/libqr.so"
[ -f "$root/kernels/build/cuda/qr_smoke" ] && cp "$root/kernels/build/cuda/qr_smoke" "$stage/"
[ -f "$root/kernels/build/cuda/qr_prof" ] && cp "$root/kernels/build/cuda/qr_prof" "$stage/"
tar -C "$stage" -cf - . | xz -9 -T2 > "$out/native/native.tar.xz"
rm -rf "$stage"
# Mutants: symbols stripped (the exported C ABI stays in .dynsym), xz-compressed: 11 libraries fit the 64 MiB limit.
if ls "$root"/kernels/build/mutants/*/libqr-*.so >/dev/null 2>&1; then
  stage=$(mktemp -d)
  for m in "$root"/kernels/build/mutants/*/libqr-*.so; do
    strip --strip-unneeded -o "$stage/$(basename "$m")" "$m"
  done
  cp "$root/kernels/src/mutants.h" "$stage/"
  tar -C "$stage" -cf - . | xz -9 -T2 > "$out/native/mutants.tar.xz"
  rm -rf "$stage"
  echo "bundle.sh: $(ls "$root"/kernels/build/mutants/*/libqr-*.so | wc -l) mutant libraries -> native/mutants.tar.xz"
fi

cp "$root/hip-backend/src/main/python/nccl_baseline.py" "$out/"

modules=$("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$out"/lib/*.jar 2>/dev/null || true)
modules=${modules:-java.base}
# jackson-databind names java.desktop (java.beans) and java.sql for optional integrations the project never uses; they
# would add about 20 MiB to the runtime. JSON writing and reading were checked on a java.base + jdk.unsupported runtime.
modules=$(tr ',' '\n' <<<"$modules" | { grep -vxE 'java\.desktop|java\.sql' || true; } | paste -sd, -)
modules=${modules:-java.base}
# jdk.incubator.vector: the CPU model's fast path (loaded with --add-modules by the launcher)
"$jdk/bin/jlink" --add-modules "$modules,jdk.unsupported,jdk.incubator.vector" --strip-debug --no-man-pages --no-header-files \
  --strip-native-debug-symbols=exclude-debuginfo-files \
  --compress=zip-9 --output "$out/jre"
# libjvm.so keeps its symbol table after jlink (about 5 MiB); the dynamic symbols the JVM needs stay.
if command -v strip >/dev/null; then
  strip --strip-unneeded "$out/jre/lib/server/libjvm.so"
fi

cat > "$out/run" <<'LAUNCHER'
#!/usr/bin/env bash
# Entry point of the GPU bundle:
#   ./run matrix REPORT_DIR [options]   alias of: ./run qr conformance --backend gpu --report REPORT_DIR [options]
#   ./run leak [cycles]                 the leak check (dev.qrref.hip.LeakCheck)
#   ./run smoke [max_n]                 the native smoke test (no Java)
#   ./run qr COMMAND ARGS               the qr command line (bench, capture-primitives, conformance, ...)
#   ./run mutation OUT_DIR [options]    the mutation check (dev.qrref.conformance.mutation.MutationMain)
#   ./run cpu-scaling [options]         thread scaling of the CPU model's all-reduce (dev.qrref.cpu.bench.CpuScaling)
#   ./run unpack                        only unpack native/native.tar.xz (libqr.so, qr_smoke, qr_prof)
#   ./run <main class> ARGS             any main class on the bundle's class path
# QR_LIB=path runs against another libqr (e.g. a baseline build) instead of native/libqr.so.
here=$(cd "$(dirname "$0")" && pwd)
# unpacks an .tar.xz of the bundle into DIR (tar needs the xz program for .xz; Python's tarfile reads it without one);
# through a staging folder, so that an interrupted unpack is redone next time
unpack() {  # archive dir
  rm -rf "$2.partial" && mkdir -p "$2.partial" "$2"
  if command -v xz >/dev/null; then
    tar -xJf "$1" -C "$2.partial"
  else
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2.partial"
  fi || { rm -rf "$2.partial"; echo "run: cannot unpack $1" >&2; exit 1; }
  mv "$2.partial"/* "$2/" && rmdir "$2.partial"
}
[ -f "$here/native/libqr.so" ] || unpack "$here/native/native.tar.xz" "$here/native"
what=${1:-matrix}
[ $# -gt 0 ] && shift
lib=${QR_LIB:-$here/native/libqr.so}
case "$what" in
  matrix)
    [ $# -gt 0 ] || { echo "usage: run matrix REPORT_DIR [qr conformance options]" >&2; exit 2; }
    report=$1; shift
    main=dev.qrref.cli.Qr
    set -- conformance --backend gpu --report "$report" "$@" ;;
  leak) main=dev.qrref.hip.LeakCheck ;;
  ipc-peer) main=dev.qrref.conformance.gpu.IpcPeerMain ;;
  qr) main=dev.qrref.cli.Qr ;;
  mutation)
    main=dev.qrref.conformance.mutation.MutationMain
    [ -f "$here/native/mutants/mutants.h" ] || unpack "$here/native/mutants.tar.xz" "$here/native/mutants"
    [ $# -gt 0 ] || { echo "usage: run mutation OUT_DIR [--cap-seconds S] [--only a,b]" >&2; exit 2; }
    out_dir=$1; shift
    set -- "$out_dir" --control "$lib" --mutants "$here/native/mutants" "$@" ;;
  cpu-scaling) main=dev.qrref.cpu.bench.CpuScaling ;;
  unpack) exit 0 ;;
  smoke) exec "$here/native/qr_smoke" "$@" ;;
  *) main=$what ;;
esac
exec "$here/jre/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xss4m ${QR_JAVA_OPTS:-} \
  -Dqr.native.lib="$lib" -cp "$here/lib/*" "$main" "$@"
LAUNCHER
chmod +x "$out/run"

size=$(du -sb "$out" | cut -f1)
echo "bundle.sh: $out ($((size / 1048576)) MiB; modules $modules,jdk.unsupported,jdk.incubator.vector)"
if [ "$size" -gt $((64 * 1048576)) ]; then
  echo "bundle.sh: the bundle exceeds 64 MiB" >&2; exit 1
fi
