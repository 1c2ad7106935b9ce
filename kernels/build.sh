#!/usr/bin/env bash
# Builds the kernels.
#   NVIDIA: libqr.so (+ qr_smoke) for sm_90 into kernels/build/cuda/, when nvcc is found.
#   AMD:    a compile check of the same sources for gfx90a + gfx940 into kernels/build/amd/, when hipcc is found, and
#           for gfx942 (MI300X) with clang-19, when found. Each AMD target's device code objects and their disassembly
#           (with source lines) go to kernels/build/amd-isa/<target>/ for the ISA check (./qr isa-check).
#   ROCm:   with --rocm, libqr.so linked against ROCm's libamdhip64 into kernels/build/rocm/ (kernels/isa/README.md).
# Options:
#   --ci             the CI compile check: every build whose compiler is present (NVIDIA library + smoke test, AMD
#                    objects), failing on any compile error and saying which builds were skipped
#   --require-both   fail unless both builds ran
#   --require-gfx942 fail unless the gfx942 build ran
#   --rocm           build the ROCm library (needs hipcc and libamdhip64; targets from QR_ROCM_ARCHS, default gfx942)
#   --amd-cflags F   extra compiler flags for the AMD builds (the ISA check's planted variants use it)
#   --amd-sources L  space-separated source names (e.g. "kernels_int4.cu") for the AMD builds instead of all of src/
#   --amd-out DIR    where the AMD code objects go instead of kernels/build/amd-isa
#   --gfx942-only    only the clang-19 AMD build (no NVIDIA, no hipcc)
#   --cuda-only / --amd-only
#   --mutant NAME    (NVIDIA) build libqr-NAME.so, the real library with the one defect NAME of src/mutants.h, into
#                    kernels/build/mutants/NAME/; --mutant all builds every mutant of the list, one after the other
#   -j N             parallel jobs (default: number of CPUs)
# Environment: NVCC (default: nvcc on PATH, then /usr/local/cuda/bin/nvcc), HIPCC (default: hipcc on PATH),
#   QR_CUDA_ARCH (CMAKE_CUDA_ARCHITECTURES, default 90-real: H100/H200 machine code), QR_CLANG_GFX942 (default
#   clang++-19), QR_LLVM_BIN (the LLVM tools' folder for objdump/objcopy, default /usr/lib/llvm-19/bin).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
require_both=0
require_gfx942=0
do_rocm=0
amd_cflags=""
amd_sources=""
amd_isa_out=""
no_hipcc=0
do_cuda=1
do_amd=1
jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case "$1" in
    --ci) ;;
    --require-both) require_both=1 ;;
    --require-gfx942) require_gfx942=1 ;;
    --rocm) do_rocm=1; do_cuda=0; do_amd=0 ;;
    --amd-cflags) shift; amd_cflags=$1 ;;
    --amd-sources) shift; amd_sources=$1 ;;
    --amd-out) shift; amd_isa_out=$1 ;;
    --gfx942-only) do_cuda=0; no_hipcc=1 ;;
    --cuda-only) do_amd=0 ;;
    --amd-only) do_cuda=0 ;;
    -j) shift; jobs=$1 ;;
    --mutant) shift; mutant=$1; do_amd=0 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

nvcc_bin=${NVCC:-$(command -v nvcc || true)}
[ -z "$nvcc_bin" ] && [ -x /usr/local/cuda/bin/nvcc ] && nvcc_bin=/usr/local/cuda/bin/nvcc
hipcc_bin=${HIPCC:-$(command -v hipcc || true)}
# Set explicitly: a build folder configured before keeps whatever architecture its cache holds.
cuda_arch=${QR_CUDA_ARCH:-90-real}
built_cuda=0
built_amd=0

if [ -n "${mutant:-}" ]; then
  [ -n "$nvcc_bin" ] || { echo "build.sh: --mutant needs nvcc" >&2; exit 1; }
  names=$mutant
  if [ "$mutant" = all ]; then
    names=$(sed -n 's/^ *X(\([a-z0-9_]*\),.*/\1/p' "$here/src/mutants.h")
  fi
  for m in $names; do
    start=$(date +%s)
    cmake -S "$here" -B "$here/build/mutants/$m" -DCMAKE_CUDA_COMPILER="$nvcc_bin" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CUDA_ARCHITECTURES="$cuda_arch" \
      -DQR_MUTANT="$m" >/dev/null
    cmake --build "$here/build/mutants/$m" -j "$jobs" --target qr
    echo "build.sh: mutant $m -> $here/build/mutants/$m/libqr-$m.so ($(( $(date +%s) - start )) s)"
  done
  exit 0
fi

if [ $do_cuda = 1 ]; then
  if [ -n "$nvcc_bin" ]; then
    start=$(date +%s)
    cmake -S "$here" -B "$here/build/cuda" -DCMAKE_CUDA_COMPILER="$nvcc_bin" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CUDA_ARCHITECTURES="$cuda_arch" >/dev/null
    cmake --build "$here/build/cuda" -j "$jobs"
    echo "build.sh: NVIDIA sm_90 -> $here/build/cuda/libqr.so ($(( $(date +%s) - start )) s)"
    built_cuda=1
  else
    echo "build.sh: nvcc not found: skipping the NVIDIA build" >&2
  fi
