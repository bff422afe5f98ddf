package microlith.tools.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import microlith.tools.compare.Workload.Kind;

/**
 * The workload set of {@code microlith compare}: lmbench-style microbenchmarks (measured
 * by /bin/lat), two macro workloads that resemble use, and a compute-bound control.
 */
public final class Workloads {
    /** The file the mlfs copy workload copies, added to the image by the runner. */
    static final String BLOB = "/var/compare/blob";
    static final int BLOB_BYTES = 1 << 20;
    /** Small files each round of the shell workload creates, copies, greps and deletes. */
    static final int FILES_PER_ROUND = 8;

    private static final String MOUNT = "modprobe ata && modprobe mlfs && mount -t mlfs /dev/hda /mnt";

    private static final Map<String, Workload> ALL = new LinkedHashMap<>();

    static {
        lat("null", "null syscall (getppid)", "null");
        lat("read1", "read 1 byte of a ramfs file (lseek + read)", "fread", "1");
        lat("write1", "write 1 byte to a ramfs file (lseek + write)", "fwrite", "1");
        lat("read4k", "read 4 KiB of a ramfs file (lseek + read)", "fread", "4096");
        lat("write4k", "write 4 KiB to a ramfs file (lseek + write)", "fwrite", "4096");
        lat("openclose", "open + close", "openclose");
        lat("stat", "stat", "stat");
        lat("pipe", "pipe round trip, 2 processes", "pipe");
        add(Workload.of("ctxsw", Kind.MICRO, "context switch, ring of 4 processes (per hop)")
            .unit("hop", 4).script(n -> "lat ctxsw " + n).scales(100, 600, 20, 120).nativeLat("ctxsw"));
        add(Workload.of("fork", Kind.MICRO, "fork + exit + wait")
            .script(n -> "lat fork " + n).scales(10, 60, 4, 14).nativeLat("fork"));
        add(Workload.of("exec", Kind.MICRO, "fork + execve /bin/true + wait")
            .script(n -> "lat exec " + n).scales(10, 40, 4, 10).nativeLat("exec"));
        add(Workload.of("console", Kind.MICRO, "console write, 1 byte")
            .script(n -> "lat console " + n).scales(100, 1100, 20, 220));
        add(Workload.of("ringbuf", Kind.MICRO, "ringbuf write + read, 1 byte")
            .script(n -> "modprobe ringbuf && lat ringbuf " + n).scales(100, 1100, 20, 220));
        add(Workload.of("ipc", Kind.MICRO, "module-to-module call: hello_user calls hello_add")
            .unit("call", 1)
            .script(n -> "modprobe hello_user && echo " + n
                + " > /sys/module/hello_user/parameters/adds && cat /proc/hello_user")
            .scales(100, 1100, 20, 220));
        add(Workload.of("mlfs", Kind.MICRO, "mlfs create + write 4 KiB + fsync through ata")
            .script(n -> MOUNT + " && lat fsync " + n + " /mnt").scales(5, 25, 2, 6).disk());
        add(Workload.of("shell", Kind.MACRO, "shell script: create, copy, grep, delete "
                + FILES_PER_ROUND + " small files with pipelines")
            .unit("round", 1).script(Workloads::shellScript).scales(0, 3, 0, 1));
        add(Workload.of("mlfscopy", Kind.MACRO, "copy 1 MiB onto mlfs, remount, read it back")
            .unit("MiB", 1).script(Workloads::copyScript).scales(0, 3, 0, 1).disk());
        add(Workload.of("cpumark", Kind.CONTROL, "cpumark, compute-bound (the control)")
            .unit("iteration", 1).script(n -> "cpumark " + n).scales(20, 220, 5, 25));
    }

    private Workloads() {
    }

    private static void add(Workload.Builder b) {
        Workload w = b.build();
        ALL.put(w.name, w);
    }

    private static void lat(String name, String title, String bench, String... args) {
        String tail = args.length == 0 ? "" : " " + String.join(" ", args);
        add(Workload.of(name, Kind.MICRO, title).script(n -> "lat " + bench + " " + n + tail)
            .scales(200, 2200, 40, 440).nativeLat(concat(bench, args)));
    }

    private static String[] concat(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    /**
     * n rounds, each in its own directory: create the files, copy them, grep them in
     * pipelines, delete everything. The shell has no loops, so the rounds are written out.
     */
    static String shellScript(long n) {
        StringBuilder s = new StringBuilder("mkdir -p /tmp/w");
        for (long r = 0; r < n; r++) {
            String d = "/tmp/w/r" + r;
            StringBuilder a = new StringBuilder();
            StringBuilder b = new StringBuilder();
            s.append(" && mkdir ").append(d).append(" ").append(d).append("/copy");
            for (int f = 0; f < FILES_PER_ROUND; f++) {
                String file = d + "/f" + f;
                s.append(" && echo 'line ").append(f).append(f % 2 == 0 ? " alpha" : " beta").append(" round ")
                    .append(r).append("' > ").append(file);
                a.append(' ').append(file);
                b.append(' ').append(d).append("/copy/f").append(f);
            }
            s.append(" && cp").append(a).append(' ').append(d).append("/copy");
            s.append(" && cat").append(b).append(" | grep alpha | wc -l > ").append(d).append("/count");
            s.append(" && grep -l beta").append(a).append(" | wc -l >> ").append(d).append("/count");
            s.append(" && cat ").append(d).append("/count");
            s.append(" && rm -r ").append(d);
        }
        return s.toString();
    }

    /** Mounts, copies the blob n times, remounts (so nothing is cached) and reads every copy back. */
    static String copyScript(long n) {
        StringBuilder s = new StringBuilder(MOUNT);
        StringBuilder files = new StringBuilder();
        for (long i = 0; i < n; i++) {
            s.append(" && cp ").append(BLOB).append(" /mnt/c").append(i);
            files.append(" /mnt/c").append(i);
        }
        s.append(" && umount /mnt && mount -t mlfs /dev/hda /mnt");
        if (n > 0) {
            s.append(" && cat").append(files).append(" | wc -c");
        }
        return s.toString();
    }

    /** Every workload, in report order. */
    public static List<Workload> all() {
        return new ArrayList<>(ALL.values());
    }

    /** The workload called name, or null. */
    public static Workload named(String name) {
        return ALL.get(name);
    }
}
