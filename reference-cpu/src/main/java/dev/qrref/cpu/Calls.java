package dev.qrref.cpu;

import dev.qrref.spec.Geometry;
import dev.qrref.spec.InvalidArgumentException;
import java.lang.foreign.MemorySegment;

/** Argument checks shared by both CPU communicators (rule API-1). */
final class Calls {
    private Calls() {
    }

    static void checkSegments(String what, MemorySegment segment, long n) {
        if (segment == null) {
            throw new InvalidArgumentException(what + " segment is null");
        }
        if (segment.byteSize() < n * Geometry.ELEMENT_BYTES) {
            throw new InvalidArgumentException(what + " segment has " + segment.byteSize() + " bytes, fewer than the "
                    + n * Geometry.ELEMENT_BYTES + " bytes of " + n + " elements");
        }
        if (segment.isReadOnly() && what.startsWith("output")) {
            throw new InvalidArgumentException(what + " segment is read-only");
        }
    }
}
