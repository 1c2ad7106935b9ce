package dev.qrref.conformance.vectors;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * python3 from the PATH, with numpy, running the vector checker. Absent, the tests that need it are skipped with the
 * reason, unless {@code QR_REQUIRE_PYTHON=1} (set by CI), where they fail.
 */
final class Python {
    static final String REQUIRE = "QR_REQUIRE_PYTHON";
    /** The checker of this source tree (tests run in the module directory). */
    static final Path CHECKER = Path.of("src", "main", "python", Vectors.CHECKER);

    private final Path exe;

    private Python(Path exe) {
        this.exe = exe;
    }

    /** The interpreter, or a skip (a failure under {@code QR_REQUIRE_PYTHON=1}) naming what is missing. */
    static Python require() throws IOException, InterruptedException {
        String problem = null;
        Path exe = onPath("python3");
        if (exe == null) {
            problem = "python3 is not on the PATH";
        } else {
            Run numpy = new Python(exe).exec(List.of("-c", "import sys, numpy; sys.exit(0 if sys.version_info >= (3, 9) else 3)"));
            if (numpy.exit() == 3) {
                problem = exe + " is older than Python 3.9";
            } else if (numpy.exit() != 0) {
                problem = exe + " cannot import numpy: " + numpy.err().strip();
            }
        }
        if (problem != null && "1".equals(System.getenv(REQUIRE))) {
            fail(problem + " (and " + REQUIRE + "=1 requires the checker test)");
        }
        assumeTrue(problem == null, problem);
        return new Python(exe);
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs the checker with these arguments. */
    Run check(Object... args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>();
        a.add(CHECKER.toString());
        for (Object o : args) {
            a.add(o.toString());
        }
        return exec(a);
    }

    private Run exec(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(args);
        Path out = Files.createTempFile("qr_check", ".out");
        Path err = Files.createTempFile("qr_check", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    record Run(int exit, String out, String err) {
        String lastLine() {
            List<String> l = out.lines().toList();
            return l.isEmpty() ? "" : l.getLast();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
