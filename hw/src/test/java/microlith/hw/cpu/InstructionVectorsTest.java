package microlith.hw.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the instruction vectors recorded on a real x86-64 CPU by
 * {@code hw/src/test/c/gen_vectors.c} (format documented there): each vector's bytes run
 * at CPL 3 from a user page, and the six registers and the masked status flags must match
 * what the host produced. One dynamic test per instruction form, grouped by file; a
 * failure lists the offending vector lines.
 */
class InstructionVectorsTest {
    static final String[] FILES = {
        "alu", "unary", "shift", "shxd", "muldiv", "bit", "move", "cond", "atomic", "lea", "lahf",
    };
    private static final String[] REGS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi"};
    private static final int[] REG_NUM = {Cpu.RAX, Cpu.RBX, Cpu.RCX, Cpu.RDX, Cpu.RSI, Cpu.RDI};

    /** One parsed vector line. */
    static final class Vector {
        String line;
        String name;
        byte[] bytes;
        long[] in = new long[6];
        long flagsIn;
        long[] out = new long[6];
        long flagsOut;
        long mask;
        boolean divideError;
        /** Memory-operand variants: the quadword at DATA before and expected after. */
        boolean hasMem;
        long memIn;
        long memOut;

        Vector() {
        }

        Vector(String line) {
            this.line = line;
            String[] halves = line.split(" -> ");
            String[] left = halves[0].split(" ");
            name = left[0];
            bytes = CpuFixture.bytes(left[1]);
            flagsIn = parseRegs(left, 2, in);
            if (halves[1].trim().equals("#DE")) {
                divideError = true;
            } else {
                String[] right = halves[1].trim().split(" ");
                flagsOut = parseRegs(right, 0, out);
                for (String t : right) {
                    if (t.startsWith("mask=")) {
                        mask = Long.parseUnsignedLong(t.substring(5), 16);
                    }
                }
            }
        }

        private static long parseRegs(String[] tokens, int from, long[] regs) {
            long fl = 0;
            for (int i = from; i < tokens.length; i++) {
                String[] kv = tokens[i].split("=");
                long v = Long.parseUnsignedLong(kv[1], 16);
                if (kv[0].equals("fl")) {
                    fl = v;
                }
                for (int r = 0; r < 6; r++) {
                    if (REGS[r].equals(kv[0])) {
                        regs[r] = v;
                    }
                }
            }
            return fl;
        }
    }

    static List<Vector> load(String file) {
        return VectorFiles.load(file, Vector::new);
    }

    /** Puts a vector's code, memory, registers and flags on the fixture's CPU, at CPL 3. */
    static void setUp(CpuFixture fx, Vector v) {
        fx.mem.writeBytes(CpuFixture.CODE, v.bytes, 0, v.bytes.length);
        setState(fx, v);
    }

    /** Puts a vector's memory, registers and flags (not its code) on the fixture's CPU. */
    static void setState(CpuFixture fx, Vector v) {
        Core c = fx.core;
        if (v.hasMem) {
            fx.mem.write64(CpuFixture.DATA, v.memIn);
        }
        java.util.Arrays.fill(c.r, 0);
        for (int r = 0; r < 6; r++) {
            c.r[REG_NUM[r]] = v.in[r];
        }
        fx.toUser();
        c.cpu.setRflags(v.flagsIn);
        c.rip = CpuFixture.CODE;
    }

    /** Sets up a vector on the fixture's CPU at CPL 3 and runs until RIP passes its bytes. */
    static void execute(CpuFixture fx, Vector v) {
        setUp(fx, v);
        Core c = fx.core;
        long end = CpuFixture.CODE + v.bytes.length;
        for (int n = 0; n < 8 && c.rip != end; n++) {
            c.stepRaw();
        }
    }

    /** Returns a description of the mismatch, or null when the CPU agrees with the host. */
    static String check(CpuFixture fx, Vector v) {
        try {
            execute(fx, v);
        } catch (CpuException e) {
            return v.divideError && e.vector == Vectors.DE ? null : "raised " + e.getMessage();
        }
        if (v.divideError) {
            return "no #DE";
        }
        return compare(fx, v);
    }

    /** What differs between the CPU's state after a vector and the host's results, or null. */
    static String compare(CpuFixture fx, Vector v) {
        Core c = fx.core;
        StringBuilder sb = new StringBuilder();
        long end = CpuFixture.CODE + v.bytes.length;
        if (c.rip != end) {
            sb.append(String.format(" rip=%x (expected %x)", c.rip, end));
        }
        for (int r = 0; r < 6; r++) {
            long got = c.r[REG_NUM[r]];
            if (got != v.out[r]) {
                sb.append(String.format(" %s=%x (expected %x)", REGS[r], got, v.out[r]));
            }
        }
        if (v.hasMem && fx.mem.read64(CpuFixture.DATA) != v.memOut) {
            sb.append(String.format(" [DATA]=%x (expected %x)", fx.mem.read64(CpuFixture.DATA), v.memOut));
        }
        long fl = c.cpu.rflags();
        if (((fl ^ v.flagsOut) & v.mask) != 0) {
            sb.append(String.format(" fl=%x (expected %x, compared bits %x differ: %x)", fl & 0xfff, v.flagsOut,
                v.mask, (fl ^ v.flagsOut) & v.mask));
        }
        return sb.length() == 0 ? null : sb.toString().trim();
    }

