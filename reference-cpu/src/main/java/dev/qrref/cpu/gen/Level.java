package dev.qrref.cpu.gen;

/**
 * How much a generated test runs (TestFloat's {@code -level}): level 1 is quick enough for every CI build, level 2 is
 * the thorough run. Selected with the system property {@code qr.level} ({@code -Dqr.level=2}); the default is 1.
 */
public enum Level {
    QUICK(1),
    THOROUGH(2);

    /** The system property that selects the level. */
    public static final String PROPERTY = "qr.level";

    private final int number;

    Level(int number) {
        this.number = number;
    }

    /** The level {@code qr.level} selects; unset or blank means level 1. */
    public static Level current() {
        String v = System.getProperty(PROPERTY, "").strip();
        if (v.isEmpty()) {
            return QUICK;
        }
        for (Level l : values()) {
            if (Integer.toString(l.number).equals(v)) {
                return l;
            }
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + ": expected 1 (quick) or 2 (thorough)");
    }

    /** 1 or 2. */
    public int number() {
        return number;
    }

    /** {@code quick} at level 1, {@code thorough} at level 2: case counts, sweep widths. */
    public int pick(int quick, int thorough) {
        return this == QUICK ? quick : thorough;
    }

    @Override
    public String toString() {
        return "level " + number;
    }
}
