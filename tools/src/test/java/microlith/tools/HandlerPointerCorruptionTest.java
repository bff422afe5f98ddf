package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import microlith.hw.MachineExit;
import microlith.kernel.mm.Layout;
import org.junit.jupiter.api.Test;

/**
 * A ring-0 module's timer handler is called through its address as kernel memory holds it
 * (DESIGN.md invariant 3), so a kernel memory bug that overwrites it redirects the call. The
 * test plays the bug on hello.ko's timer while it is armed: pointed at hello's own exported
 * hello_add, the timer calls that instead of its handler; pointed at unmapped memory, the
 * call faults in the idle task, and the kernel panics.
 */
class HandlerPointerCorruptionTest {
    private static final String HELLO = "/lib/modules/6.1.0-microlith/kernel/hello.ko";
    private static final String SCRIPT = "insmod " + HELLO + " ticks=3 && grep hello_add /proc/kallsyms"
        + " && echo inserted && sleep 1 && rmmod hello; echo done";

    /** Runs the script until hello is loaded, replaces the timer's function pointer (given it and the output so far), runs to the end. */
    private static GuestMachine run(java.util.function.BiFunction<Long, String, Long> newPointer) throws Exception {
        GuestMachine g = new GuestMachine("monolithic", List.of("/bin/sh", "-c", SCRIPT));
        MachineExit e;
        do {
            e = g.machine.run(1_000);
        } while (e.kind == MachineExit.Kind.LIMIT && !g.out().contains("inserted"));
        List<Long> slots = g.kernel.timerFunctionSlots();
        assertThat(slots).as(g.log()).hasSize(1);
        long pa = Layout.pa(slots.get(0));
        g.machine.memory().write64(pa, newPointer.apply(g.machine.memory().read64(pa), g.out()));
        g.runInSlices(0);
        return g;
    }

    @Test
    void anUntouchedTimerTicks() throws Exception {
        GuestMachine g = run((pointer, out) -> pointer);
        assertThat(g.out()).as(g.log()).endsWith("inserted\ndone\n");
        assertThat(g.log()).contains("hello: tick 3 at jiffies").doesNotContain("Oops");
    }

    @Test
    void aTimerPointedAtAnotherFunctionCallsThatFunction() throws Exception {
        GuestMachine g = run((pointer, out) -> {
            Matcher m = Pattern.compile("([0-9a-f]{16}) T hello_add").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            return Long.parseUnsignedLong(m.group(1), 16);
        });
        assertThat(g.out()).as(g.log()).endsWith("inserted\ndone\n");
        assertThat(g.log())
            .doesNotContain("hello: tick")
            .contains("hello: Goodbye, world (hello_add was called 1 times)");
    }

    @Test
    void aTimerPointedAtUnmappedMemoryPanicsTheIdleKernel() throws Exception {
        // The timer fires while the shell sleeps: an oops with no task to kill, which is
        // fatal, as Linux's "Fatal exception in interrupt" is.
        GuestMachine g = run((pointer, out) -> 0xffffffffdead0000L);
        assertThat(g.out()).endsWith("inserted\n");
        assertThat(g.log())
            .doesNotContain("hello: tick")
            .contains("BUG: unable to handle page fault for address: ffffffffdead0000")
            .contains("#PF: supervisor instruction fetch in kernel mode")
            .contains("Kernel panic - not syncing: Fatal exception");
    }
}
