package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands the README shows that are cheap enough to run here run as written; none of them holds a placeholder. */
class ReadmeCommandsTest {
    static final Path README = Path.of("..", "README.md");

    static List<String> commands() throws IOException {
        assumeTrue(Files.isRegularFile(README), "README.md is not beside this module");
        return Files.readAllLines(README).stream().filter(l -> l.startsWith("./qr ")).map(l -> l.replaceAll("\\s+#.*$", "").strip())
                .toList();
    }

    @Test
    void noCommandHoldsAPlaceholder() throws IOException {
        for (String c : commands()) {
            assertFalse(c.contains("..."), "a placeholder in: " + c);
        }
    }

    @Test
    void theSingleCaseExampleRuns() throws IOException {
        List<String> cases = commands().stream().filter(c -> c.startsWith("./qr conformance --case ")).toList();
        assertEquals(1, cases.size(), cases::toString);
        String[] args = cases.getFirst().substring("./qr ".length()).split(" +");
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), () -> Arrays.toString(args) + "\n" + r);
        assertTrue(r.out().contains("1 case(s)"), r::toString);
    }

    @Test
    void theDocumentationCommandIsTheScriptsOwn() throws IOException {
        assertTrue(commands().stream().noneMatch(c -> c.startsWith("./mvnw")), "the README builds the docs through ./qr");
        assertTrue(Files.readString(README).contains("`./qr docs`"));
        assertTrue(Files.readString(Path.of("..", "qr")).contains("\n    docs)\n"), "./qr has a docs command");
    }
}
