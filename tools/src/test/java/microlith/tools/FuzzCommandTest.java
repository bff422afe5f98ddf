package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code microlith fuzz} from the command line: the figures and the exit status. */
class FuzzCommandTest {
    @Test
    void aSmallCampaignReportsItsFiguresAndExitsZero() {
        Cli r = Cli.run("fuzz", "--seed=11", "--calls=800", "--users=user", "--table");
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("microlith fuzz: seed 11", "calls issued", "distinct syscalls", "outcomes",
            "kernel panics          0", "host exceptions        0", "machine hangs          0", "leaks                  0",
            "page-table checks").containsPattern("\\n  read calls=|\\n  read ");
    }

    @Test
    void badOptionsAreRefused() {
        assertThat(Cli.run("fuzz", "--users=nobody").status).isEqualTo(2);
        assertThat(Cli.run("fuzz", "--per-child=0").status).isEqualTo(2);
        assertThat(Cli.run("fuzz", "--memory=1M").status).isEqualTo(2);
    }
}
