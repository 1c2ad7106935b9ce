package dev.qrref.cpu.explore;

/**
 * Bugs that can be planted into the modelled kernel to show that the checker reports them. None of them exists in the
 * project's design; they are for tests and demonstrations.
 */
public enum Fault {
    /** Each block stores its flags before writing the slot data of the same phase (missing __syncthreads / release). */
    FLAG_BEFORE_DATA,
    /** The end-of-call counter update is a no-op, so a block repeats its colours in the next call. */
    SKIP_COUNTER_UPDATE,
    /** A rank's blocks may start call k+1 before all of its blocks finished call k (no stream order between kernels). */
    NO_LAUNCH_BARRIER
}
