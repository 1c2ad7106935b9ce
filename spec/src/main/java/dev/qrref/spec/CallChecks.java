package dev.qrref.spec;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The checks of an all-reduce call's arguments (rule API-1), once for every backend: the CPU model and the GPU backend's
 * Java layer call these, the native library checks its own C arguments once more at its boundary, and nothing else
 * checks them again. Each failure is an {@link InvalidArgumentException} whose message names the argument and the rule.
 */
public final class CallChecks {
    private CallChecks() {
    }

    /**
     * A group call: W inputs and W outputs, one codec and element type, {@code n} a positive multiple of 8 within the
     * layout's maximum, every segment large enough and every output writable.
     */
    public static void groupCall(BufferLayout layout, List<MemorySegment> inputs, List<MemorySegment> outputs, long n,
                                 DType dtype, QuantLevel codec) {
        lists(layout.worldSize(), inputs, outputs);
        call(layout, n, dtype, codec);
        for (int r = 0; r < layout.worldSize(); r++) {
            segment("input[" + r + "]", inputs.get(r), n, false);
            segment("output[" + r + "]", outputs.get(r), n, true);
        }
    }

    /** One rank's call. */
    public static void rankCall(BufferLayout layout, MemorySegment input, MemorySegment output, long n, DType dtype,
                                QuantLevel codec) {
        call(layout, n, dtype, codec);
        segment("input", input, n, false);
        segment("output", output, n, true);
    }

    /** Everything but the buffers: element type, codec and the element count against the layout's maximum. */
    public static void call(BufferLayout layout, long n, DType dtype, QuantLevel codec) {
        if (dtype == null) {
            throw new InvalidArgumentException("dtype must not be null (expected one of " + names(DType.values()) + ")");
        }
        if (codec == null) {
            throw new InvalidArgumentException("codec must not be null (expected one of " + QuantLevel.names() + ")");
        }
        elements(layout, n);
    }

    /** {@code n} is positive, a multiple of 8 (the byte size a multiple of 16) and within the layout's maximum. */
    public static void elements(BufferLayout layout, long n) {
        if (n <= 0) {
            throw new InvalidArgumentException("element count " + n + " must be positive");
        }
        if (n % Geometry.SIZE_MULTIPLE_ELEMENTS != 0) {
            throw new InvalidArgumentException("element count " + n + " is not a multiple of " + Geometry.SIZE_MULTIPLE_ELEMENTS
                    + " (the byte size " + n * Geometry.ELEMENT_BYTES + " must be a multiple of " + Geometry.SIZE_MULTIPLE_BYTES + ")");
        }
        if (layout != null && n > layout.maxElements()) {
            throw new InvalidArgumentException("element count " + n + " (" + n * Geometry.ELEMENT_BYTES
                    + " bytes) exceeds the max problem size of " + layout.maxProblemBytes() + " bytes");
        }
    }

    /** A host segment holding at least {@code n} elements; an output must be writable. */
    public static void segment(String what, MemorySegment s, long n, boolean output) {
        if (s == null) {
            throw new InvalidArgumentException(what + " segment is null");
        }
        if (s.byteSize() < n * Geometry.ELEMENT_BYTES) {
            throw new InvalidArgumentException(what + " segment has " + s.byteSize() + " bytes, fewer than the "
                    + n * Geometry.ELEMENT_BYTES + " bytes of " + n + " elements");
        }
        if (output && s.isReadOnly()) {
            throw new InvalidArgumentException(what + " segment is read-only");
        }
    }

    /** W inputs and W outputs. */
    public static void lists(int worldSize, List<?> inputs, List<?> outputs) {
        if (inputs == null || inputs.size() != worldSize || outputs == null || outputs.size() != worldSize) {
            throw new InvalidArgumentException("expected " + worldSize + " inputs and " + worldSize + " outputs, got "
                    + (inputs == null ? "null" : inputs.size()) + " and " + (outputs == null ? "null" : outputs.size()));
        }
    }

    private static String names(DType[] values) {
        StringBuilder s = new StringBuilder();
        for (DType d : values) {
            s.append(s.isEmpty() ? "" : ", ").append(d.id());
        }
        return s.toString();
    }
}
