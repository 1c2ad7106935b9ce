// mutants.h: the one list of mutants for the mutation check of the conformance suite.
//
// A mutant is the real library with exactly one defect re-introduced, chosen from bugs that happened upstream or that a
// port could plausibly make. `kernels/build.sh --mutant NAME` (CMake -DQR_MUTANT=NAME) builds libqr-NAME.so with
// QR_MUTANT_NAME defined; every guarded site in the sources is marked `// mutant NAME:` and is compiled only then. The
// conformance suite must fail on every mutant (dev.qrref.conformance.mutation.MutationMain).
//
// X(NAME, "what the defect does")
#pragma once

#define QR_LIST_MUTANTS(X)                                                                                          \
    X(phase2_offset_by_grid, "phase-2 data and flags placed gridDim.x slots after phase 1 (pre-fix upstream layout)") \
    X(host_colour_replay, "flag colour from a host value that never advances (graph replay): stale flags pass")      \
    X(cast_no_saturation, "bf16->fp16 cast of the cdna3 emulation overflows to inf instead of saturating")           \
    X(bias_off_by_one, "code bias L+1 instead of L at encode")                                                      \
    X(rint_truncation, "rint replaced by truncation toward zero")                                                   \
    X(tie_rule_reversed, "signed absmax picks the positive element on |max| == |min|")                               \
    X(group_leader_off_by_one, "group statistics broadcast from lane 8g+1 instead of the leader 8g")                \
    X(own_contribution_unquantized, "the owner adds its own segment unquantized in phase 1")                         \
    X(reduction_order_reversed, "phase-1 sum in sender order W-1..0 instead of 0..W-1")                              \
    X(scale_halves_swapped, "the even and odd groups' scales swapped in the stored scale word")                     \
    X(eps_omitted, "encoding scale rcp(d) instead of rcp(d + EPS)")                                                  \
    X(fp8_overflow_nan, "FP8 conversion without saturation: past the range NaN where the profile saturates")          \
    X(int3_top_bit_dropped, "INT3 decode ignores the top-bit plane (codes read as their low 2 bits)")

// The name compiled in ("" for the real library), for qr_mutant(). CMake defines QR_MUTANT=NAME and QR_MUTANT_<NAME>.
#if defined(QR_MUTANT)
#define QR_STR_MUTANT2(x) #x
#define QR_STR_MUTANT(x) QR_STR_MUTANT2(x)
#define QR_MUTANT_NAME QR_STR_MUTANT(QR_MUTANT)
#else
#define QR_MUTANT_NAME ""
#endif
