package microlith.hw.cpu.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.VectorFiles;
import microlith.hw.cpu.Vectors;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the SSE/SSE2 vectors recorded on a real x86-64 CPU by
 * {@code hw/src/test/c/gen_sse.c} (format documented there). Each vector runs at CPL 3 with
 * XMM0 = a, XMM1 = b, RAX = r, RSI pointing at the 16 bytes m in DATA, the given MXCSR and
 * RFLAGS; XMM0, XMM1, RAX, memory, MXCSR and RFLAGS must then match bit for bit (a field the
 * output omits must be unchanged). A vector may instead expect #GP or #XM (with the MXCSR
 * the exception handler would see and an unchanged destination).
 */
class SseVectorsTest {
    private static final String[] FILES = {"sse_move", "sse_int", "sse_arith", "sse_cmp", "sse_cvt", "sse_fault"};
    private static final long CR4_OSXMMEXCPT = 1L << 10;

    static final class Vector {
        final String line;
        final String name;
        final byte[] bytes;
        final Map<String, String> in = new HashMap<>();
        final Map<String, String> out = new HashMap<>();
        String fault;

        Vector(String line) {
            this.line = line;
            String[] halves = line.split(" ->", -1);
            String[] left = halves[0].trim().split(" ");
            name = left[0];
            bytes = CpuFixture.bytes(left[1]);
            for (int k = 2; k < left.length; k++) {
                String[] kv = left[k].split("=");
                in.put(kv[0], kv[1]);
            }
            for (String t : halves[1].trim().split(" ")) {
                if (t.startsWith("#")) {
                    fault = t;
                } else if (!t.isEmpty()) {
                    String[] kv = t.split("=");
                    out.put(kv[0], kv[1]);
                }
            }
        }

        /** Output value of a field, defaulting to its input value. */
        String expect(String key) {
            return out.getOrDefault(key, in.get(key));
        }
    }

    static List<Vector> load(String file) {
        return VectorFiles.load(file, Vector::new);
    }

    private static long[] x128(String hex) {
        BigInteger v = new BigInteger(hex, 16);
        return new long[] {v.longValue(), v.shiftRight(64).longValue()};
    }

    private static String hex128(long lo, long hi) {
        return String.format("%016x%016x", hi, lo);
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }

    /** Returns a description of the mismatch, or null when the simulated CPU agrees. */
    static String check(CpuFixture fx, Vector v) {
        fx.mem.writeBytes(CpuFixture.CODE, v.bytes, 0, v.bytes.length);
        setState(fx, v);
        return compare(fx, v, fx.stepCatching());
    }

    /**
     * The same vector run as a translated block: once on the interpreter (which decodes
     * it), then from the same state again, translated when first reached; an exception is
     * delivered through the fixture's IDT, and its vector told by the handler reached.
     */
    static String checkTranslated(CpuFixture fx, Vector v) {
        Core c = fx.core;
        fx.translateFromFirstArrival();
        byte[] code = java.util.Arrays.copyOf(v.bytes, v.bytes.length + 1);
        code[v.bytes.length] = (byte) 0xF4;
        fx.mem.writeBytes(CpuFixture.CODE, code, 0, code.length);
        setState(fx, v);
        fx.stepCatching();
        setState(fx, v);
        long exceptions = fx.perf.exceptions;
        c.run(1);
        CpuException ex = null;
        if (fx.perf.exceptions != exceptions) {
            int vector = (int) ((c.rip - CpuFixture.HANDLERS) / 16);
            ex = new CpuException(vector, false, 0, 0);
            c.rip = CpuFixture.CODE;
        }
        return compare(fx, v, ex);
    }

    /** Memory, registers, MXCSR and flags of a vector, at CPL 3 with RIP at its code. */
    private static void setState(CpuFixture fx, Vector v) {
        Core c = fx.core;
        int off = v.in.containsKey("o") ? (int) hex(v.in.get("o")) : 0;
        long data = CpuFixture.DATA;
        fx.mem.fill(data, 64, (byte) 0);
        long[] m = v.in.containsKey("m") ? x128(v.in.get("m")) : new long[2];
        fx.mem.write64(data + off, m[0]);
        fx.mem.write64(data + off + 8, m[1]);
        java.util.Arrays.fill(c.r, 0);
        java.util.Arrays.fill(c.xmm, 0);
        long[] a = x128(v.in.get("a"));
        long[] b = x128(v.in.get("b"));
        c.cpu.setXmm(0, a[0], a[1]);
        c.cpu.setXmm(1, b[0], b[1]);
        c.r[Cpu.RAX] = v.in.containsKey("r") ? hex(v.in.get("r")) : 0;
        c.r[Cpu.RSI] = data + off;
        c.mxcsr = (int) hex(v.in.get("mx"));
        c.cr4 |= CR4_OSXMMEXCPT;
        fx.toUser();
        c.cpu.setRflags(hex(v.in.get("f")));
        c.rip = CpuFixture.CODE;
    }

