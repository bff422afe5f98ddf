package microlith.hw.cpu.x87;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.VectorFiles;
import microlith.hw.cpu.x87.Float80;
import microlith.hw.cpu.x87.X87State;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the x87 vectors recorded on a real x86-64 CPU by {@code hw/src/test/c/gen_x87.c}
 * (format documented there). Each vector sets up the FPU (control word, stack contents),
 * RFLAGS and the 16 bytes at [RSI], runs the instruction bytes at CPL 3, and compares bit
 * for bit: the status word (exception flags, C0-C3, TOP, ES, B), the tag word, every
 * non-empty register, the memory bytes, the arithmetic RFLAGS and AX.
 */
class X87VectorsTest {
    private static final String[] FILES = {"arith", "compare", "unary", "stack", "load", "store"};
    private static final long FLAG_MASK = 0x8D5;

    /** One parsed vector line. */
    static final class Vector {
        final String line;
        final String name;
        final byte[] bytes;
        int cw;
        long flagsIn;
        final List<Float80> stIn = new ArrayList<>();
        byte[] memIn;
        int sw;
        int tw;
        long flagsOut;
        int ax;
        /** Expected contents of ST(0)..ST(7); null where the register is empty. */
        final Float80[] stOut = new Float80[8];
        byte[] memOut;

        Vector(String line) {
            this.line = line;
            String[] halves = line.split(" -> ");
            String[] left = halves[0].split(" ");
            name = left[0];
            bytes = CpuFixture.bytes(left[1]);
            for (int k = 2; k < left.length; k++) {
                String[] kv = left[k].split("=", 2);
                switch (kv[0]) {
                    case "cw": cw = Integer.parseInt(kv[1], 16); break;
                    case "fl": flagsIn = Long.parseLong(kv[1], 16); break;
                    case "mem": memIn = CpuFixture.bytes(kv[1]); break;
                    default:
                        for (String v : kv[1].isEmpty() ? new String[0] : kv[1].split(",")) {
                            stIn.add(parse80(v));
                        }
                }
            }
            for (String tok : halves[1].trim().split(" ")) {
                String[] kv = tok.split("=", 2);
                switch (kv[0]) {
                    case "sw": sw = Integer.parseInt(kv[1], 16); break;
                    case "tw": tw = Integer.parseInt(kv[1], 16); break;
                    case "fl": flagsOut = Long.parseLong(kv[1], 16); break;
                    case "ax": ax = Integer.parseInt(kv[1], 16); break;
                    case "mem": memOut = CpuFixture.bytes(kv[1]); break;
                    default:
                        for (String v : kv[1].isEmpty() ? new String[0] : kv[1].split(",")) {
                            String[] iv = v.split("=");
                            stOut[Integer.parseInt(iv[0])] = parse80(iv[1]);
                        }
                }
            }
        }
    }

    static Float80 parse80(String s) {
        String[] p = s.split(":");
        return new Float80(Integer.parseInt(p[0], 16), Long.parseUnsignedLong(p[1], 16));
    }

    static List<Vector> load(String file) {
        return VectorFiles.load("x87_" + file, Vector::new);
    }

    /** Returns a description of the mismatch, or null when the CPU agrees with the host. */
    static String check(CpuFixture fx, Vector v) {
        Core c = fx.core;
        fx.mem.writeBytes(CpuFixture.CODE, v.bytes, 0, v.bytes.length);
        setState(fx, v);
        try {
            c.stepRaw();
        } catch (CpuException e) {
            return "raised " + e.getMessage();
        }
        return compare(fx, v);
    }

