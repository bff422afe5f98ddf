package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --model and --placement (ModelOptions), the one mixin run, boot and fuzz share: the
 * same checks and the same kernel command-line words whichever command carries them.
 */
class ModelOptionsTest {
    private static ModelOptions options(String model, String... placements) {
        ModelOptions o = new ModelOptions();
        o.model = model;
        o.placements = List.of(placements);
        return o;
    }

    @Test
    void theThreeModelsAndWellFormedPlacementsAreAccepted() {
        for (String m : List.of("monolithic", "microkernel", "hybrid")) {
            assertThat(options(m, "ringbuf=user", "ata=kernel").validate()).isNull();
        }
    }

    @Test
    void anythingElseGetsAOneLineComplaint() {
        assertThat(options("exokernel").validate()).isEqualTo("unknown model 'exokernel' (monolithic, microkernel or hybrid)");
        assertThat(options("hybrid", "ringbuf").validate()).isEqualTo("bad --placement 'ringbuf' (NAME=kernel or NAME=user)");
        assertThat(options("hybrid", "ringbuf=ring3").validate()).startsWith("bad --placement");
        // Module names are at most 55 characters, as the kernel's MODULE_NAME_LEN allows.
        assertThat(options("hybrid", "m".repeat(56) + "=user").validate()).startsWith("bad --placement");
        assertThat(options("hybrid", "a b=user").validate()).startsWith("bad --placement");
    }

    @Test
    void theChoiceTravelsAsKernelCommandLineWords() {
        assertThat(ModelOptions.words("hybrid", List.of("ringbuf=kernel", "ata=user")))
            .isEqualTo(" model=hybrid placement=ringbuf=kernel placement=ata=user");
        assertThat(ModelOptions.words("monolithic", List.of())).isEqualTo(" model=monolithic");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "boot", "fuzz"})
    void everyCommandThatBootsRefusesABadModelTheSameWay(String command) {
        Cli r = switch (command) {
            case "run" -> Cli.run(command, "--model=exokernel", "/bin/hello");
            case "fuzz" -> Cli.run(command, "--model=exokernel", "--calls=10");
            default -> Cli.run(command, "--model=exokernel");
        };
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).as(r.toString()).contains("unknown model 'exokernel'").doesNotContain("Exception");
        assertThat(r.err.strip().lines().count()).as(r.toString()).isEqualTo(1);
    }
}
