package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import microlith.hw.MachineExit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A host may stop the machine after any number of instructions and resume it (the fuzzer
 * does, to check every page table between slices): it stops only where the kernel is
 * consistent, never inside a kernel routine waiting on a server's reply. When it stopped
 * there, the microkernel model's boot failed ("built-in driver ramfs failed to load
 * (error -5)": the server's INIT call cut short), or the server's half-run context came
 * back with no task current and the kernel panicked.
 */
class SlicedRunTest {
    @ParameterizedTest(name = "{0}, slices of {1} instructions")
    @CsvSource({"microkernel, 1", "microkernel, 10", "microkernel, 1000", "hybrid, 10", "monolithic, 10"})
    void aMachineRunInSlicesRunsAsInOnePiece(String model, long slice) throws Exception {
        GuestMachine g = new GuestMachine(model, List.of("/bin/echo", "hello", "sliced"));
        MachineExit e = g.runInSlices(slice);
        assertThat(e.kind).as(g.log()).isEqualTo(MachineExit.Kind.POWER_OFF);
        assertThat(g.out()).isEqualTo("hello sliced\n");
        assertThat(g.machine.perf().instructions).isGreaterThan(slice);
    }
}