    private static DynamicTest form(String name, List<Vector> vectors) {
        return VectorFiles.form(name, vectors, InstructionVectorsTest::check, v -> v.line);
    }

    private static DynamicContainer file(String file) {
        Map<String, List<Vector>> byName = new LinkedHashMap<>();
        for (Vector v : load(file)) {
            byName.computeIfAbsent(v.name, k -> new ArrayList<>()).add(v);
        }
        List<DynamicNode> tests = new ArrayList<>();
        byName.forEach((name, list) -> tests.add(form(name, list)));
        return DynamicContainer.dynamicContainer(file, tests);
    }

    @TestFactory
    Stream<DynamicNode> vectors() {
        List<DynamicNode> files = new ArrayList<>();
        for (String f : FILES) {
            files.add(file(f));
        }
        return files.stream();
    }

    /** Register-operand forms whose r/m register can be swapped for a memory operand. */
    private static final java.util.regex.Pattern MEM_ELIGIBLE = java.util.regex.Pattern.compile(
        "(add|or|adc|sbb|and|sub|xor|cmp)(8|16|32|64)_rr|(rol|ror|rcl|rcr|shl|shr|sal|sar)(8|16|32|64)_(1|i|cl)"
            + "|(shld|shrd)(16|32|64)_(i|cl)|(bt|bts|btr|btc)(16|32|64)_i|(xadd|inc|dec|neg|not)(8|16|32|64)");

    /**
     * Rewrites a vector whose ModRM names a register r/m (RAX or RBX) into the same
     * instruction on [RSI] = DATA holding that register's input value (RSI is unused by
     * these vectors). The register keeps its value; memory gets the result's low bytes
     * and keeps the rest. Returns null for forms this does not apply to.
     */
    static Vector memoryForm(Vector v) {
        java.util.regex.Matcher m = MEM_ELIGIBLE.matcher(v.name);
        if (!m.matches() || v.in[4] != 0) {
            return null;
        }
        int bits = 0;
        for (int g = 1; g <= m.groupCount(); g++) {
            String s = m.group(g);
            if (s != null && s.matches("8|16|32|64")) {
                bits = Integer.parseInt(s);
            }
        }
        int k = 0;
        while (v.bytes[k] == 0x66 || (v.bytes[k] & 0xf0) == 0x40) {
            k++;
        }
        if (v.bytes[k] == 0x0f) {
            k++;
        }
        int modrm = v.bytes[k + 1] & 0xff;
        if (modrm >>> 6 != 3 || (modrm & 7) != 0 && (modrm & 7) != 3) {
            return null;
        }
        int rmIdx = (modrm & 7) == 0 ? 0 : 1; // index in REGS: rax or rbx
        Vector w = new Vector();
        w.name = "mem_" + v.name;
        w.line = "[memory form of] " + v.line;
        w.bytes = v.bytes.clone();
        w.bytes[k + 1] = (byte) ((modrm & 0x38) | 6); // [rsi]
        w.in = v.in.clone();
        w.out = v.out.clone();
        w.in[4] = CpuFixture.DATA;
        w.out[4] = CpuFixture.DATA;
        w.out[rmIdx] = v.in[rmIdx];
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        w.hasMem = true;
        w.memIn = v.in[rmIdx];
        w.memOut = (v.in[rmIdx] & ~mask) | (v.out[rmIdx] & mask);
        w.flagsIn = v.flagsIn;
        w.flagsOut = v.flagsOut;
        w.mask = v.mask;
        return w;
    }

    /** The same vectors again with a memory destination, where the form allows it. */
    @TestFactory
    Stream<DynamicNode> memoryForms() {
        List<DynamicNode> files = new ArrayList<>();
        for (String f : new String[] {"alu", "unary", "shift", "shxd", "bit", "atomic"}) {
            Map<String, List<Vector>> byName = new LinkedHashMap<>();
            for (Vector v : load(f)) {
                Vector w = memoryForm(v);
                if (w != null) {
                    byName.computeIfAbsent(w.name, k -> new ArrayList<>()).add(w);
                }
            }
            List<DynamicNode> tests = new ArrayList<>();
            byName.forEach((name, list) -> tests.add(form(name, list)));
            files.add(DynamicContainer.dynamicContainer(f, tests));
        }
        return files.stream();
    }

    /** DIV/IDIV inputs that faulted natively (SIGFPE) must raise #DE (vector 0) here. */
    @TestFactory
    Stream<DynamicNode> divideErrors() {
        return Stream.of(file("div_fault"));
    }
}
