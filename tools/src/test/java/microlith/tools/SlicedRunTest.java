package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import microlith.hw.Machine;
import microlith.hw.MachineExit;
import microlith.kernel.Kernel;
import microlith.kernel.proc.InitArgs;
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
        byte[] image = Initramfs.standard().build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Machine m = new Machine(64L << 20, InputStream.nullInputStream(), out, OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream());
        Kernel k = new Kernel();
        m.boot(k, image, "init.stdin=uart0 init.stdout=uart0 init.stderr=uart1 serial.onlcr=0 model=" + model
            + " init=/bin/echo", new InitArgs(List.of("/bin/echo", "hello", "sliced"), InitArgs.DEFAULT_ENVP).encode());
        MachineExit e;
        int slices = 0;
        do {
            e = m.run(slice);
            slices++;
        } while (e.kind == MachineExit.Kind.LIMIT);
        assertThat(e.kind).as(String.join("\n", k.dmesg())).isEqualTo(MachineExit.Kind.POWER_OFF);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello sliced\n");
        assertThat(slices).isGreaterThan(1);
    }
}
