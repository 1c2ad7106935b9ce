package dev.qrref.cli;

import dev.qrref.cpu.io.NpyArray;
import dev.qrref.cpu.io.NpyFormatException;
import dev.qrref.cpu.io.NpyReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qr npy FILE...}: how the reader of {@code qr allreduce --inputs} sees each file, one line per file, so that a
 * file can be checked before a run. The reader takes exactly what numpy.load reads as a 1-D little-endian float16 or
 * uint16 array.
 */
@Command(name = "npy", mixinStandardHelpOptions = true,
        description = {"Reads .npy files as 'qr allreduce --inputs' does and prints one line per file: its dtype, length "
                + "and format version, or the one problem that keeps it out. Accepted are exactly the files numpy.load "
                + "reads as a 1-D little-endian float16 (fp16) or uint16 (raw bf16 bits) array.",
            "Exit 0 when every file is accepted, 2 when one is not."},
        footer = {"", "Examples:", "  qr npy r0.npy r1.npy"})
public final class NpyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .npy files.")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int code = ExitCodes.OK;
        for (Path f : files) {
            String line;
            try (Arena arena = Arena.ofConfined()) {
                NpyArray a = NpyReader.map(f, arena);
                line = a.dtype().id() + " ('" + a.dtype().npyDescr + "'), " + a.length() + " elements, format "
                        + a.header().major() + ".0, data at byte " + a.header().dataOffset();
            } catch (NpyFormatException e) {
                line = e.problem();
                code = ExitCodes.USAGE;
            } catch (IOException e) {
                line = "cannot read: " + IoErrors.reason(e);
                code = ExitCodes.USAGE;
            }
            out.println(Qr.oneLine(f + ": " + line));
        }
        return code;
    }
}
