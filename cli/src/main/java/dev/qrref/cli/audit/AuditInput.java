package dev.qrref.cli.audit;

import dev.qrref.spec.DType;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The tensors an audit runs on: one or more all-reduce calls, each with one read-only segment per rank (usually
 * memory-mapped from {@code .npy} files).
 *
 * @param worldSize   W
 * @param dtype       element type in memory
 * @param calls       the calls, in order
 * @param description where the tensors came from, for the report
 */
public record AuditInput(int worldSize, DType dtype, List<Call> calls, String description) {

    /**
     * One all-reduce: {@code ranks.get(r)} holds rank r's {@code elements} values.
     *
     * @param name a short name for reports ("" when the audit has a single call)
     */
    public record Call(String name, List<MemorySegment> ranks, long elements) {
        public Call {
            ranks = List.copyOf(ranks);
        }
    }

    public AuditInput {
        calls = List.copyOf(calls);
        for (Call c : calls) {
            if (c.ranks().size() != worldSize) {
                throw new IllegalArgumentException("call '" + c.name() + "' has " + c.ranks().size() + " ranks, not " + worldSize);
            }
        }
    }

    /** Elements per rank over all calls. */
    public long elementsPerRank() {
        return calls.stream().mapToLong(Call::elements).sum();
    }
}
