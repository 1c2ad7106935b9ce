package dev.qrref.spec;

/** Lifecycle of a per-rank communicator (rule API-2). */
public enum CommsState {
    /** Constructed; {@code init} not yet called. */
    CREATED,
    /** {@code init} done: the buffer exists and its handle can be exported; peers' handles not yet opened. */
    INITIALISED,
    /** Peers' handles opened: {@code allreduce} may be called. */
    READY,
    /** A wait timed out or the device failed; only {@code close} is allowed. */
    BROKEN,
    /** Closed; every call except {@code status} throws. */
    CLOSED
}
