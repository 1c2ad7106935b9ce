package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.cpu.io.NpyFormatException;
import dev.qrref.spec.QrException;
import dev.qrref.spec.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.util.concurrent.Callable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every error a command can throw becomes one line and an exit code, the same way for every command. */
class ExceptionMappingTest {

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final Exception e;

        Boom(Exception e) {
            this.e = e;
        }

        @Override
        public Integer call() throws Exception {
            throw e;
        }
    }

    private static String[] run(Exception e) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Qr.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        cl.addSubcommand("boom", new Boom(e));
        // streams set before a subcommand is added do not reach it
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("boom");
        return new String[]{Integer.toString(code), err.toString().strip()};
    }

    @ParameterizedTest
    @EnumSource(value = Status.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void backendErrorsNameTheirStatus(Status s) {
        String[] r = run(s.toException("the detail"));
        int expect = switch (s) {
            case INVALID_ARGUMENT -> ExitCodes.USAGE;
            case NO_DEVICE, UNSUPPORTED -> ExitCodes.UNAVAILABLE;
            default -> ExitCodes.FAILED;
        };
        assertEquals(Integer.toString(expect), r[0]);
        assertEquals("qr boom: " + ExitCodes.describe(s) + ": the detail", r[1]);
    }

    @ParameterizedTest
    @EnumSource(value = Status.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void everyStatusHasItsOwnWords(Status s) {
        QrException e = s.toException("x");
        assertEquals(s, e.status());
        assertEquals(false, ExitCodes.describe(s).isBlank());
    }

    @org.junit.jupiter.api.Test
    void otherErrors() {
        assertEquals("2|qr boom: in.npy: bad magic", String.join("|", run(new NpyFormatException("in.npy", "bad magic"))));
        assertEquals("2|qr boom: fix this", String.join("|", run(CliException.usage("fix this"))));
        assertEquals("1|qr boom: I/O error: permission denied", String.join("|", run(new AccessDeniedException("/x"))));
        assertEquals("1|qr boom: I/O error: disk on fire", String.join("|", run(new IOException("disk on fire"))));
        String[] internal = run(new IllegalStateException("bug"));
        assertEquals("1", internal[0]);
        assertEquals(true, internal[1].startsWith("qr boom: internal error: java.lang.IllegalStateException: bug"), internal[1]);
    }
}
