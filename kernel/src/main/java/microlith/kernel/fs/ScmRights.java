package microlith.kernel.fs;

import java.util.List;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;

/**
 * Open files in flight through an AF_UNIX socket (SCM_RIGHTS, Linux's struct scm_fp_list):
 * the sender's descriptors become references held by the message until a recvmsg installs
 * them in the receiver's table, or a read without room, a close of the socket or a failed
 * send lets them go. At most {@link #MAX_FDS} per message.
 */
public final class ScmRights {
    public static final int MAX_FDS = 253;

    private final File[] files;

    /** Takes a reference on each file (the message's own). */
    public ScmRights(List<File> sent) {
        this.files = sent.toArray(new File[0]);
        for (File f : files) {
            f.retain();
        }
    }

    public int count() {
        return files.length;
    }

    /** MSG_PEEK: the same files again, with references of their own. */
    public ScmRights copy() {
        return new ScmRights(List.of(files));
    }

    /** Nobody will receive them: the message's references go. */
    public void release() {
        for (File f : files) {
            f.close();
        }
    }

    /**
     * Installs up to room files in t's table (their references move there); the rest,
     * and any that no descriptor is free for, are closed. Returns the new descriptors.
     */
    public int[] install(Task t, int room, boolean cloexec) {
        int[] fds = new int[Math.min(room, files.length)];
        int n = 0;
        for (int i = 0; i < files.length; i++) {
            int fd = i < fds.length ? t.files.install(files[i]) : -1;
            if (fd < 0) {
                files[i].close();
                continue;
            }
            t.files.setCloexec(fd, cloexec);
            fds[n++] = fd;
        }
        return java.util.Arrays.copyOf(fds, n);
    }
}
