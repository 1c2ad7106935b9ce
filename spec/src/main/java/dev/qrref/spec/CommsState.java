package dev.qrref.spec;

/** Lifecycle of a per-rank communicator (rule API-2), with the codes of the C ABI ({@code QR_STATE_*}). */
public enum CommsState {
    /** Constructed; {@code init} not yet called. */
    CREATED(0, "created (init not called)"),
    /** {@code init} done: the buffer exists and its handle can be exported; peers' handles not yet opened. */
    INITIALISED(1, "initialised (handles not opened)"),
    /** Peers' handles opened: {@code allreduce} may be called. */
    READY(2, "ready"),
    /** A wait timed out or the device failed; only {@code close} is allowed. */
    BROKEN(3, "broken by an earlier timeout or device error (only destroy is allowed)"),
    /** Closed; every call except {@code status} throws. */
    CLOSED(4, "closed");

    /** The integer the C ABI uses. */
    public final int code;
    /** How an error message describes the state. */
    public final String description;

    CommsState(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public static CommsState fromCode(int code) {
        for (CommsState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown communicator state " + code);
    }
}
