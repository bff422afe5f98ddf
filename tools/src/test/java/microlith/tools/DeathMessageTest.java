package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A program killed by a signal under run: the shell's status and the one line a shell prints. */
class DeathMessageTest {
    @Test
    void aSegfaultSaysSoAndKeepsStatus139() {
        Cli r = Cli.run("run", "/bin/probe", "null");
        assertThat(r.status).as(r.toString()).isEqualTo(139);
        assertThat(r.err).isEqualTo("Segmentation fault\n");
    }

    @Test
    void theOutOfMemoryKillerIsNamed() {
        // tail keeps its whole input in memory: 30 MB of it cannot fit in a 16 MiB machine.
        Cli r = Cli.withBytes(new byte[30_000_000], "run", "--memory=16M", "/bin/tail", "-n", "1");
        assertThat(r.status).as(r.toString()).isEqualTo(137);
        assertThat(r.err).isEqualTo("Killed (out of memory)\n");
    }

    @Test
    void otherSignalsAreNamedAsAShellNamesThem() {
        Cli kill = Cli.run("run", "/bin/sh", "-c", "kill -9 $$");
        assertThat(kill.status).isEqualTo(137);
        assertThat(kill.err).isEqualTo("Killed\n");
        Cli term = Cli.run("run", "/bin/sh", "-c", "kill $$");
        assertThat(term.status).isEqualTo(143);
        assertThat(term.err).isEqualTo("Terminated\n");
    }

    @Test
    void interruptAndBrokenPipeStaySilentAsInAShell() {
        Cli r = Cli.run("run", "/bin/sh", "-c", "kill -INT $$");
        assertThat(r.status).isEqualTo(130);
        assertThat(r.err).isEmpty();
    }

    @Test
    void anExitStatusAbove128IsNotADeath() {
        Cli r = Cli.run("run", "/bin/sh", "-c", "exit 139");
        assertThat(r.status).isEqualTo(139);
        assertThat(r.err).isEmpty();
    }
}
