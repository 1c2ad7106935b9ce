// smoke.cu: a native smoke test of libqr on a GPU, independent of the Java side.
//
//   qr_smoke [max_n]
//
// 1. residency: blocks per SM and the per-rank grid cap of a one-GPU group;
// 2. exact sums: every world size x codec x data path x profile on sizes with tails, inputs built so that every
//    quantization step is exact (a -L anchor in every group, small integers elsewhere): output = the exact sum;
// 3. a peer that never arrives: QR_STATUS_TIMEOUT within the timeout, then the communicator is BROKEN;
// 4. argument and state errors;
// 5. timings of a few cases and the device-to-device copy bandwidth.
// Prints one line per failure, a summary last; exits 1 on any failure.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <algorithm>
#include <vector>

#include "qr_api.h"

static int g_failures = 0;

#define EXPECT(cond, ...)                          \
    do {                                           \
        if (!(cond)) {                             \
            g_failures++;                          \
            printf("FAIL %s:%d: ", __FILE__, __LINE__); \
            printf(__VA_ARGS__);                   \
            printf(" | last error: %s\n", qr_last_error()); \
        }                                          \
    } while (0)

#define CHECK(call)                                                                  \
    do {                                                                             \
        int rc_ = (call);                                                            \
        if (rc_ != 0) {                                                              \
            printf("FATAL %s:%d: %s -> %d: %s\n", __FILE__, __LINE__, #call, rc_, qr_last_error()); \
            exit(2);                                                                 \
        }                                                                            \
    } while (0)

// Exact integers only (|v| <= 2048).
static uint16_t int_to_fp16(int v) {
    if (v == 0) return 0;
    uint16_t sign = v < 0 ? 0x8000 : 0;
    int a = abs(v);
    int e = 0;
    while ((a >> e) > 1) e++;
    int frac = (a << (10 - e)) & 0x3FF;
    return (uint16_t)(sign | ((e + 15) << 10) | frac);
}
static uint16_t int_to_bf16(int v) {
    float f = (float)v;
    uint32_t u;
    memcpy(&u, &f, 4);
    return (uint16_t)(u >> 16);
}

static double now_s() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// L of every codec by code (0 for FP and FP8), from the spec's list.
static int levels_of(int quant) {
#define QR_LEVELS_CASE(NAME, CODE, ID, KERNEL, STRIDE, KIND, LEVELS) if (quant == CODE) return LEVELS;
    QR_LIST_CODECS(QR_LEVELS_CASE)
#undef QR_LEVELS_CASE
    return 0;
}
// The codecs whose exact-sum inputs are exact: the raw FP codec and the integer codecs (FP8's e4m3 grid is not).
static bool exact_codec(int quant) {
#define QR_EXACT_CASE(NAME, CODE, ID, KERNEL, STRIDE, KIND, LEVELS) if (quant == CODE) return KIND != 2;
    QR_LIST_CODECS(QR_EXACT_CASE)
#undef QR_EXACT_CASE
    return false;
}

// Rank r's value of element e and the exact sum over ranks.
static void exact_case(int w, int quant, bool bf16_native, int64_t e, int r, int* x, int* sum) {
    const int L = levels_of(quant);
    const int limit = bf16_native ? (L == 0 || L > 32 ? 31 : L - 1) : (L == 0 ? 127 : L - 1);
    const bool anchor = quant != 0 && (e % 64) < 2;  // first element of the even and the odd group
    if (anchor) {
        *x = -L;
        *sum = -L * w;
        return;
    }
    uint64_t h = (uint64_t)e * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    const int span = 2 * (limit - 1) + 1;
    const int v = (int)(h % (uint64_t)span) - (limit - 1);
    const int a = (int)((h >> 20) & 1);
    *x = v + ((r % 2 == 0) ? a : -a);
    *sum = v * w;
}

int main(int argc, char** argv) {
    const int64_t max_n = argc > 1 ? atoll(argv[1]) : 1048600;
    char desc[512];
    int ndev = 0;
    CHECK(qr_device_count(&ndev));
    CHECK(qr_device_describe(0, desc, sizeof desc));
    printf("device: %s (%d present)\n", desc, ndev);
    int resident = 0, per_sm = 0, kernels = 0;
    CHECK(qr_device_resident_blocks(0, &resident, &per_sm));
    CHECK(qr_kernel_count(&kernels));
    printf("residency: %d blocks per SM, %d resident blocks; %d kernels compiled\n", per_sm, resident, kernels);

    // ---- exact sums
    const int64_t sizes[] = {8, 2048, 16384, 16392, 1048600};
    const int profiles[] = {0, 1};
    int cases = 0;
    for (int w : {2, 4, 8}) {
        for (int profile : profiles) {
            uint64_t g = 0;
            CHECK(qr_group_create(w, 2 * max_n, 0, profile, 0, 2000000000ll, QR_GROUP_ONE_GPU, &g));
            int mb = 0;
            CHECK(qr_group_max_blocks(g, &mb));
            if (profile == 0) printf("W=%d: grid cap %d blocks per rank\n", w, mb);
            std::vector<void*> in(w), out(w);
            for (int r = 0; r < w; r++) {
                CHECK(qr_device_alloc(0, 2 * max_n, &in[r]));
                CHECK(qr_device_alloc(0, 2 * max_n, &out[r]));
            }
            std::vector<uint16_t> host((size_t)max_n), got((size_t)max_n);
            std::vector<int> sums((size_t)max_n);
            for (int quant = 0; quant < QR_CODEC_COUNT; quant++) {
                if (!exact_codec(quant)) continue;
                for (int path = 0; path < 3; path++) {  // fp16, bf16, bf16-cast
                    if (profile == 1 && path == 1) continue;  // bf16 arithmetic is the same under every profile
                    const int dtype = path == 0 ? 0 : 1;
                    const int cast = path == 2 ? 1 : 0;
                    for (int64_t n : sizes) {
                        if (n > max_n) continue;
                        for (int r = 0; r < w; r++) {
                            for (int64_t e = 0; e < n; e++) {
                                int x, s;
                                exact_case(w, quant, path == 1, e, r, &x, &s);
                                host[(size_t)e] = dtype == 0 ? int_to_fp16(x) : int_to_bf16(x);
                                sums[(size_t)e] = s;
                            }
                            CHECK(qr_memcpy_h2d(0, in[r], host.data(), 2 * n));
                        }
                        int rc = qr_group_allreduce(g, in.data(), out.data(), n, dtype, quant, cast);
                        cases++;
                        EXPECT(rc == 0, "allreduce W=%d quant=%d path=%d profile=%d n=%lld -> %d", w, quant, path,
                               profile, (long long)n, rc);
                        if (rc != 0) {
                            qr_group_destroy(g);
                            goto next_profile;
                        }
                        for (int r = 0; r < w; r++) {
                            CHECK(qr_memcpy_d2h(0, got.data(), out[r], 2 * n));
                            int64_t wrong = 0, first = -1;
                            for (int64_t e = 0; e < n; e++) {
                                const uint16_t want = dtype == 0 ? int_to_fp16(sums[(size_t)e]) : int_to_bf16(sums[(size_t)e]);
                                if (got[(size_t)e] != want) {
                                    if (first < 0) first = e;
                                    wrong++;
                                }
                            }
                            EXPECT(wrong == 0, "exact sum W=%d quant=%d path=%d profile=%d n=%lld rank=%d: %lld wrong, first "
                                   "element %lld got=0x%04X want=0x%04X", w, quant, path, profile, (long long)n, r,
                                   (long long)wrong, (long long)first, first >= 0 ? got[(size_t)first] : 0,
                                   first >= 0 ? (dtype == 0 ? int_to_fp16(sums[(size_t)first]) : int_to_bf16(sums[(size_t)first])) : 0);
                        }
                    }
                }
            }
            for (int r = 0; r < w; r++) {
                qr_device_free(0, in[r]);
                qr_device_free(0, out[r]);
            }
            CHECK(qr_group_destroy(g));
        next_profile:;
        }
    }
    printf("exact sums: %d calls\n", cases);

    // ---- a peer that never arrives
    {
        uint64_t c0 = 0, c1 = 0;
        CHECK(qr_comms_create(0, 0, 0, 100000000ll, &c0));
        CHECK(qr_comms_create(0, 0, 0, 100000000ll, &c1));
        CHECK(qr_comms_init(c0, 2, 0, 1 << 20));
        CHECK(qr_comms_init(c1, 2, 1, 1 << 20));
        unsigned char handles[128];
        CHECK(qr_comms_get_handle(c0, handles));
        CHECK(qr_comms_get_handle(c1, handles + 64));
        CHECK(qr_comms_open_handles(c0, handles, 2));
        CHECK(qr_comms_open_handles(c1, handles, 2));
        void *a = nullptr, *b = nullptr;
        CHECK(qr_device_alloc(0, 1 << 20, &a));
        CHECK(qr_device_alloc(0, 1 << 20, &b));
        CHECK(qr_device_fill_random(0, a, 1 << 19, 0, 7));
        const double t0 = now_s();
        int rc = qr_comms_allreduce(c0, a, b, 1 << 19, 0, 3, 0, nullptr);
        const double dt = now_s() - t0;
        int st = -1;
        CHECK(qr_comms_state(c0, &st));
        printf("timeout: status %d after %.3f s, state %d: %s\n", rc, dt, st, qr_last_error());
        EXPECT(rc == 3 && st == QR_STATE_BROKEN && dt < 5.0, "a missing peer gives TIMEOUT and BROKEN");
        rc = qr_comms_allreduce(c0, a, b, 1 << 19, 0, 3, 0, nullptr);
        EXPECT(rc == 2, "allreduce on a broken communicator gives INVALID_STATE (%d)", rc);
        CHECK(qr_comms_destroy(c0));
        CHECK(qr_comms_destroy(c1));
        EXPECT(qr_comms_destroy(c0) == 2, "double destroy gives INVALID_STATE");
        qr_device_free(0, a);
        qr_device_free(0, b);
    }

    // ---- argument and state errors
    {
        uint64_t c = 0;
        CHECK(qr_comms_create(0, 0, 0, 1000000000ll, &c));
        EXPECT(qr_comms_init(c, 3, 0, -1) == 1, "world size 3");
        EXPECT(qr_comms_init(c, 2, 2, -1) == 1, "rank 2 of 2");
        EXPECT(qr_comms_init(c, 2, 0, 17) == 1, "max size 17");
        int dummy = 0;
        EXPECT(qr_comms_allreduce(c, &dummy, &dummy, 8, 0, 0, 0, nullptr) == 2, "allreduce before init");
        CHECK(qr_comms_init(c, 2, 0, 1 << 16));
        EXPECT(qr_comms_allreduce(c, &dummy, &dummy, 8, 0, 0, 0, nullptr) == 2, "allreduce before handles");
        // the state is checked first: a communicator that is not ready answers INVALID_STATE whatever the arguments
        EXPECT(qr_comms_allreduce(c, &dummy, &dummy, 12, 0, 0, 0, nullptr) == 2, "n %% 8 != 0 before handles");
        EXPECT(qr_comms_create(0, 9, 0, 1, &c) == 1, "profile 9");
        CHECK(qr_comms_destroy(c));
        EXPECT(qr_comms_init(c, 2, 0, -1) == 2, "use after destroy");
    }

    // ---- timings
    {
        double gbps = 0;
        CHECK(qr_device_copy_bandwidth(0, 1ll << 30, 20, &gbps));
        printf("device-to-device copy: %.0f GB/s (read + write)\n", gbps);
        for (int64_t bytes : {1ll << 30, 8ll << 20}) {
            double mc = 0, ck = 0, rk = 0;
            CHECK(qr_device_rates(0, bytes, 10, &mc, &ck, &rk));
            EXPECT(mc > 0 && ck > 0 && rk > 0, "rates must be positive");
            printf("rates, %lld bytes: memcpy %.0f, copy kernel %.0f, read kernel %.0f GB/s\n", (long long)bytes, mc, ck, rk);
        }
        EXPECT(qr_device_rates(0, 24, 1, &gbps, &gbps, &gbps) == 1, "bytes not a multiple of 16");
        int64_t l2 = 0;
        CHECK(qr_device_l2_bytes(0, &l2));
        EXPECT(l2 > 0, "L2 size must be positive");
        printf("L2: %lld bytes\n", (long long)l2);
        const int64_t n = 16777216;
        for (int w : {2, 8}) {
            uint64_t g = 0;
            CHECK(qr_group_create(w, 2 * n, 0, 0, 0, 2000000000ll, QR_GROUP_ONE_GPU, &g));
            std::vector<void*> in(w), out(w);
            for (int r = 0; r < w; r++) {
                CHECK(qr_device_alloc(0, 2 * n, &in[r]));
                CHECK(qr_device_alloc(0, 2 * n, &out[r]));
                CHECK(qr_device_fill_random(0, in[r], n, 0, 100 + r));
            }
            for (int quant = 0; quant < QR_CODEC_COUNT; quant++) {
                if (!exact_codec(quant)) continue;
                for (int64_t m : {(int64_t)1048576, n}) {
                    std::vector<float> t(50);
                    CHECK(qr_group_time(g, in.data(), out.data(), m, 0, quant, 0, 10, 50, t.data()));
                    std::sort(t.begin(), t.end());
                    printf("time W=%d quant=%d n=%lld: median %.1f us\n", w, quant, (long long)m, t[25]);
                }
            }
            for (int r = 0; r < w; r++) {
                qr_device_free(0, in[r]);
                qr_device_free(0, out[r]);
            }
            CHECK(qr_group_destroy(g));
        }
    }

    printf("smoke: %s (%d failures)\n", g_failures == 0 ? "PASS" : "FAIL", g_failures);
    return g_failures == 0 ? 0 : 1;
}
