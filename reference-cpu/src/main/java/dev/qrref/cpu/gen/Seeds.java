package dev.qrref.cpu.gen;

/**
 * Deterministic seeds for the random case sets. Every set draws from its own {@link java.util.SplittableRandom}, seeded
 * from the base seed and the set's label, so adding or resizing one set never shifts the cases of another. The base
 * seed is fixed unless {@code -Dqr.seed=} overrides it (decimal or {@code 0x} hex); failures print the derived seed.
 */
public final class Seeds {
    /** The system property that overrides the base seed. */
    public static final String PROPERTY = "qr.seed";
    /** The base seed when {@code qr.seed} is not set. */
    public static final long DEFAULT_BASE = 0x51_52_5F_43_41_53_45_53L; // "QR_CASES"

    private Seeds() {
    }

    /** The base seed: {@code qr.seed} if set, else {@link #DEFAULT_BASE}. */
    public static long base() {
        String v = System.getProperty(PROPERTY, "").strip();
        if (v.isEmpty()) {
            return DEFAULT_BASE;
        }
        try {
            return parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a seed as every command line option and property takes it: decimal ({@code 7}, {@code -3}, up to
     * 2^64^-1) or {@code 0x} hex of up to 16 digits ({@code 0x10}, {@code 0xDE93D59047B6ACCC}); surrounding blanks are
     * ignored. The message of the exception quotes the text and says what is expected.
     */
    public static long parse(String text) {
        String v = text.strip();
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                String digits = v.substring(2);
                if (digits.isEmpty() || digits.startsWith("+") || digits.startsWith("-")) {
                    throw new NumberFormatException(v);
                }
                return Long.parseUnsignedLong(digits, 16);
            }
            return v.startsWith("-") ? Long.parseLong(v) : Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a seed: expected a decimal or 0x-hex 64-bit number "
                    + "(e.g. 7 or " + hex(DEFAULT_BASE) + ")", e);
        }
    }

    /** The seed of the case set {@code label} under the current base seed. */
    public static long of(String label) {
        return derive(base(), label);
    }

    /** The seed of the case set {@code label} under {@code base}. */
    public static long derive(long base, String label) {
        // String.hashCode is specified by the JLS, so the derivation is the same on every JVM
        return mix(base ^ mix(label.hashCode() * 0x9E3779B97F4A7C15L));
    }

    /** {@code 0x} and 16 hex digits, as failure lines print seeds. */
    public static String hex(long seed) {
        return String.format("0x%016X", seed);
    }

    /** The finaliser of MurmurHash3: spreads every input bit over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
