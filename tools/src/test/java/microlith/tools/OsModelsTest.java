package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import microlith.tools.kmod.BadModules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What differs between the OS models, seen from the guest: where module code runs (ps,
 * /proc/PID/maps, /sys/module/NAME/placement, /proc/modules, the CPL of every module
 * bytecode), and what a driver bug does: a contained, dead server in the microkernel
 * model; an oops (or nothing at all) in the monolithic one.
 */
class OsModelsTest {
    private static final String KMOD = "/lib/modules/6.1.0-microlith/kernel/";

    @TempDir
    static Path tmp;
    private static Path fixtures;

    @BeforeAll
    static void writeFixtures() throws IOException {
        fixtures = BadModules.writeAll(Files.createDirectories(tmp.resolve("ko")));
    }

    /** Runs script as init's shell (root) in the given model, stderr merged into stdout. */
    private static Cli shell(String model, List<String> options, String script, String... hostFiles) throws IOException {
        Path file = Files.createTempFile(tmp, "script", ".sh");
        Files.writeString(file, "exec 2>&1\n" + script);
        List<String> args = new ArrayList<>(List.of("run", "--model=" + model));
        args.addAll(options);
        for (String f : hostFiles) {
            args.add("--add");
            args.add(fixtures.resolve(f).toString());
        }
        args.addAll(List.of("--add", file.toString(), "/bin/sh", "/host/" + file.getFileName()));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String section(String out, String name) {
        int start = out.indexOf("== " + name + "\n");
        assertThat(start).as("section " + name + " in\n" + out).isGreaterThanOrEqualTo(0);
        start += name.length() + 4;
        int end = out.indexOf("== ", start);
        return out.substring(start, end < 0 ? out.length() : end);
    }

    private static long counter(String stats, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(stats);
        assertThat(m.find()).as(name + " in " + stats).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void inTheMicrokernelModelEveryModuleIsAServerProcess() throws IOException {
        Cli r = shell("microkernel", List.of(), "insmod " + KMOD + "ringbuf.ko\n"
            + "echo '== ps'\nps\n"
            + "echo '== maps'\ncat /proc/2/maps\n"
            + "echo '== placement'\ncat /sys/module/ramfs/placement /sys/module/serial/placement\n"
            + "echo '== modules'\ncat /proc/modules\n"
            + "echo '== dmesg'\ndmesg | grep 'OS model'\n");
        assertThat(section(r.out, "ps")).as(r.toString()).containsPattern("(?m)^ +2 .* ramfs$")
            .containsPattern("(?m)^ +3 .* serial$").containsPattern("(?m)^ +\\d+ .* ringbuf$");
        assertThat(section(r.out, "maps")).contains("[server text]", "[ipc buffer]", "[copy window]", "[stack]")
            .doesNotContain("ffffffff");
        assertThat(section(r.out, "placement")).isEqualTo("server 2\nserver 3\n");
        assertThat(section(r.out, "modules")).containsPattern("ringbuf .* \\[server:\\d+\\]\n");
        assertThat(section(r.out, "dmesg")).contains("OS model: microkernel: the ring-0 core holds",
            "OS model: placement ramfs=server serial=server");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "monolithic  |                       | kernel | kernel | kernel",
        "hybrid      |                       | kernel | kernel | server",
        "hybrid      | --placement=ringbuf=kernel | kernel | kernel | kernel",
        "hybrid      | --placement=serial=user | kernel | server | server",
        "microkernel | --placement=ringbuf=kernel | server | server | kernel",
    })
    void eachModelPlacesModulesWhereItSays(String model, String option, String ramfs, String serial, String ringbuf)
        throws IOException {
        Cli r = shell(model, option == null ? List.of() : List.of(option), "insmod " + KMOD + "ringbuf.ko\n"
            + "echo '== placement'\ncat /sys/module/ramfs/placement /sys/module/serial/placement "
            + "/sys/module/ringbuf/placement\n");
        String[] lines = section(r.out, "placement").split("\n");
        assertThat(lines).as(r.toString()).hasSize(3);
        assertThat(lines[0]).startsWith(ramfs);
        assertThat(lines[1]).startsWith(serial);
        assertThat(lines[2]).startsWith(ringbuf);
    }

    /**
     * Every sample module at work (parameters, a timer, exports, a character device, a disk
     * driver with its IRQ and a filesystem) with the count of module bytecode run at CPL 0:
     * all of it in the monolithic model, none of it in the microkernel model.
     */
    @ParameterizedTest
    @ValueSource(strings = {"monolithic", "microkernel"})
    void noModuleCodeRunsAtCpl0InTheMicrokernelModel(String model) throws IOException {
        Path disk = tmp.resolve(model + ".img");
        assertThat(Cli.run("mkfs", disk.toString(), "--size", "2M").status).isZero();
        Cli r = shell(model, List.of("--stats", "--disk=" + disk),
            "insmod " + KMOD + "hello.ko ticks=2\ninsmod " + KMOD + "hello_user.ko\n"
            + "insmod " + KMOD + "ringbuf.ko\necho ring > /dev/ringbuf\nringctl read 100\n"
            + "modprobe ata\nmodprobe mlfs\nmount -t mlfs /dev/hda /mnt\necho disk > /mnt/f\ncat /mnt/f\n"
            + "umount /mnt\nsleep 1\nrmmod hello_user\nrmmod hello\necho done\n");
        assertThat(r.out).as(r.toString()).contains("ring\n", "disk\n", "done\n");
        long total = counter(r.err, "module_bytecodes");
        long ring0 = counter(r.err, "module_bytecodes_ring0");
        assertThat(total).isGreaterThan(10_000);
        if (model.equals("microkernel")) {
            assertThat(ring0).as("module bytecode run at CPL 0").isZero();
            assertThat(counter(r.err, "ipc_messages")).isGreaterThan(100);
            assertThat(counter(r.err, "grant_copies")).isGreaterThan(0);
            assertThat(counter(r.err, "notifications")).isGreaterThan(0);
        } else {
            assertThat(ring0).isEqualTo(total);
            assertThat(counter(r.err, "ipc_messages")).isZero();
        }
    }

    /**
     * The same driver bugs in both models. In the monolithic model a ring-0 driver may touch
     * any port and read kernel memory unnoticed, and the rest are oopses the kernel survives;
     * in the microkernel model each bug kills the driver's server only: the caller gets EIO,
     * so does every later call, and everything else goes on, files written before intact.
     */
    @ParameterizedTest(name = "ioctl {0}")
    @CsvSource(delimiter = '|', value = {
        "1 | ok                                        | Input/output error",
        "2 | ok                                        | Input/output error",
        "3 | ringctl: ioctl 0x3: Bad address           | Input/output error",
        "4 | ringctl: ioctl 0x4: Bad address           | Input/output error",
        "5 | ringctl: ioctl 0x5: Timer expired         | Input/output error",
    })
    void aDriverBugIsAnOopsInTheKernelAndAContainedDeathInAServer(int cmd, String monolithic, String microkernel)
        throws IOException {
        String script = "echo precious > /tmp/keep\ninsmod /host/faulty.ko\n"
            + "echo '== bug'\nringctl ioctl " + cmd + "\necho \"status $?\"\n"
            + "echo '== after'\nringctl ioctl 9\necho alive\ncat /tmp/keep\nrmmod faulty\necho \"rmmod $?\"\n"
            + "echo '== dmesg'\ndmesg\n";
        Cli mono = shell("monolithic", List.of(), script, "faulty.ko");
        assertThat(section(mono.out, "bug")).as(mono.toString()).startsWith(monolithic.trim());
        assertThat(section(mono.out, "after")).contains("ok\nalive\nprecious\nrmmod 0\n");
        Cli micro = shell("microkernel", List.of(), script, "faulty.ko");
        assertThat(section(micro.out, "bug")).as(micro.toString())
            .contains("ringctl: ioctl 0x" + cmd + ": " + microkernel.trim(), "status 1");
        assertThat(section(micro.out, "after")).as(micro.toString())
            .contains("Input/output error", "alive\nprecious\n", "rmmod 0\n");
        assertThat(section(micro.out, "dmesg")).containsPattern("faulty: server \\[\\d+\\] died");
    }

    @ParameterizedTest
    @ValueSource(strings = {"monolithic", "hybrid", "microkernel"})
    void aManifestClaimingResourcesAlreadyGrantedIsRefused(String model) throws IOException {
        Cli r = shell(model, List.of(), "insmod /host/portclash.ko\ninsmod /host/irqclash.ko\n"
            + "echo '== dmesg'\ndmesg | grep clash\n", "portclash.ko", "irqclash.ko");
        assertThat(r.out).as(r.toString()).contains(
            "insmod: ERROR: could not insert module /host/portclash.ko: Device or resource busy",
            "insmod: ERROR: could not insert module /host/irqclash.ko: Device or resource busy");
        assertThat(section(r.out, "dmesg")).contains(
            "portclash: ports 0x3f8-0x3ff in its manifest are already granted to serial",
            "irqclash: IRQ 4 in its manifest is already granted to serial");
    }

    @Test
    void unknownModelsAndPlacementsAreOneLineErrors() {
        Cli a = Cli.run("run", "--model=exokernel", "/bin/true");
        assertThat(a.status).isEqualTo(2);
        assertThat(a.err).isEqualTo("microlith: unknown model 'exokernel' (monolithic, microkernel or hybrid)\n");
        Cli b = Cli.run("run", "--placement=ringbuf=somewhere", "/bin/true");
        assertThat(b.status).isEqualTo(2);
        assertThat(b.err).isEqualTo("microlith: bad --placement 'ringbuf=somewhere' (NAME=kernel or NAME=user)\n");
    }
}
