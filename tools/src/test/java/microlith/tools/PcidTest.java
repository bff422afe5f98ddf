package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The kernel's use of tagged TLBs (--pcid): switching back to an address space keeps its
 * translations, so there are fewer TLB misses per switch, counted; and a change to an
 * address space that is not loaded never leaves a stale translation behind.
 */
class PcidTest {

    private static long counter(Cli r, String name) {
        Matcher m = Pattern.compile("program: .*\\b" + name + "=(\\d+)").matcher(r.err);
        assertThat(m.find()).as(r.toString()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"monolithic", "hybrid", "microkernel"})
    void aCopyOnWriteBreakInAnAddressSpaceThatIsNotLoadedLeavesNoStaleEntry(String model) throws Exception {
        String motd = Files.readString(Path.of("../userland/etc/motd"));
        String expect = "child: " + motd.substring(0, Math.min(63, motd.length())) + "\n" + "parent: " + "p".repeat(64)
            + "\n";
        for (String pcid : List.of("--pcid=false", "--pcid")) {
            Cli r = Cli.run("run", "--model=" + model, pcid, "/bin/forkread", "/etc/motd");
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(r.out).as(model + " " + pcid).isEqualTo(expect);
        }
    }

    @Test
    void switchesBackToAnAddressSpaceKeepItsTranslations() {
        // A 1-byte pipe round trip between two processes: two address-space switches per round.
        Cli without = Cli.run("run", "--stats", "--pcid=false", "/bin/lat", "pipe", "2000");
        Cli with = Cli.run("run", "--stats", "--pcid", "/bin/lat", "pipe", "2000");
        assertThat(without.status).as(without.toString()).isZero();
        assertThat(with.status).as(with.toString()).isZero();
        assertThat(counter(with, "cr3_writes")).isEqualTo(counter(without, "cr3_writes"));
        assertThat(counter(with, "tlb_flushes")).isLessThan(counter(without, "tlb_flushes") / 10);
        assertThat(counter(with, "cycles")).isLessThan(counter(without, "cycles"));
    }

    @Test
    void aRoundTripTakesAtMostHalfTheMissesWithPcids() {
        // The program's start and end cost about a hundred misses either way; the difference
        // between 2,000 and 1,000 round trips leaves only the rounds: 6 misses per round
        // without PCIDs and none with them in the monolithic and hybrid models, 16 and 8 in
        // the microkernel model.
        long without = missesPer1000Rounds("--pcid=false");
        long with = missesPer1000Rounds("--pcid");
        assertThat(without).isGreaterThanOrEqualTo(6000);
        assertThat(with).isLessThanOrEqualTo(without / 2);
    }

    private static long missesPer1000Rounds(String pcid) {
        Cli small = Cli.run("run", "--stats", pcid, "/bin/lat", "pipe", "1000");
        Cli large = Cli.run("run", "--stats", pcid, "/bin/lat", "pipe", "2000");
        assertThat(small.status).as(small.toString()).isZero();
        assertThat(large.status).as(large.toString()).isZero();
        return counter(large, "tlb_misses") - counter(small, "tlb_misses");
    }

    @Test
    void theBootLogSaysPcidsAreOn() {
        Cli r = Cli.run("run", "--pcid", "/bin/dmesg");
        assertThat(r.out).contains("x86/mm: PCID on: 6 dynamic PCIDs");
        assertThat(Cli.run("run", "--pcid=false", "/bin/dmesg").out).doesNotContain("PCID on");
    }
}