fi

# ---- AMD ----------------------------------------------------------------------------------------------------------
llvm_bin=${QR_LLVM_BIN:-/usr/lib/llvm-19/bin}
clang_gfx942=${QR_CLANG_GFX942:-$(command -v clang++-19 || true)}
bundler=$(command -v clang-offload-bundler-15 || command -v clang-offload-bundler || true)
amd_isa=${amd_isa_out:-$here/build/amd-isa}
built_gfx942=0
# The sources an AMD build compiles: the hand-written ones and the per-codec kernel units amd_generated wrote into
# $1 (or, with --amd-sources, just the named ones, looked for in src/ and then in $1).
amd_srcs=()
amd_sources_in() {  # generated-dir
  amd_srcs=()
  if [ -n "$amd_sources" ]; then
    for n in $amd_sources; do
      if [ -f "$here/src/$n" ]; then amd_srcs+=("$here/src/$n"); else amd_srcs+=("$1/$n"); fi
    done
  else
    amd_srcs=("$here"/src/*.cu "$1"/kernels_*.cu)
  fi
}

# The spec-constant table and one translation unit per codec row of qr_spec.h's QR_LIST_CODECS, as CMake generates
# them for the NVIDIA build.
amd_generated() {
  mkdir -p "$1"
  {
    echo "// Generated by kernels/build.sh from qr_spec.h. Do not edit."
    sed -n 's/^QR_SPEC_CONST [a-z0-9_]* QR_\([A-Z0-9_]*\) = .*/{"\1", (uint64_t)qr_spec::QR_\1},/p' "$here/include/qr_spec.h"
  } > "$1/qr_spec_table.inc"
  sed -n '/^#define QR_LIST_CODECS(X)/,/^#define QR_CODEC_COUNT/p' "$here/include/qr_spec.h" |
    sed -n 's/^    X(\([A-Z0-9_]*\), [0-9]*, "[a-z0-9]*", \([A-Za-z0-9]*\),.*/\1 \2/p' |
    while read -r name kernel; do
      sed -e "s/@NAME@/$name/g" -e "s/@KERNEL@/$kernel/g" "$here/src/kernels_codec.cu.in" \
        > "$1/kernels_$(echo "$name" | tr 'A-Z' 'a-z').cu"
    done
}

# Disassembly of one device code object with source lines and demangled names: what the ISA check reads.
amd_disassemble() {  # code-object target
  "$llvm_bin/llvm-objdump" -d -l -C --no-show-raw-insn --mcpu="$2" "$1" > "${1%.co}.s"
}

# Runs "$@" as a background job, at most $jobs at once; amd_wait collects them and fails if any failed.
pids=()
amd_job() {
  "$@" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
}
amd_wait() {
  for p in "${pids[@]}"; do wait "$p"; done
  pids=()
}

# gfx90a + gfx940 with Debian's hipcc (HIP 5.2, clang 15): host and device code, as a ROCm build compiles them. The
# device code objects are then taken out of each object's offload bundle for the ISA check.
hipcc_one() {  # source
  local src=$1 name obj
  name=$(basename "${src%.cu}")
  obj="$out/$name.o"
  "$hipcc_bin" -x hip --offload-arch=gfx90a --offload-arch=gfx940 -std=c++17 -O3 -fPIC -ffp-contract=off \
    -gline-tables-only $amd_cflags -I"$here/include" -I"$here/src" -I"$out/generated" -c "$src" -o "$obj"
  [ -n "$bundler" ] && [ -x "$llvm_bin/llvm-objcopy" ] || return 0
  "$llvm_bin/llvm-objcopy" --dump-section .hip_fatbin="$out/$name.fatbin" "$obj" 2>/dev/null || return 0
  for arch in gfx90a gfx940; do
    mkdir -p "$amd_isa/$arch"
    "$bundler" --unbundle --type=o --input="$out/$name.fatbin" --targets="hipv4-amdgcn-amd-amdhsa--$arch" \
      --output="$amd_isa/$arch/$name.co"
    amd_disassemble "$amd_isa/$arch/$name.co" "$arch"
  done
}

# gfx942 with clang-19: device code only (-nogpulib: Debian's ROCm device libraries stop at gfx940, and the few
# functions the HIP headers take from them are stood in for by include/qr_amd_devlib.h). These code objects are for
# the ISA check and are never loaded; a ROCm machine builds the real library with --rocm.
clang_one() {  # source target
  local src=$1 arch=$2 name
  name=$(basename "${src%.cu}")
  "$clang_gfx942" -x hip --offload-arch="$arch" --offload-device-only --no-gpu-bundle-output -nogpulib \
    --rocm-path=/usr -DQR_AMD_NO_DEVICE_LIBS -std=c++17 -O3 -fPIC -ffp-contract=off -gline-tables-only \
    -Wno-pass-failed $amd_cflags -I"$here/include" -I"$here/src" -I"$out/generated" -c "$src" \
    -o "$amd_isa/$arch/$name.co"
  amd_disassemble "$amd_isa/$arch/$name.co" "$arch"
}

