package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import microlith.tools.fault.DiskCheck;
import microlith.tools.fault.Outcome;
import microlith.tools.kmod.BadModules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reincarnation server (docs/microkernel.md, "Restart"): each kind of server killed
 * and restarted as its users see it (a character device's open files get EIO and can be
 * reopened; writes through a disk driver killed in the middle of them are not disturbed;
 * a filesystem server's mount fails until it is mounted again; an exported function keeps
 * its address), the heartbeat killing a handler that never answers, the back-off and the
 * giving up, the reincarnation server's own death, and service(8) with its permissions.
 */
class RestartTest {
    private static final String KMOD = "/lib/modules/6.1.0-microlith/kernel/";

    @TempDir
    static Path tmp;
    private static Path fixtures;

    @BeforeAll
    static void writeFixtures() throws IOException {
        fixtures = BadModules.writeAll(Files.createDirectories(tmp.resolve("ko")));
    }

    private static Cli shell(String model, List<String> options, String script, String... hostFiles)
        throws IOException {
        return GuestShell.run(fixtures, model, options, script, hostFiles);
    }

    private static String section(String out, String name) {
        return GuestShell.section(out, name);
    }

    /** The service(8) line of name: {pid, state, restarts}. */
    private static String[] service(String listing, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " +(\\S+) +(\\S+) +(\\d+) ").matcher(listing);
        assertThat(m.find()).as(name + " in\n" + listing).isTrue();
        return new String[] {m.group(1), m.group(2), m.group(3)};
    }

    /** The simulated seconds a dmesg line matching regex was logged at. */
    private static double when(String dmesg, String regex) {
        Matcher m = Pattern.compile("(?m)^\\[ *(\\d+\\.\\d+)\\] .*" + regex).matcher(dmesg);
        assertThat(m.find()).as(regex + " in\n" + dmesg).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static Path mkfs(String name) {
        Path disk = tmp.resolve(name);
        assertThat(Cli.run("mkfs", disk.toString(), "--size", "8M").status).isZero();
        return disk;
    }

    @ParameterizedTest
    @ValueSource(strings = {"microkernel", "hybrid"})
    void aKilledCharacterDriverIsRestartedAndItsOpenFilesGetEio(String model) throws IOException {
        Cli r = shell(model, List.of(), "insmod " + KMOD + "ringbuf.ko\n"
            + "exec 3<>/dev/ringbuf\necho before >&3\n"
            + "kill -9 $(pidof ringbuf)\necho \"kill $?\"\nsleep 0.2\n"
            + "echo '== old fd'\necho after >&3\necho \"status $?\"\n"
            + "echo '== reopened'\necho again > /dev/ringbuf\nringctl read 100\n"
            + "echo '== service'\nservice\n"
            + "echo '== dmesg'\ndmesg\n");
        assertThat(r.out).as(r.toString()).contains("kill 0\n");
        assertThat(section(r.out, "old fd")).contains("I/O error", "status 1");
        assertThat(section(r.out, "reopened")).isEqualTo("again\n");
        String[] ringbuf = service(section(r.out, "service"), "ringbuf");
        assertThat(ringbuf[1]).isEqualTo("up");
        assertThat(ringbuf[2]).isEqualTo("1");
        assertThat(section(r.out, "dmesg")).containsPattern("ringbuf: server \\[\\d+\\] died \\(killed by signal 9\\)")
            .containsPattern("rs: ringbuf restarted \\(pid " + ringbuf[0] + ", restart 1\\)");
    }

    /** A module unloaded and loaded again is a new service: its restarts count from zero, and its deaths are seen. */
    @Test
    void aModuleLoadedAgainIsANewService() throws IOException {
        Cli r = shell("microkernel", List.of(), "insmod " + KMOD + "ringbuf.ko\n"
            + "kill -9 $(pidof ringbuf)\nsleep 0.2\nrmmod ringbuf\ninsmod " + KMOD + "ringbuf.ko\n"
            + "kill -9 $(pidof ringbuf)\nsleep 0.2\n"
            + "echo '== service'\nservice\necho again > /dev/ringbuf\nringctl read 100\n"
            + "echo '== dmesg'\ndmesg | grep 'rs: ringbuf'\n");
        String[] ringbuf = service(section(r.out, "service"), "ringbuf");
        assertThat(ringbuf[1]).as(r.toString()).isEqualTo("up");
        assertThat(ringbuf[2]).isEqualTo("1");
        assertThat(section(r.out, "service")).endsWith("again\n");
        assertThat(section(r.out, "dmesg")).containsPattern(
            "(?s)rs: ringbuf restarted \\(pid \\d+, restart 1\\).*rs: ringbuf restarted \\(pid \\d+, restart 1\\)");
    }

    /**
     * A disk driver killed while a program writes files (each written, fsync'ed, read back)
     * on the filesystem it serves: the program notices nothing, every file it was told is
     * safe is on the disk with the right bytes, and fsck finds the image clean.
     */
    @ParameterizedTest
    @ValueSource(strings = {"microkernel", "hybrid"})
    void aDiskDriverKilledDuringWritesIsInvisibleToTheProgram(String model) throws IOException {
        Path disk = mkfs(model + "-ata.img");
        Cli r = shell(model, List.of("--disk=" + disk), "modprobe ata\nmodprobe mlfs\nmount -t mlfs /dev/hda /mnt\n"
            + "fiwork files /mnt 40 7 > /tmp/log &\nsleep 0.15\nkill -9 $(pidof ata)\n"
            + "echo '== at kill'\nwc -l < /tmp/log\nsleep 2\n"
            + "echo '== log'\ncat /tmp/log\n"
            + "echo '== service'\nservice\numount /mnt\necho \"umount $?\"\n"
            + "echo '== dmesg'\ndmesg\n");
        int linesAtKill = Integer.parseInt(section(r.out, "at kill").trim());
        assertThat(linesAtKill).as("the kill came in the middle of the writes\n" + r).isBetween(1, 39);
        String log = section(r.out, "log");
        assertThat(log).doesNotContain("fail", "bad").endsWith("done\n");
        Map<String, Long> acks = Outcome.acked(log);
        assertThat(acks).hasSize(40);
        assertThat(service(section(r.out, "service"), "ata")[2]).isEqualTo("1");
        assertThat(r.out).contains("umount 0");
        assertThat(section(r.out, "dmesg")).contains("rs: ata restarted");
        DiskCheck.State state = DiskCheck.read(disk);
        assertThat(state.problems()).isEmpty();
        assertThat(state.files()).containsAllEntriesOf(acks);
    }

    /**
     * A filesystem server killed under a program: its mount fails with EIO from then on (a
     * restarted server does not know the old mount's state, as MINIX 3's file servers are
     * not recovered either); umount works, the restarted server mounts the disk again, and
     * everything the program was told was safe is there.
     */
    @Test
    void aFilesystemServerThatDiesLeavesItsMountFailingUntilMountedAgain() throws IOException {
        Path disk = mkfs("mlfs.img");
        Cli r = shell("microkernel", List.of("--disk=" + disk), "modprobe ata\nmodprobe mlfs\n"
            + "mount -t mlfs /dev/hda /mnt\n"
            + "fiwork files /mnt 40 7 > /tmp/log &\nsleep 0.15\nkill -9 $(pidof mlfs)\nsleep 2\n"
            + "echo '== log'\ncat /tmp/log\n"
            + "echo '== old mount'\ncat /mnt/f0 > /dev/null\necho \"cat $?\"\numount /mnt\necho \"umount $?\"\n"
            + "echo '== new mount'\nmount -t mlfs /dev/hda /mnt\necho \"mount $?\"\n"
            + "cat /mnt/f0 | wc -c\numount /mnt\necho \"umount $?\"\n");
        String log = section(r.out, "log");
        assertThat(log).as(r.toString()).contains("fail ", " EIO\n").endsWith("done\n");
        Map<String, Long> acks = Outcome.acked(log);
        assertThat(acks).isNotEmpty().hasSizeLessThan(40);
        assertThat(section(r.out, "old mount")).contains("cat 1", "umount 0");
        assertThat(section(r.out, "new mount")).startsWith("mount 0\n").endsWith("umount 0\n");
        DiskCheck.State state = DiskCheck.read(disk);
        assertThat(state.problems()).as("fsck").allMatch(p -> state.leaksOnly());
        assertThat(state.files()).containsAllEntriesOf(acks);
    }

    /** An exported function keeps its address across a restart; the new instance serves it. */
    @Test
    void anExportedFunctionKeepsItsAddressAndTheNewInstanceServesIt() throws IOException {
        Cli r = shell("hybrid", List.of(), "insmod " + KMOD + "hello.ko\n"
            + "echo '== before'\ngrep hello_add /proc/kallsyms\n"
            + "kill -9 $(pidof hello)\nsleep 0.2\n"
            + "echo '== after'\ngrep hello_add /proc/kallsyms\n"
            + "echo '== use'\ninsmod " + KMOD + "hello_user.ko\nrmmod hello\n"
            + "echo '== dmesg'\ndmesg | grep hello\n");
        assertThat(section(r.out, "after")).as(r.toString()).isEqualTo(section(r.out, "before"))
            .contains("hello_add");
        assertThat(section(r.out, "dmesg")).contains("hello_user: hello_add(40, 2) = 42",
            "rs: hello restarted");
        assertThat(r.out).contains("rmmod: ERROR: Module hello is in use by: hello_user");
    }

    /**
     * A handler that never returns keeps the CPU, but the runtime opens an interrupt window
     * each tick: the heartbeat finds it silent past the timeout (300 ms), the reincarnation
     * server kills it long before the 1 s watchdog would, and restarts it.
     */
    @Test
    void aHandlerThatNeverAnswersIsKilledAtTheHeartbeatTimeout() throws IOException {
        Cli r = shell("microkernel", List.of(), "insmod /host/faulty.ko\n"
            + "echo '== spin'\nringctl ioctl 5\necho \"status $?\"\n"
            + "echo '== after'\nringctl ioctl 9\n"
            + "echo '== service'\nservice\n"
            + "echo '== dmesg'\ndmesg\n", "faulty.ko");
        assertThat(section(r.out, "spin")).as(r.toString()).contains("Input/output error", "status 1");
        assertThat(section(r.out, "after")).isEqualTo("ok\n");
        assertThat(service(section(r.out, "service"), "faulty")[2]).isEqualTo("1");
        String dmesg = section(r.out, "dmesg");
        double loaded = when(dmesg, "faulty: loaded");
        double killed = when(dmesg, "rs: faulty \\[\\d+\\] has not answered for \\d+ ms: killing it");
        assertThat(killed - loaded).isBetween(0.3, 0.45);
        assertThat(dmesg).contains("(killed by rs: no answer to its heartbeat for")
            .doesNotContain("soft lockup").contains("rs: faulty restarted");
    }

    /**
     * A server that dies soon after every start is restarted at once, then after 100, 200,
     * 400 and 800 ms, and left down after the sixth death; service up starts it again.
     */
    @Test
    void aServerThatKeepsDyingIsBackedOffThenLeftDown() throws IOException {
        Cli r = shell("microkernel", List.of(), "insmod /host/crashy.ko\nsleep 3\n"
            + "echo '== service'\nservice\n"
            + "echo '== up'\nservice up crashy\necho \"up $?\"\nservice\n"
            + "echo '== dmesg'\ndmesg | grep rs:\n", "crashy.ko");
        String[] crashy = service(section(r.out, "service"), "crashy");
        assertThat(crashy[0]).as(r.toString()).isEqualTo("-");
        assertThat(crashy[1]).isEqualTo("failed");
        assertThat(crashy[2]).isEqualTo("5");
        String dmesg = section(r.out, "dmesg");
        assertThat(dmesg).contains("restarting it in 100 ms", "restarting it in 200 ms", "restarting it in 400 ms",
            "restarting it in 800 ms", "rs: crashy died 6 times in a row, each within 2 s of starting: giving up; "
                + "it stays down until 'service up crashy'");
        double d4 = when(dmesg, "crashy died again \\(4 in a row\\)");
        double r4 = when(dmesg, "crashy restarted \\(pid \\d+, restart 4\\)");
        assertThat(r4 - d4).isBetween(0.39, 0.42);
        assertThat(section(r.out, "up")).startsWith("up 0\n");
        assertThat(service(section(r.out, "up"), "crashy")[1]).isEqualTo("up");
    }

    /** RS is itself a process: killed, the core starts it again, and it goes on restarting servers. */
    @Test
    void theReincarnationServerItselfIsStartedAgainByTheCore() throws IOException {
        Cli r = shell("microkernel", List.of(), "insmod " + KMOD + "ringbuf.ko\n"
            + "kill -9 $(pidof rs)\nsleep 0.1\nkill -9 $(pidof ringbuf)\nsleep 0.2\n"
            + "echo '== service'\nservice\n"
            + "echo '== dmesg'\ndmesg | grep rs:\n");
        assertThat(section(r.out, "dmesg")).as(r.toString())
            .containsPattern("rs: the reincarnation server \\[\\d+\\] died; the core starts it again")
            .contains("rs: ringbuf restarted");
        assertThat(service(section(r.out, "service"), "ringbuf")[1]).isEqualTo("up");
    }

    @Test
    void serviceListsStopsStartsAndRestartsForRootOnly() throws IOException {
        Cli r = shell("microkernel", List.of(), "insmod " + KMOD + "ringbuf.ko\n"
            + "echo '== list'\nservice\n"
            + "echo '== user'\nsu -c 'service restart ringbuf' user\necho \"status $?\"\nsu -c 'service' user\n"
            + "echo '== down'\nservice down ringbuf\necho \"down $?\"\nringctl size\nservice down ringbuf\n"
            + "echo '== up'\nservice up ringbuf\necho \"up $?\"\nringctl size\nservice up ringbuf\n"
            + "echo '== restart'\nservice restart ringbuf\necho \"restart $?\"\nservice\n"
            + "echo '== bad'\nservice restart nosuch\necho \"status $?\"\nservice frobnicate ringbuf\n"
            + "echo \"status $?\"\nservice up\necho \"status $?\"\n"
            + "echo '== dmesg'\ndmesg | grep rs:\n");
        String list = section(r.out, "list");
        assertThat(list).as(r.toString()).startsWith("NAME ").contains("PID", "STATE", "RESTARTS");
        assertThat(service(list, "ringbuf")[1]).isEqualTo("up");
        assertThat(service(list, "ramfs")[1]).isEqualTo("up");
        assertThat(section(r.out, "user")).contains(
            "service: restart ringbuf: Operation not permitted (only root may change services)", "status 1")
            .containsPattern("(?m)^ringbuf +\\d+ +up ");
        assertThat(section(r.out, "down")).contains("down 0", "ringctl: /dev/ringbuf: No such file or directory",
            "service: down ringbuf: ringbuf is already down");
        assertThat(section(r.out, "up")).contains("up 0\n4096\n", "service: up ringbuf: ringbuf is already up");
        String[] after = service(section(r.out, "restart"), "ringbuf");
        assertThat(section(r.out, "restart")).startsWith("restart 0\n");
        assertThat(after[1]).isEqualTo("up");
        assertThat(after[2]).isEqualTo("1");
        assertThat(section(r.out, "bad")).isEqualTo("service: unknown service 'nosuch' (service list shows them)\n"
            + "status 1\nservice: unknown command 'frobnicate'\nusage: service [list] | service up|down|restart NAME\n"
            + "status 2\nusage: service [list] | service up|down|restart NAME\nstatus 2\n");
        assertThat(section(r.out, "dmesg")).contains("rs: ringbuf stopped (service down)", "rs: ringbuf started",
            "rs: ringbuf restarted");
    }

    @Test
    void inTheMonolithicModelThereIsNothingToRestart() throws IOException {
        Cli r = shell("monolithic", List.of(), "service\necho \"status $?\"\nservice restart ringbuf\necho \"status $?\"\n"
            + "ps\nls /sys\n");
        assertThat(r.out).as(r.toString()).contains(
            "service: no reincarnation server: in this OS model every module runs in the kernel\nstatus 1\n"
                + "service: no reincarnation server: in this OS model every module runs in the kernel\nstatus 1\n")
            .doesNotContain(" rs\n", "rs\n");
    }
}
