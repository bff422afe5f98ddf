package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import microlith.tools.kmod.BadModules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loadable modules end to end, driven from the guest's shell as a user would: insmod,
 * lsmod, rmmod, modprobe and the sample modules' devices, then every broken module the
 * loader must refuse without leaking kernel memory or leaving anything behind.
 */
class ModulesTest {
    private static final String KMOD = "/lib/modules/6.1.0-microlith/kernel/";

    @TempDir
    static Path tmp;
    private static Path fixtures;

    @BeforeAll
    static void writeFixtures() throws IOException {
        fixtures = BadModules.writeAll(Files.createDirectories(tmp.resolve("ko")));
    }

    /** Runs script with /bin/sh as init (root), stderr merged into stdout in order. */
    private static Cli shell(String script, String... hostFiles) throws IOException {
        Path file = Files.createTempFile(tmp, "script", ".sh");
        Files.writeString(file, "exec 2>&1\n" + script);
        List<String> args = new ArrayList<>(List.of("run"));
        for (String f : hostFiles) {
            args.add("--add");
            args.add(fixtures.resolve(f).toString());
        }
        args.addAll(List.of("--add", file.toString(), "/bin/sh", "/host/" + file.getFileName()));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The lines after "== name" up to the next "== " marker. */
    private static String section(String out, String name) {
        int start = out.indexOf("== " + name + "\n");
        assertThat(start).as("section " + name + " in\n" + out).isGreaterThanOrEqualTo(0);
        start += name.length() + 4;
        int end = out.indexOf("== ", start);
        return out.substring(start, end < 0 ? out.length() : end);
    }

    /** lsmod's module lines (without the header). */
    private static List<String> lsmodLines(String text) {
        List<String> mods = new ArrayList<>();
        boolean inTable = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("Module ")) {
                inTable = true;
            } else if (inTable && line.matches("\\w+\\s+\\d+\\s+\\d+.*")) {
                mods.add(line);
            }
        }
        return mods;
    }

    @Test
    void helloLoadsWithParametersAndUnloads() throws IOException {
        Cli r = shell("insmod " + KMOD + "hello.ko whom=student times=2; echo \"insmod status $?\"\n"
            + "echo '== loaded'\nlsmod\n"
            + "echo '== whom'\ncat /sys/module/hello/parameters/whom\n"
            + "echo '== times'\ncat /sys/module/hello/parameters/times\n"
            + "echo '== unload'\nrmmod hello; echo \"rmmod status $?\"\nlsmod\n"
            + "echo '== dmesg'\ndmesg | grep hello:\n");
        assertThat(r.out).as(r.toString()).contains("insmod status 0", "rmmod status 0");
        assertThat(lsmodLines(section(r.out, "loaded"))).singleElement().asString().matches("hello\\s+\\d+\\s+0\\s*");
        assertThat(section(r.out, "whom")).isEqualTo("student\n");
        assertThat(section(r.out, "times")).isEqualTo("2\n");
        assertThat(lsmodLines(section(r.out, "unload"))).isEmpty();
        String dmesg = section(r.out, "dmesg");
        assertThat(dmesg.split("hello: Hello, student!", -1)).as(dmesg).hasSize(3);
        assertThat(dmesg).contains("hello: Goodbye, student (hello_add was called 0 times)");
    }

    @Test
    void aModuleTimerFiresOnSimulatedTimeAndStopsAtUnload() throws IOException {
        Cli r = shell("insmod " + KMOD + "hello.ko ticks=3\nsleep 1\n"
            + "echo '== ticks'\ndmesg | grep 'hello: tick'\nrmmod hello\n"
            + "echo '== again'\ninsmod " + KMOD + "hello.ko ticks=5\nrmmod hello\nsleep 1\ndmesg | grep -c 'hello: tick'\n");
        assertThat(section(r.out, "ticks")).as(r.toString()).matches(
            "(?s)\\[[ 0-9.]+\\] hello: tick 1 at jiffies (\\d+)\n\\[[ 0-9.]+\\] hello: tick 2 at jiffies \\d+\n"
                + "\\[[ 0-9.]+\\] hello: tick 3 at jiffies \\d+\n");
        String[] j = section(r.out, "ticks").replaceAll("(?m)^.*jiffies ", "").trim().split("\n");
        assertThat(Long.parseLong(j[1]) - Long.parseLong(j[0])).isEqualTo(10);
        assertThat(Long.parseLong(j[2]) - Long.parseLong(j[1])).isEqualTo(10);
        // Unloaded before its first tick: the timer is gone with the module.
        assertThat(section(r.out, "again").trim()).isEqualTo("3");
    }

    @Test
    void rootChangesAWritableParameterThroughSysfs() throws IOException {
        Cli r = shell("insmod " + KMOD + "hello.ko\n"
            + "echo 7 > /sys/module/hello/parameters/times; echo \"w1 $?\"\n"
            + "echo bob > /sys/module/hello/parameters/whom; echo \"w2 $?\"\n"
            + "echo seven > /sys/module/hello/parameters/times; echo \"w3 $?\"\n"
            + "echo '== values'\ncat /sys/module/hello/parameters/times /sys/module/hello/parameters/whom\n"
            + "echo '== modes'\nls -l /sys/module/hello/parameters\n");
        assertThat(r.out).as(r.toString()).contains("w1 0", "Permission denied", "w2 1",
            "echo: write error: Invalid argument", "w3 1");
        assertThat(section(r.out, "values")).isEqualTo("7\nworld\n");
        assertThat(section(r.out, "modes")).contains("-rw-r--r-- 1 root root", "-r--r--r-- 1 root root");
    }

    @Test
    void modinfoShowsTheManifestAndTheParametersModpostFound() throws IOException {
        Cli r = shell("modinfo hello\necho '== p'\nmodinfo -p ringbuf\n");
        assertThat(r.out).as(r.toString()).contains("license:        GPL\n", "name:           hello\n",
            "vermagic:       6.1.0-microlith\n", "parm:           whom:Who to greet (charp)\n",
            "parm:           times:How many greetings to print at load (long)\n");
        assertThat(section(r.out, "p")).isEqualTo("size:Ring buffer size in bytes (long)\n");
    }

    @Test
    void modprobeLoadsDependenciesFirstAndRmmodRefusesAModuleInUse() throws IOException {
        Cli r = shell("modprobe hello_user; echo \"modprobe status $?\"\n"
            + "echo '== loaded'\nlsmod\n"
            + "echo '== busy'\nrmmod hello; echo \"rmmod status $?\"\nlsmod\n"
            + "echo '== unload'\nrmmod hello_user && rmmod hello; echo \"rmmod status $?\"\nlsmod\n"
            + "echo '== modinfo'\nmodinfo hello_user\n"
            + "echo '== dmesg'\ndmesg | grep hello\n");
        assertThat(r.out).as(r.toString()).contains("modprobe status 0");
        assertThat(section(r.out, "modinfo")).contains("name:           hello_user\n", "depends:        hello\n",
            "license:        GPL\n", "vermagic:       6.1.0-microlith\n");
        List<String> loaded = lsmodLines(section(r.out, "loaded"));
        assertThat(loaded).as(r.out).hasSize(2);
        assertThat(loaded).anyMatch(l -> l.matches("hello_user\\s+\\d+\\s+0\\s*"));
        assertThat(loaded).anyMatch(l -> l.matches("hello\\s+\\d+\\s+1 hello_user\\s*"));
        String busy = section(r.out, "busy");
        assertThat(busy).as(r.out).contains("rmmod: ERROR: Module hello is in use by: hello_user", "rmmod status 1");
        assertThat(lsmodLines(busy)).hasSize(2);
        assertThat(section(r.out, "unload")).contains("rmmod status 0");
        assertThat(lsmodLines(section(r.out, "unload"))).isEmpty();
        String dmesg = section(r.out, "dmesg");
        assertThat(dmesg).contains("hello: Hello, world!", "hello_user: hello_add(40, 2) = 42", "hello_user: Goodbye",
            "hello: Goodbye, world (hello_add was called 1 times)");
        assertThat(dmesg.indexOf("hello: Hello, world!")).isLessThan(dmesg.indexOf("hello_user: hello_add"));
    }

    @Test
    void ringbufStoresBytesInKernelMemoryWithIoctlsAndPoll() throws IOException {
        Cli r = shell("insmod " + KMOD + "ringbuf.ko size=64; echo \"insmod status $?\"\n"
            + "echo '== empty'\ncat /proc/ringbuf\nringctl size\nringctl poll\nringctl read 100\n"
            + "echo '== one'\necho hello ring > /dev/ringbuf\ncat /proc/ringbuf\nringctl poll\nringctl read 100\n"
            + "echo '== clear'\necho abc > /dev/ringbuf\nringctl clear\nringctl poll\nringctl read 100\n"
            // A poller sleeps on the readers' queue until a writer wakes it.
            + "echo '== wakeup'\nringctl poll 100 in\nringctl poll 5000 in > /tmp/p &\nsleep 0.1\n"
            + "echo x > /dev/ringbuf\nwait\ncat /tmp/p\nringctl read 100\n"
            + "echo '== errors'\nringctl ioctl 0x80047201 16\nringctl ioctl 0x7203\n"
            // 80 bytes into a 64-byte ring: the writer gets 64 in, then waits for the reader.
            + "echo '== full'\nyes | head -n 40 > /dev/ringbuf &\nsleep 0.1\ncat /proc/ringbuf\nringctl poll\n"
            + "ringctl read 100 | wc -c\nwait\ncat /proc/ringbuf\nringctl read 100 | wc -c\n"
            + "echo '== size'\nrmmod ringbuf\ninsmod " + KMOD + "ringbuf.ko\nringctl size\n"
            + "echo '== sysfs'\ncat /sys/module/ringbuf/parameters/size\nrmmod ringbuf; echo \"rmmod status $?\"\n"
            + "ls /dev/ringbuf /proc/ringbuf\n");
        assertThat(r.out).as(r.toString()).contains("insmod status 0");
        assertThat(section(r.out, "empty")).isEqualTo("size: 64\nused: 0\nreaders_waiting: 0\n64\nPOLLOUT\nEAGAIN\n");
        assertThat(section(r.out, "one")).isEqualTo("size: 64\nused: 11\nreaders_waiting: 0\nPOLLIN POLLOUT\nhello ring\n");
        assertThat(section(r.out, "clear")).isEqualTo("POLLOUT\nEAGAIN\n");
        assertThat(section(r.out, "wakeup")).isEqualTo("timeout\nPOLLIN\nx\n");
        assertThat(section(r.out, "errors")).isEqualTo(
            "ringctl: ioctl 0x80047201: Bad address\nringctl: ioctl 0x7203: Inappropriate ioctl for device\n");
        assertThat(section(r.out, "full")).isEqualTo(
            "size: 64\nused: 64\nreaders_waiting: 0\nPOLLIN\n64\nsize: 64\nused: 16\nreaders_waiting: 0\n16\n");
        assertThat(section(r.out, "size")).isEqualTo("4096\n");
        assertThat(section(r.out, "sysfs")).startsWith("4096\nrmmod status 0\n")
            .contains("ls: cannot access '/dev/ringbuf': No such file or directory",
                "ls: cannot access '/proc/ringbuf': No such file or directory");
    }

    @Test
    void ringbufCannotBeRemovedWhileAProcessHasItOpen() throws IOException {
        Cli r = shell("insmod " + KMOD + "ringbuf.ko\n"
            // head reads once (blocking until the write below), prints the line and exits.
            + "head -n 1 /dev/ringbuf > /tmp/got &\nsleep 0.1\n"
            + "echo '== waiting'\ncat /proc/ringbuf\nlsmod\n"
            + "echo '== busy'\nrmmod ringbuf; echo \"rmmod status $?\"\n"
            + "echo '== wake'\necho wake-up > /dev/ringbuf\nwait\ncat /tmp/got\n"
            + "rmmod ringbuf; echo \"rmmod status $?\"\nlsmod\n");
        String waiting = section(r.out, "waiting");
        assertThat(waiting).as(r.toString()).contains("readers_waiting: 1");
        assertThat(lsmodLines(waiting)).singleElement().asString().matches("ringbuf\\s+\\d+\\s+1\\s*");
        assertThat(section(r.out, "busy")).isEqualTo("rmmod: ERROR: Module ringbuf is in use\nrmmod status 1\n");
        String wake = section(r.out, "wake");
        assertThat(wake).startsWith("wake-up\n").contains("rmmod status 0");
        assertThat(lsmodLines(wake)).isEmpty();
    }

    @Test
    void onlyRootLoadsModulesAndSeesSymbolAddresses() throws IOException {
        Cli r = shell("insmod " + KMOD + "hello.ko\n"
            + "echo '== user'\nsu -c 'insmod " + KMOD + "ringbuf.ko; echo \"insmod status $?\"; rmmod hello; "
            + "echo \"rmmod status $?\"; grep -c -v \"^0000000000000000 \" /proc/kallsyms; "
            + "grep hello_add /proc/kallsyms' user\n"
            + "echo '== root'\nlsmod\ngrep \" T \" /proc/kallsyms\n");
        String user = section(r.out, "user");
        assertThat(user).as(r.toString()).contains(
            "insmod: ERROR: could not insert module " + KMOD + "ringbuf.ko: Operation not permitted",
            "insmod status 1",
            "rmmod: ERROR: could not remove module hello: Operation not permitted",
            "rmmod status 1",
            "0000000000000000 T hello_add\t[hello]\n");
        // Every kallsyms line an unprivileged reader sees has its address zeroed (kptr_restrict).
        assertThat(user).containsPattern("(?m)^0$");
        String root = section(r.out, "root");
        assertThat(lsmodLines(root)).singleElement().asString().startsWith("hello ");
        // Kernel text, wherever KASLR put it: 0xffffffff81000000 up to the module area.
        assertThat(root).containsPattern("ffffffff[89][0-9a-f]{7} T printk\n")
            .containsPattern("ffffffff[89][0-9a-f]{7} T kallsyms_lookup_name\n")
            .containsPattern("ffffffffa[0-9a-f]{7} T hello_add\t\\[hello\\]\n");
    }

    /**
     * Each broken module: insmod prints Linux's message for the errno, the kernel logs why,
     * nothing is left loaded, and kmalloc's total (/proc/meminfo Slab) is what it was.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "init_throws.ko    | Bad address              | BUG: init_throws_init threw java.lang.IllegalStateException: init_throws: deliberate failure in init",
        "init_einval.ko    | Invalid parameters       | init_einval: refusing to load",
        "reflect.ko        | Unknown symbol in module | reflect: Unknown symbol java.lang.reflect.Field (err -2)",
        "forname.ko        | Unknown symbol in module | forname: Unknown symbol java.lang.Class.forName (err -2)",
        "hostfile.ko       | Unknown symbol in module | hostfile: Unknown symbol java.io.FileInputStream (err -2)",
        "gplonly.ko        | Unknown symbol in module | gplonly: Unknown symbol kallsyms_lookup_name (err -2)",
        "unknown_symbol.ko | Unknown symbol in module | unknown_symbol: Unknown symbol no_such_symbol (err -2)",
        "cycle_a.ko        | Unknown symbol in module | cycle_a: Unknown symbol in module: depends on cycle_b, which is not loaded (err -2)",
        "vermagic.ko       | Invalid module format    | vermagic: version magic '5.10.0' should be '6.1.0-microlith'",
        "no_name.ko        | Invalid module format    | Module has no name!",
        "no_class.ko       | Invalid module format    | no_class: module has no Module-Class",
        "garbage.ko        | Invalid module format    | not a jar",
        "truncated.ko      | Invalid module format    | corrupt module image",
    })
    void aBrokenModuleIsRefusedCleanly(String file, String error, String logged) throws IOException {
        Cli r = shell("echo '== before'\ngrep Slab: /proc/meminfo\ngrep KmallocBytes: /proc/meminfo\n"
            + "echo '== insmod'\ninsmod /host/" + file + "; echo \"insmod status $?\"\n"
            + "echo '== after'\ngrep Slab: /proc/meminfo\ngrep KmallocBytes: /proc/meminfo\nlsmod\n"
            + "echo '== dmesg'\ndmesg\n", file);
        assertThat(section(r.out, "insmod")).as(r.toString())
            .isEqualTo("insmod: ERROR: could not insert module /host/" + file + ": " + error + "\ninsmod status 1\n");
        assertThat(section(r.out, "dmesg")).as(r.toString()).contains(logged);
        String after = section(r.out, "after");
        assertThat(lsmodLines(after)).as(r.toString()).isEmpty();
        String slab = section(r.out, "before");
        assertThat(slab).startsWith("Slab:");
        assertThat(after).as(r.toString()).startsWith(slab);
    }

    @Test
    void aProprietaryModuleTaintsTheKernelBeforeItIsRefused() throws IOException {
        Cli r = shell("insmod /host/gplonly.ko\ndmesg | grep gplonly\n", "gplonly.ko");
        assertThat(r.out).as(r.toString()).contains("gplonly: module license 'Proprietary' taints kernel.");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void anInitThatNeverReturnsIsStoppedByTheWatchdog() throws IOException {
        Cli r = shell("echo '== before'\ngrep Slab: /proc/meminfo\ngrep KmallocBytes: /proc/meminfo\n"
            + "echo '== insmod'\ninsmod /host/init_spins.ko; echo \"insmod status $?\"\n"
            + "echo '== after'\ngrep Slab: /proc/meminfo\ngrep KmallocBytes: /proc/meminfo\nlsmod\n"
            + "echo '== dmesg'\ndmesg\n", "init_spins.ko");
        assertThat(section(r.out, "insmod")).as(r.toString())
            .startsWith("insmod: ERROR: could not insert module /host/init_spins.ko: ").endsWith("\ninsmod status 1\n");
        assertThat(section(r.out, "dmesg")).contains("init_spins: spinning",
            "watchdog: BUG: soft lockup - CPU#0 stuck for");
        // The stuck code's CS: 0010 in the kernel, 0033 when the module is a ring-3 server.
        assertThat(section(r.out, "dmesg")).containsPattern("RIP: 00(10|33):init_spins_init \\[init_spins\\]");
        String after = section(r.out, "after");
        assertThat(lsmodLines(after)).isEmpty();
        assertThat(after).startsWith(section(r.out, "before"));
    }

    @Test
    void modulesThatNeedEachOtherCannotBeLoadedEitherWay() throws IOException {
        Cli r = shell("insmod /host/cycle_b.ko; echo \"insmod status $?\"\n"
            + "mkdir -p /lib/modules/6.1.0-microlith/extra\n"
            + "cp /host/cycle_a.ko /host/cycle_b.ko /lib/modules/6.1.0-microlith/extra/\n"
            + "echo 'extra/cycle_a.ko: extra/cycle_b.ko' >> /lib/modules/6.1.0-microlith/modules.dep\n"
            + "echo 'extra/cycle_b.ko: extra/cycle_a.ko' >> /lib/modules/6.1.0-microlith/modules.dep\n"
            + "echo '== modprobe'\nmodprobe cycle_a; echo \"modprobe status $?\"\nlsmod\n",
            "cycle_a.ko", "cycle_b.ko");
        assertThat(r.out).as(r.toString()).contains(
            "insmod: ERROR: could not insert module /host/cycle_b.ko: Unknown symbol in module", "insmod status 1");
        String modprobe = section(r.out, "modprobe");
        assertThat(modprobe).as(r.toString())
            .contains("modprobe: ERROR: Cycle detected: cycle_a -> cycle_b -> cycle_a", "modprobe status 1");
        assertThat(lsmodLines(modprobe)).isEmpty();
    }
}
