package microlith.hw.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import microlith.hw.cpu.InstructionVectorsTest.Vector;
import microlith.hw.cpu.decode.DecodedPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The instruction vectors recorded on the host CPU (see {@link InstructionVectorsTest}),
 * run through translated code: each vector runs once on the interpreter (which decodes its
 * instructions), then from the same state again, translated when first reached (a region
 * of the vector's instructions), so the bytecode the translator writes for every ALU,
 * shift, multiply, move and condition form, at every width and with memory operands, must
 * give the host's registers, memory and flags, and raise #DE where the host did.
 */
class TranslatedVectorsTest {
    /** Vectors whose instruction really ran as a translated block (the rest run their generic handler). */
    private static final AtomicInteger TRANSLATED = new AtomicInteger();

    /** Runs one vector translated; null when the CPU agrees with the host. */
    static String check(CpuFixture fx, Vector v) {
        Core c = fx.core;
        fx.translateFromFirstArrival();
        byte[] code = java.util.Arrays.copyOf(v.bytes, v.bytes.length + 1);
        code[v.bytes.length] = (byte) 0xF4; // HLT after the vector, where the block leaves
        fx.mem.writeBytes(CpuFixture.CODE, code, 0, code.length);
        InstructionVectorsTest.setState(fx, v);
        int count = 0;
        long end = CpuFixture.CODE + v.bytes.length;
        try {
            while (count < 8 && c.rip != end) {
                count++;
                c.stepRaw();
            }
        } catch (CpuException e) {
            // #DE vectors: the translated run must raise it too
        }
        InstructionVectorsTest.setState(fx, v);
        long exceptions = fx.perf.exceptions;
        c.run(count);
        DecodedPage page = fx.mem.codeCache[(int) (CpuFixture.CODE >>> 12)];
        if (page != null && page.insns[0] != null && page.insns[0].block != null) {
            TRANSLATED.incrementAndGet();
        }
        boolean faulted = fx.perf.exceptions != exceptions;
        if (v.divideError) {
            return faulted && c.rip == CpuFixture.handler(Vectors.DE) ? null : "no #DE";
        }
        if (faulted) {
            return "raised an exception, now at " + Long.toHexString(c.rip);
        }
        return InstructionVectorsTest.compare(fx, v);
    }

    private static DynamicTest form(String name, List<Vector> vectors) {
        return VectorFiles.form(name, vectors, TranslatedVectorsTest::check, v -> v.line);
    }

    private static DynamicContainer group(String title, List<Vector> all) {
        Map<String, List<Vector>> byName = new LinkedHashMap<>();
        for (Vector v : all) {
            byName.computeIfAbsent(v.name, k -> new ArrayList<>()).add(v);
        }
        List<DynamicNode> tests = new ArrayList<>();
        byName.forEach((name, list) -> tests.add(form(name, list)));
        return DynamicContainer.dynamicContainer(title, tests);
    }

    @TestFactory
    Stream<DynamicNode> vectors() {
        List<DynamicNode> files = new ArrayList<>();
        for (String f : InstructionVectorsTest.FILES) {
            files.add(group(f, InstructionVectorsTest.load(f)));
        }
        for (String f : new String[] {"alu", "unary", "shift", "shxd", "bit", "atomic"}) {
            List<Vector> mem = new ArrayList<>();
            for (Vector v : InstructionVectorsTest.load(f)) {
                Vector w = InstructionVectorsTest.memoryForm(v);
                if (w != null) {
                    mem.add(w);
                }
            }
            files.add(group("memory forms of " + f, mem));
        }
        files.add(group("div_fault", InstructionVectorsTest.load("div_fault")));
        return files.stream();
    }

    /** Most vectors are forms the translator writes inline: make sure they did run as blocks. */
    @AfterAll
    static void mostVectorsRanTranslated() {
        assertThat(TRANSLATED.get()).as("vectors that ran as translated blocks").isGreaterThan(10_000);
    }
}
