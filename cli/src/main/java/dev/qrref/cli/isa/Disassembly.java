package dev.qrref.cli.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One code object's disassembly as {@code llvm-objdump -d -l -C --no-show-raw-insn} prints it (kernels/build.sh writes
 * it next to the code object): the functions, each with its instructions and the source line each came from.
 */
public record Disassembly(List<Function> functions) {

    /** One instruction: address, mnemonic as printed, operand text, and its source location (file null when none). */
    public record Instruction(long address, String mnemonic, String operands, String file, int line) {
        /** The mnemonic without its encoding suffix ({@code _e32}, {@code _e64}, {@code _sdwa}, {@code _dpp}). */
        public String base() {
            return mnemonic.replaceFirst("(_e32|_e64|_sdwa|_dpp|_e64_dpp)$", "");
        }

        /** Whether the nontemporal bit is set (the {@code nt} modifier). */
        public boolean nontemporal() {
            for (String t : operands.split("[\\s,]+")) {
                if (t.equals("nt")) {
                    return true;
                }
            }
            return false;
        }

        /** The instruction as printed, e.g. {@code global_store_dword v[4:5], v3, off nt}. */
        public String text() {
            return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
        }

        /** {@code 0x51d0 (qr_compat.h:331)}: where it is, for a mismatch line. */
        public String where() {
            String at = "0x" + Long.toHexString(address);
            if (file == null) {
                return at;
            }
            int slash = file.lastIndexOf('/');
            return at + " (" + file.substring(slash + 1) + ":" + line + ")";
        }
    }

    /** One function (a kernel or a device function left out of line): its demangled name and its instructions. */
    public record Function(String name, List<Instruction> instructions) {
    }

    private static final Pattern LABEL = Pattern.compile("^([0-9a-fA-F]+) <(.*)>:$");
    private static final Pattern LOCATION = Pattern.compile("^; (/.*|[A-Za-z0-9_.\\-/]+):(\\d+)(?::\\d+)?$");
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s+([a-z][a-z0-9_]*)\\s*([^/]*?)\\s*(?://\\s*([0-9A-Fa-f]+):.*)?$");

    /** Parses the text; lines it does not recognise (headers, blank lines) are skipped. */
    public static Disassembly parse(String text) {
        List<Function> functions = new ArrayList<>();
        String name = null;
        List<Instruction> insns = null;
        String file = null;
        int line = 0;
        long next = 0;
        for (String l : text.split("\n", -1)) {
            Matcher m = LABEL.matcher(l);
            if (m.matches()) {
                if (name != null) {
                    functions.add(new Function(name, List.copyOf(insns)));
                }
                name = m.group(2);
                insns = new ArrayList<>();
                next = Long.parseUnsignedLong(m.group(1), 16);
                file = null;
                line = 0;
                continue;
            }
            if (name == null) {
                continue;
            }
            if (l.startsWith(";")) {
                Matcher loc = LOCATION.matcher(l.strip());
                if (loc.matches()) {
                    file = loc.group(1);
                    line = Integer.parseInt(loc.group(2));
                }
                continue;
            }
            Matcher im = INSTRUCTION.matcher(l);
            if (im.matches()) {
                long address = im.group(3) != null ? Long.parseUnsignedLong(im.group(3), 16) : next;
                insns.add(new Instruction(address, im.group(1), im.group(2).strip(), file, line));
                next = address + 4;
            }
        }
        if (name != null) {
            functions.add(new Function(name, List.copyOf(insns)));
        }
        return new Disassembly(List.copyOf(functions));
    }
}
