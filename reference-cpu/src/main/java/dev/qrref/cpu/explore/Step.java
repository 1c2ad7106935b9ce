package dev.qrref.cpu.explore;

/**
 * One executed step of a schedule.
 *
 * @param index  1-based position in the schedule
 * @param action the action executed
 * @param colour colour stored (store), awaited (wait), or the counter value before the update; 0 otherwise
 */
public record Step(int index, Action action, int colour) {

    /** {@code rank1 block0 call2 it0: write P1 slot[block1][sender1] -> rank0   bytes [82688, 83840)} without the index. */
    public String describe() {
        Action a = action;
        String c = Integer.toUnsignedString(colour);
        String what = switch (a.kind()) {
            case WRITE_SLOT -> "write " + a.target() + " -> rank" + a.bufferRank();
            case STORE_FLAG -> "store " + a.target() + " = " + c + " -> rank" + a.bufferRank();
            case WAIT_FLAG -> "wait  " + a.target() + " == " + c + " in rank" + a.bufferRank();
            case READ_SLOT -> "read  " + a.target() + " in rank" + a.bufferRank();
            case UPDATE_COUNTER -> "counter[block" + a.block() + "] " + c + " -> "
                    + Integer.toUnsignedString(colour + a.advance());
        };
        return a.actor() + ": " + what + "   " + a.where();
    }

    /** Short label for sequence diagrams. */
    String label() {
        Action a = action;
        String c = Integer.toUnsignedString(colour);
        return switch (a.kind()) {
            case WRITE_SLOT -> "write " + a.target();
            case STORE_FLAG -> "store " + a.target() + " = " + c;
            case WAIT_FLAG -> "wait " + a.target() + " == " + c;
            case READ_SLOT -> "read " + a.target();
            case UPDATE_COUNTER -> "counter " + c + " -> " + Integer.toUnsignedString(colour + a.advance());
        } + " (call" + (a.call() + 1) + (a.iteration() >= 0 ? " it" + a.iteration() : "") + ")";
    }
}
