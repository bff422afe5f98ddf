package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The mitigations' switches as the guest sees them: KASLR's layout per seed (and its
 * absence with nokaslr), kernel addresses hidden from an unprivileged user, the CPU
 * features /proc/cpuinfo reports, and what noexec=off does to a user stack.
 */
class MitigationsTest {
    private static final long LINK = 0xffffffff81000000L, MODULES = 0xffffffffa0000000L, TWO_MIB = 2L << 20;
    private static final Pattern KASLR = Pattern.compile(
        "KASLR: kernel text at 0x([0-9a-f]+) \\(offset 0x([0-9a-f]+)\\), modules from 0x([0-9a-f]+)");

    @TempDir
    static Path tmp;

    private static Cli shell(String script, String... options) throws IOException {
        Path file = Files.createTempFile(tmp, "m", ".sh");
        Files.writeString(file, "exec 2>&1\n" + script);
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(options));
        args.addAll(List.of("--add", file.toString(), "/bin/sh", "/host/" + file.getFileName()));
        return Cli.run(args.toArray(String[]::new));
    }

    private static long symbol(String text, String name) {
        Matcher m = Pattern.compile("(?m)^([0-9a-f]{16}) T " + name + "$").matcher(text);
        assertThat(m.find()).as(name + " in\n" + text).isTrue();
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /** The live printk (root's /proc/kallsyms), System.map's, and the boot log's KASLR line. */
    private static long[] layout(String... options) throws IOException {
        Cli r = shell("echo '== live'\ngrep ' T printk$' /proc/kallsyms\n"
            + "echo '== map'\ngrep ' T printk$' /boot/System.map-6.1.0-microlith\n"
            + "echo '== log'\ndmesg | grep KASLR\n", options);
        String live = r.out.substring(r.out.indexOf("== live"), r.out.indexOf("== map"));
        String map = r.out.substring(r.out.indexOf("== map"), r.out.indexOf("== log"));
        Matcher m = KASLR.matcher(r.out);
        boolean on = m.find();
        return new long[] {symbol(live, "printk"), symbol(map, "printk"), on ? 1 : 0,
            on ? Long.parseUnsignedLong(m.group(2), 16) : 0, on ? Long.parseUnsignedLong(m.group(3), 16) : 0};
    }

    @Test
    void kaslrSlidesTheKernelBy2MiBStepsFromTheSeed() throws IOException {
        long[] a = layout();
        long[] again = layout();
        assertThat(again).as("the same seed, the same layout").containsExactly(a);
        assertThat(a[2]).as("KASLR on by default").isEqualTo(1);
        assertThat(a[1]).as("System.map is the link-time address").isBetween(LINK, LINK + 0x100000);
        assertThat(a[0] - a[1]).as("printk moved by the logged offset").isEqualTo(a[3]);
        assertThat(a[3] % TWO_MIB).isZero();
        assertThat(Long.compareUnsigned(a[0], MODULES)).as("below the module area").isNegative();
        long pages = (a[4] - MODULES) / 4096;
        assertThat(pages).as("module area offset in pages").isBetween(1L, 1024L);
        HashSet<Long> slides = new HashSet<>();
        for (String seed : new String[] {"1", "2", "3", "27756"}) {
            slides.add(layout("--seed=" + seed)[3]);
        }
        assertThat(slides).as("four seeds, four layouts").hasSize(4);
    }

    @Test
    void nokaslrRunsTheKernelAtItsLinkAddress() throws IOException {
        long[] a = layout("--mitigations=smep,smap,nx");
        assertThat(a[2]).isZero();
        assertThat(a[0]).isEqualTo(a[1]);
        Cli r = shell("insmod /lib/modules/6.1.0-microlith/kernel/hello.ko\ngrep hello_add /proc/kallsyms\n",
            "--mitigations=none");
        assertThat(r.out).as(r.toString()).containsPattern("ffffffffa00[0-9a-f]{5} T hello_add\t\\[hello\\]");
    }

    @Test
    void anUnprivilegedUserSeesNoKernelAddress() throws IOException {
        Cli r = shell("insmod /lib/modules/6.1.0-microlith/kernel/hello.ko\n"
            + "su -c 'dmesg; echo \"dmesg $?\"; grep -c -v \"^0000000000000000 \" /proc/kallsyms; cat /proc/modules' user\n");
        assertThat(r.out).as(r.toString()).contains("dmesg: read kernel buffer failed: Operation not permitted\n",
            "dmesg 1\n", "\n0\n", "hello 12288 0 - Live 0x0000000000000000 [");
    }

    @ParameterizedTest(name = "--mitigations={0}")
    @CsvSource(delimiter = '|', value = {
        "all        | SMEP activated, SMAP activated | ' smep invpcid smap\n'",
        "smap,kaslr | SMEP disabled, SMAP activated  | ' invpcid smap\n'",
        "kaslr,nx   | SMEP disabled, SMAP disabled   | ' abm invpcid\n'",
    })
    void cpuinfoListsOnlyTheFeaturesInUse(String set, String log, String flagsEnd) throws IOException {
        Cli r = shell("grep flags /proc/cpuinfo\ndmesg | grep x86/cpu\n", "--mitigations=" + set);
        assertThat(r.out).as(r.toString()).contains(flagsEnd.replace("\\n", "\n"), "x86/cpu: " + log);
    }

    @Test
    void noexecOffMakesTheUserStackExecutableToo() throws IOException {
        Cli off = Cli.run("run", "--mitigations=smep,smap,kaslr", "/bin/probe", "nx");
        assertThat(off.out).as(off.toString()).isEqualTo("probe: nx\nprobe: nx did not fault\n");
        assertThat(off.status).isEqualTo(1);
        Cli on = Cli.run("run", "/bin/probe", "nx");
        assertThat(on.status).as(on.toString()).isEqualTo(139);
    }
}
