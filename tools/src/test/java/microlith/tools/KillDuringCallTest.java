package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import microlith.hw.MachineExit;
import microlith.kernel.Census;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process killed (by its own POSIX timer's SIGKILL) while its system call waits for a
 * server's reply dies only once the call is over. In the microkernel model the kill used
 * to tear the process down at once, in the tick taken while the ramfs server served its
 * read: its files were closed under the read, the last close's eviction was refused by
 * the busy server ("would deadlock"), and every such file stayed in the server's heap;
 * its address space was freed while the read still had to copy into it.
 */
class KillDuringCallTest {
    private static final Path PROGRAM = Path.of("..", "userland", "tests", "build", "guest", "killcall");

    @BeforeAll
    static void build() throws Exception {
        GuestProgramsTest.build();
        assumeTrue(Files.isExecutable(PROGRAM), "musl-gcc is not installed; guest programs not built");
    }

    private static GuestMachine run(String model, int children) throws Exception {
        GuestMachine g = new GuestMachine(model, List.of(PROGRAM.toString(), Integer.toString(children)));
        MachineExit e = g.runInSlices(0);
        assertThat(e.kind).as(g.log()).isEqualTo(MachineExit.Kind.POWER_OFF);
        return g;
    }

    @ParameterizedTest
    @ValueSource(strings = {"microkernel", "hybrid", "monolithic"})
    void aProcessKilledDuringAServersCallLeavesNothingBehind(String model) throws Exception {
        Census none = run(model, 0).kernel.census();
        GuestMachine g = run(model, 10);
        assertThat(g.out()).isEqualTo("10 of 10 killed by their timers\n");
        assertThat(g.log()).doesNotContain("would deadlock");
        assertThat(g.kernel.census().differences(none)).as(g.log()).isEmpty();
    }
}