if [ $do_amd = 1 ]; then
  out="$here/build/amd"
  [ -n "$amd_isa_out" ] && out="$amd_isa_out/objects"
  amd_generated "$out/generated"
  amd_sources_in "$out/generated"
  if [ $no_hipcc = 1 ]; then
    :
  elif [ -n "$hipcc_bin" ]; then
    start=$(date +%s)
    # hipcc picks the NVIDIA platform when nvcc is on the PATH unless told otherwise.
    export HIP_PLATFORM=amd
    # a full build replaces the targets' code objects, so none of an earlier build's survive to be checked
    [ -n "$amd_sources" ] || rm -rf "$amd_isa/gfx90a" "$amd_isa/gfx940"
    for src in "${amd_srcs[@]}"; do amd_job hipcc_one "$src"; done
    amd_wait
    echo "build.sh: AMD gfx90a+gfx940 objects -> $out, code objects -> $amd_isa ($(( $(date +%s) - start )) s)"
    built_amd=1
  else
    echo "build.sh: hipcc not found: skipping the AMD compile check (apt-get install hipcc)" >&2
  fi
  if [ -n "$clang_gfx942" ] && [ -x "$llvm_bin/llvm-objdump" ]; then
    start=$(date +%s)
    archs=gfx942
    # gfx950 (MI355X) where the compiler knows it (LLVM 20 and later; Debian 12's newest is clang-19).
    if echo '__global__ void k() {}' | "$clang_gfx942" -x hip --offload-arch=gfx950 --offload-device-only -nogpulib \
        --rocm-path=/usr -fsyntax-only - >/dev/null 2>&1; then
      archs="gfx942 gfx950"
    else
      echo "build.sh: $(basename "$clang_gfx942") does not know gfx950: building gfx942 only" >&2
    fi
    for arch in $archs; do
      [ -n "$amd_sources" ] || rm -rf "${amd_isa:?}/$arch"
      mkdir -p "$amd_isa/$arch"
      for src in "${amd_srcs[@]}"; do amd_job clang_one "$src" "$arch"; done
    done
    amd_wait
    echo "build.sh: AMD $archs code objects ($(basename "$clang_gfx942")) -> $amd_isa ($(( $(date +%s) - start )) s)"
    built_gfx942=1
  else
    echo "build.sh: clang++-19 or $llvm_bin/llvm-objdump not found: skipping the gfx942 build (apt-get install clang-19 llvm-19 lld-19)" >&2
  fi
fi

# ---- ROCm library -------------------------------------------------------------------------------------------------
# libqr.so for AMD GPUs: the same sources as the NVIDIA library, compiled and linked by ROCm's hipcc against
# libamdhip64 (and ROCm's device libraries), for the targets in QR_ROCM_ARCHS.
if [ $do_rocm = 1 ]; then
  [ -n "$hipcc_bin" ] || { echo "build.sh: --rocm needs hipcc (ROCm's, e.g. HIPCC=/opt/rocm/bin/hipcc)" >&2; exit 1; }
  start=$(date +%s)
  out="$here/build/rocm"
  amd_generated "$out/generated"
  export HIP_PLATFORM=amd
  arch_flags=()
  for a in ${QR_ROCM_ARCHS:-gfx942}; do arch_flags+=(--offload-arch="$a"); done
  objs=()
  rocm_one() {
    "$hipcc_bin" -x hip "${arch_flags[@]}" -std=c++17 -O3 -fPIC -ffp-contract=off -fvisibility=hidden $amd_cflags \
      -I"$here/include" -I"$here/src" -I"$out/generated" -c "$1" -o "$out/$(basename "${1%.cu}").o"
  }
  amd_sources_in "$out/generated"
  for src in "${amd_srcs[@]}"; do
    amd_job rocm_one "$src"
    objs+=("$out/$(basename "${src%.cu}").o")
  done
  amd_wait
  "$hipcc_bin" -shared -fPIC "${arch_flags[@]}" "${objs[@]}" -o "$out/libqr.so" -lamdhip64 -Wl,--no-undefined
  echo "build.sh: ROCm ${QR_ROCM_ARCHS:-gfx942} -> $out/libqr.so ($(( $(date +%s) - start )) s)"
  exit 0
fi

if [ $require_gfx942 = 1 ] && [ $built_gfx942 = 0 ]; then
  echo "build.sh: --require-gfx942: the gfx942 build did not run" >&2
  exit 1
fi
if [ $require_both = 1 ] && { [ $built_cuda = 0 ] || [ $built_amd = 0 ]; }; then
  echo "build.sh: --require-both: NVIDIA built=$built_cuda, AMD built=$built_amd" >&2
  exit 1
fi
echo "build.sh: NVIDIA build $([ $built_cuda = 1 ] && echo ran || echo skipped), AMD compile check $([ $built_amd = 1 ] && echo ran || echo skipped), gfx942 build $([ $built_gfx942 = 1 ] && echo ran || echo skipped)"