    /**
     * The same vector inside a translated block: followed by a NOP (so the block has an
     * instruction of its own besides the x87 one, which runs its handler from the block),
     * run once on the interpreter to decode both, then from the same state translated.
     */
    static String checkTranslated(CpuFixture fx, Vector v) {
        Core c = fx.core;
        fx.translateFromFirstArrival();
        byte[] code = java.util.Arrays.copyOf(v.bytes, v.bytes.length + 2);
        code[v.bytes.length] = (byte) 0x90;
        code[v.bytes.length + 1] = (byte) 0xF4;
        fx.mem.writeBytes(CpuFixture.CODE, code, 0, code.length);
        setState(fx, v);
        try {
            c.stepRaw();
            c.stepRaw();
        } catch (CpuException e) {
            return "raised " + e.getMessage();
        }
        setState(fx, v);
        long exceptions = fx.perf.exceptions;
        c.run(2);
        if (fx.perf.exceptions != exceptions) {
            return "raised an exception in the block";
        }
        if (c.rip != CpuFixture.CODE + v.bytes.length + 1) {
            return "stopped at " + Long.toHexString(c.rip);
        }
        return compare(fx, v);
    }

    private static void setState(CpuFixture fx, Vector v) {
        Core c = fx.core;
        X87State s = c.x87;
        if (v.memIn != null) {
            fx.mem.writeBytes(CpuFixture.DATA, v.memIn, 0, 16);
        }
        java.util.Arrays.fill(c.r, 0);
        c.r[Cpu.RSI] = CpuFixture.DATA;
        fx.toUser();
        c.cpu.setRflags(0x202 | v.flagsIn);
        s.init();
        s.cw = v.cw;
        for (int k = v.stIn.size() - 1; k >= 0; k--) {
            s.push(v.stIn.get(k));
        }
        c.rip = CpuFixture.CODE;
    }

    private static String compare(CpuFixture fx, Vector v) {
        Core c = fx.core;
        X87State s = c.x87;
        StringBuilder sb = new StringBuilder();
        if (s.statusWord() != v.sw) {
            sb.append(String.format(" sw=%04x (expected %04x)", s.statusWord(), v.sw));
        }
        if (s.tagWord() != v.tw) {
            sb.append(String.format(" tw=%04x (expected %04x)", s.tagWord(), v.tw));
        }
        for (int k = 0; k < 8; k++) {
            if (v.stOut[k] != null && !s.isEmpty(k) && !s.st(k).equals(v.stOut[k])) {
                sb.append(String.format(" st%d=%s (expected %s)", k, s.st(k), v.stOut[k]));
            }
        }
        if ((c.cpu.rflags() & FLAG_MASK) != v.flagsOut) {
            sb.append(String.format(" fl=%x (expected %x)", c.cpu.rflags() & FLAG_MASK, v.flagsOut));
        }
        if ((c.r[Cpu.RAX] & 0xFFFF) != v.ax) {
            sb.append(String.format(" ax=%04x (expected %04x)", c.r[Cpu.RAX] & 0xFFFF, v.ax));
        }
        if (v.memOut != null) {
            byte[] got = new byte[16];
            fx.mem.readBytes(CpuFixture.DATA, got, 0, 16);
            if (!java.util.Arrays.equals(got, v.memOut)) {
                StringBuilder h = new StringBuilder();
                for (byte b : got) {
                    h.append(String.format("%02x", b & 0xFF));
                }
                sb.append(" mem=").append(h);
            }
        }
        return sb.length() == 0 ? null : sb.toString().trim();
    }

    private static DynamicContainer file(String file) {
        return file(file, X87VectorsTest::check);
    }

    private static DynamicContainer file(String file, java.util.function.BiFunction<CpuFixture, Vector, String> check) {
        Map<String, List<Vector>> byName = new LinkedHashMap<>();
        for (Vector v : load(file)) {
            byName.computeIfAbsent(v.name, k -> new ArrayList<>()).add(v);
        }
        List<DynamicNode> tests = new ArrayList<>();
        byName.forEach((name, list) -> tests.add(VectorFiles.form(name, list, check, x -> x.line)));
        return DynamicContainer.dynamicContainer("x87_" + file, tests);
    }

    @TestFactory
    Stream<DynamicNode> vectors() {
        List<DynamicNode> files = new ArrayList<>();
        for (String f : FILES) {
            files.add(file(f));
        }
        return files.stream();
    }

    /** The same vectors with the x87 instruction inside a translated block. */
    @TestFactory
    Stream<DynamicNode> translated() {
        List<DynamicNode> files = new ArrayList<>();
        for (String f : FILES) {
            files.add(file(f, X87VectorsTest::checkTranslated));
        }
        return files.stream();
    }
}