    /** What differs from the host after the vector ran (raising ex, or null), or null. */
    private static String compare(CpuFixture fx, Vector v, CpuException ex) {
        Core c = fx.core;
        int off = v.in.containsKey("o") ? (int) hex(v.in.get("o")) : 0;
        long data = CpuFixture.DATA;
        StringBuilder sb = new StringBuilder();
        if (v.fault != null) {
            int want = v.fault.equals("#GP") ? Vectors.GP : Vectors.XM;
            if (ex == null || ex.vector != want) {
                return "expected " + v.fault + ", got " + (ex == null ? "no exception" : ex.getMessage());
            }
            if (v.out.containsKey("mx") && c.mxcsr != (int) hex(v.out.get("mx"))) {
                sb.append(String.format(" mx=%x (expected %s)", c.mxcsr, v.out.get("mx")));
            }
            if (!hex128(c.xmm[0], c.xmm[1]).equals(v.expect("a"))) {
                sb.append(" a=").append(hex128(c.xmm[0], c.xmm[1])).append(" (changed)");
            }
            return sb.length() == 0 ? null : sb.toString().trim();
        }
        if (ex != null) {
            return "raised " + ex.getMessage();
        }
        if (c.rip != CpuFixture.CODE + v.bytes.length) {
            sb.append(String.format(" rip=%x", c.rip));
        }
        compare128(sb, "a", c.xmm[0], c.xmm[1], v);
        compare128(sb, "b", c.xmm[2], c.xmm[3], v);
        long r = c.r[Cpu.RAX];
        long wantR = v.expect("r") == null ? 0 : hex(v.expect("r"));
        if (r != wantR) {
            sb.append(String.format(" r=%x (expected %x)", r, wantR));
        }
        if (v.in.containsKey("m")) {
            compare128(sb, "m", fx.mem.read64(data + off), fx.mem.read64(data + off + 8), v);
        }
        if (c.mxcsr != (int) hex(v.expect("mx"))) {
            sb.append(String.format(" mx=%x (expected %s)", c.mxcsr, v.expect("mx")));
        }
        long fl = c.cpu.rflags() & 0x8d5;
        if (fl != (hex(v.expect("f")) & 0x8d5)) {
            sb.append(String.format(" f=%x (expected %s)", fl, v.expect("f")));
        }
        return sb.length() == 0 ? null : sb.toString().trim();
    }

    private static void compare128(StringBuilder sb, String key, long lo, long hi, Vector v) {
        String got = hex128(lo, hi);
        String want = String.format("%032x", new BigInteger(v.expect(key), 16));
        if (!got.equals(want)) {
            sb.append(' ').append(key).append('=').append(got).append(" (expected ").append(want).append(')');
        }
    }

    @TestFactory
    Stream<DynamicNode> vectors() {
        return byFile(SseVectorsTest::check);
    }

    /** The same vectors through translated code (see {@link #checkTranslated}). */
    @TestFactory
    Stream<DynamicNode> translated() {
        return byFile(SseVectorsTest::checkTranslated);
    }

    private static Stream<DynamicNode> byFile(java.util.function.BiFunction<CpuFixture, Vector, String> check) {
        List<DynamicNode> files = new ArrayList<>();
        for (String f : FILES) {
            Map<String, List<Vector>> byName = new LinkedHashMap<>();
            for (Vector v : load(f)) {
                byName.computeIfAbsent(v.name, k -> new ArrayList<>()).add(v);
            }
            List<DynamicNode> tests = new ArrayList<>();
            byName.forEach((name, list) -> tests.add(VectorFiles.form(name, list, check, v -> v.line)));
            files.add(DynamicContainer.dynamicContainer(f, tests));
        }
        return files.stream();
    }
}
