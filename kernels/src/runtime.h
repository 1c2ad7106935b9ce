// runtime.h: status codes, the thread-local error text and the checked-runtime-call macro of the host side.
#pragma once

#include <stdint.h>

#include <string>

#include "qr_compat.h"
#include "qr_spec.h"

namespace qr {

constexpr int OK = (int)qr_spec::QR_STATUS_OK;
constexpr int INVALID_ARGUMENT = (int)qr_spec::QR_STATUS_INVALID_ARGUMENT;
constexpr int INVALID_STATE = (int)qr_spec::QR_STATUS_INVALID_STATE;
constexpr int TIMEOUT = (int)qr_spec::QR_STATUS_TIMEOUT;
constexpr int DEVICE_ERROR = (int)qr_spec::QR_STATUS_DEVICE_ERROR;
constexpr int OUT_OF_MEMORY = (int)qr_spec::QR_STATUS_OUT_OF_MEMORY;
constexpr int UNSUPPORTED = (int)qr_spec::QR_STATUS_UNSUPPORTED;
constexpr int NO_DEVICE = (int)qr_spec::QR_STATUS_NO_DEVICE;

const char* status_name(int status);

// The cause of the current failure on this thread; the C ABI wrapper prefixes it with the call and its arguments.
void set_cause(const std::string& cause);
const std::string& cause();
void clear_cause();

// Records a failure and returns its status, e.g. return fail(INVALID_ARGUMENT, "rank 5 is out of range ...").
int fail(int status, const std::string& cause);
// Records a failed runtime call with its text, file and line; maps the runtime error to a status.
int runtime_failure(qrError_t e, const char* call, const char* file, int line);

std::string strprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace qr

// Every runtime call goes through this: on failure the enclosing function returns the mapped status.
#define QR_RT(call)                                                                   \
    do {                                                                              \
        qrError_t qr_rt_err_ = (call);                                                \
        if (qr_rt_err_ != qrSuccess) {                                                \
            return ::qr::runtime_failure(qr_rt_err_, #call, __FILE__, __LINE__);      \
        }                                                                             \
    } while (0)

// Propagates a non-OK status of an internal call.
#define QR_TRY(expr)                      \
    do {                                  \
        int qr_try_rc_ = (expr);          \
        if (qr_try_rc_ != ::qr::OK) {     \
            return qr_try_rc_;            \
        }                                 \
    } while (0)
