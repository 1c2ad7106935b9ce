#!/usr/bin/env bash
# The ISA check must fail on planted defects. Builds the INT4 and primitive-capture kernels for gfx942 (clang-19) three
# ways into OUT (default: target/isa-plants in the repository) and runs ./qr isa-check on each:
#   contract   -ffp-contract=fast (HIP's own default): a multiply and the add after it fuse into v_pk_fma_f16
#   no-ovfl    the FP16_OVFL mode write removed (QR_ISA_PLANT_NO_FP16_OVFL), as vLLM/aiter build gfx950
#   control    neither: must pass, so that the two failures are the plants' doing
# and expects: control passes; contract fails naming v_pk_fma_f16; no-ovfl fails naming FP16_OVFL against cdna3 and
# passes against cdna4 (the check tells the two profiles apart). Prints one line per expectation, then
# "N passed, M failed"; exit 1 if any expectation fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/target/isa-plants}
sources="kernels_int4.cu capture.cu"
rm -rf "$out"
mkdir -p "$out"
build() {  # name flags
  "$root/kernels/build.sh" --gfx942-only --require-gfx942 -j 1 --amd-sources "$sources" --amd-cflags "$2" \
    --amd-out "$out/$1" > "$out/$1.build.log" 2>&1
}
start=$(date +%s)
build control "" & p1=$!
build contract "-ffp-contract=fast" & p2=$!
wait $p1 || { cat "$out/control.build.log"; echo "plants.sh: the control build failed" >&2; exit 1; }
wait $p2 || { cat "$out/contract.build.log"; echo "plants.sh: the contract build failed" >&2; exit 1; }
build no-ovfl "-DQR_ISA_PLANT_NO_FP16_OVFL" || { cat "$out/no-ovfl.build.log"; echo "plants.sh: the no-ovfl build failed" >&2; exit 1; }
echo "plants.sh: 3 builds of $sources for gfx942 in $(( $(date +%s) - start )) s" >&2

passed=0
failed=0
expect() {  # description expected-exit grep-pattern-or-empty -- qr args
  local what=$1 want=$2 pattern=$3 log
  shift 4
  log="$out/$(echo "$what" | tr -c 'a-z0-9\n' '-').log"
  "$root/qr" isa-check "$@" > "$log" 2>&1
  local rc=$?
  if [ $rc -eq "$want" ] && { [ -z "$pattern" ] || grep -q -- "$pattern" "$log"; }; then
    echo "ok    $what (exit $rc$([ -n "$pattern" ] && echo ", e.g. $(grep -m1 -- "$pattern" "$log" | cut -c1-160)"))"
    passed=$((passed + 1))
  else
    echo "FAIL  $what: exit $rc (want $want)$([ -n "$pattern" ] && echo ", want a line with '$pattern'"); log $log:"
    tail -n 20 "$log"
    failed=$((failed + 1))
  fi
}
expect "control build passes against cdna3" 0 "" -- "$out/control"
expect "contract build fails: v_pk_fma_f16 found" 1 "found v_pk_fma_f16" -- "$out/contract"
expect "no-ovfl build fails against cdna3: no MODE write" 1 "FP16_OVFL: no MODE write" -- "$out/no-ovfl"
expect "no-ovfl build passes against cdna4" 0 "" -- --profile cdna4 "$out/no-ovfl"
expect "control build fails against cdna4: MODE write found" 1 "assumes no MODE write" -- --profile cdna4 "$out/control"
echo "plants: $passed passed, $failed failed"
[ $failed -eq 0 ]
