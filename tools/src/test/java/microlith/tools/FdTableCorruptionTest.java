package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import microlith.hw.MachineExit;
import microlith.hw.PhysicalMemory;
import microlith.kernel.mm.Layout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process's descriptor table lives in kernel memory (DESIGN.md invariant 3), so a kernel
 * memory bug that writes to it has the effect it would have on Linux. The test plays the
 * bug: while fdcorrupt pauses with two files open, it rewrites the process's table the way
 * a wild write would, and the program's next calls show the consequence. The table is the
 * kernel's own in every model, so each runs in all three.
 */
class FdTableCorruptionTest {
    private static final Path PROGRAM = Path.of("..", "userland", "tests", "build", "guest", "fdcorrupt");

    @BeforeAll
    static void build() throws Exception {
        GuestProgramsTest.build();
        assumeTrue(Files.isExecutable(PROGRAM), "musl-gcc is not installed; guest programs not built");
    }

    /** Runs fdcorrupt to its pause, lets edit change the table (its physical address), runs it to the end. */
    private static GuestMachine run(String model, java.util.function.BiConsumer<PhysicalMemory, Long> edit)
        throws Exception {
        GuestMachine g = new GuestMachine(model, List.of(PROGRAM.toString()));
        MachineExit e;
        do {
            e = g.machine.run(20_000);
        } while (e.kind == MachineExit.Kind.LIMIT && !g.out().contains("ready"));
        assertThat(g.out()).as(g.log()).isEqualTo("ready 3 4\n");
        long table = g.kernel.descriptorTable(1);
        assertThat(table).isNotZero();
        edit.accept(g.machine.memory(), Layout.pa(table));
        g.runInSlices(0);
        return g;
    }

    @ParameterizedTest
    @ValueSource(strings = {"monolithic", "microkernel", "hybrid"})
    void aDescriptorPointedAtAnotherFileReadsThatFile(String model) throws Exception {
        GuestMachine g = run(model, (mem, pa) -> mem.write64(pa + 3 * 8, mem.read64(pa + 4 * 8)));
        // Both descriptors now share one struct file whose count says one: the first close
        // frees it, and the second descriptor's pointer is left dangling.
        assertThat(g.out()).isEqualTo("ready 3 4\nfd 3 reads 4: BBBB\n");
        assertThat(g.log())
            .contains("kernel BUG at fs/file.c: fd 4 points to ffff")
            .contains("#UD: invalid_op")
            .contains("Oops")
            .contains("close_files: fd 4 points to ffff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"monolithic", "microkernel", "hybrid"})
    void aGarbagePointerIsAKernelOopsAndOnlyTheCallerDies(String model) throws Exception {
        GuestMachine g = run(model, (mem, pa) -> mem.write64(pa + 3 * 8, 0xdead4ead00000000L));
        assertThat(g.out()).isEqualTo("ready 3 4\n");
        assertThat(g.log())
            .contains("general_protection")
            .contains("Oops")
            .contains("close_files: fd 3 points to dead4ead00000000, not a struct file; skipped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"monolithic", "microkernel", "hybrid"})
    void aCloseOnExecBitAndACountAreMemoryToo(String model) throws Exception {
        // f_count of fd 4's struct file written to 2: closing fd 4 leaves it allocated (a leak
        // a census would see), and nothing else changes for the program.
        GuestMachine g = run(model, (mem, pa) -> mem.write64(Layout.pa(mem.read64(pa + 4 * 8)) + 8, 2));
        assertThat(g.out()).isEqualTo("ready 3 4\nfd 3 reads 4: AAAA\nclose 0 0\n");
        assertThat(g.log()).doesNotContain("Oops");
    }
}
