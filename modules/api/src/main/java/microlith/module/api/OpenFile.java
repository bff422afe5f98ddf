package microlith.module.api;

/** An open file on a module's device (Linux's struct file, as a driver sees it). */
public interface OpenFile {
    int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_NONBLOCK = 04000, O_APPEND = 02000;

    /** The file position (f_pos). */
    long pos();

    void setPos(long pos);

    /** The open flags (O_RDONLY, O_NONBLOCK, ...). */
    int flags();

    default boolean nonBlocking() {
        return (flags() & O_NONBLOCK) != 0;
    }

    /** The device's minor number. */
    int minor();

    /** The driver's per-open state (private_data). */
    Object privateData();

    void setPrivateData(Object data);

    /** The credentials of the process using the file. */
    int uid();

    /** The group of the process using the file. */
    int gid();

    /** The process using the file (its pid), its process group and its session. */
    int pid();

    int pgid();

    int sid();
}
