// runtime.cu: status names, thread-local error text, runtime error mapping.
#include "runtime.h"

#include <stdarg.h>
#include <stdio.h>

namespace qr {

namespace {
thread_local std::string t_cause;
}

const char* status_name(int status) {
    switch (status) {
        case OK: return "OK";
        case INVALID_ARGUMENT: return "INVALID_ARGUMENT";
        case INVALID_STATE: return "INVALID_STATE";
        case TIMEOUT: return "TIMEOUT";
        case DEVICE_ERROR: return "DEVICE_ERROR";
        case OUT_OF_MEMORY: return "OUT_OF_MEMORY";
        case UNSUPPORTED: return "UNSUPPORTED";
        case NO_DEVICE: return "NO_DEVICE";
        default: return "UNKNOWN_STATUS";
    }
}

void set_cause(const std::string& c) { t_cause = c; }
const std::string& cause() { return t_cause; }
void clear_cause() { t_cause.clear(); }

int fail(int status, const std::string& c) {
    t_cause = c;
    return status;
}

int runtime_failure(qrError_t e, const char* call, const char* file, int line) {
    const char* base = file;
    for (const char* p = file; *p; p++) {
        if (*p == '/') base = p + 1;
    }
    int status = DEVICE_ERROR;
    if (e == qrErrorMemoryAllocation) {
        status = OUT_OF_MEMORY;
    } else if (e == qrErrorNoDevice || e == qrErrorInsufficientDriver) {
        status = NO_DEVICE;
    }
    t_cause = strprintf("%s failed at %s:%d: %s (%s)", call, base, line, qrGetErrorString(e), qrGetErrorName(e));
    return status;
}

std::string strprintf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    std::string out;
    if (n < (int)sizeof small) {
        out.assign(small, n < 0 ? 0 : (size_t)n);
    } else {
        out.resize((size_t)n + 1);
        vsnprintf(&out[0], (size_t)n + 1, fmt, ap2);
        out.resize((size_t)n);
    }
    va_end(ap2);
    return out;
}

}  // namespace qr
