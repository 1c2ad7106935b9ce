package dev.qrref.cpu.explore;

/** The properties checked on every step (and, for the last two, on every final state). */
public enum Invariant {
    READ_SEES_OWN_WRITE("INV-READ",
            "Each read of a slot sees exactly the data written for this call, iteration, phase, sender, receiver and block, intact."),
    NO_OVERWRITE_BEFORE_READ("INV-OVERWRITE",
            "No write (slot bytes or flag word) lands on bytes whose current content its reader has not consumed yet."),
    NO_STALE_FLAG("INV-FLAG",
            "A wait passes only on the flag stored for this call, iteration, phase, sender and block, never on an earlier or foreign one."),
    NO_DEADLOCK("INV-DEADLOCK",
            "While some block has not finished, some action is enabled."),
    EVERY_CALL_ENDS("INV-END",
            "Every call of every rank ends; at the end every slot was read, every flag observed, and block counters agree across ranks.");

    public final String id;
    public final String statement;

    Invariant(String id, String statement) {
        this.id = id;
        this.statement = statement;
    }
}
