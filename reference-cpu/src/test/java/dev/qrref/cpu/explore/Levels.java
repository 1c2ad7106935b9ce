package dev.qrref.cpu.explore;

/** Test depth: {@code -Dqr.level=2} enables the heavier explorations. */
final class Levels {
    private Levels() {
    }

    static int level() {
        try {
            return Integer.parseInt(System.getProperty("qr.level", "1").trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static boolean thorough() {
        return level() >= 2;
    }
}
