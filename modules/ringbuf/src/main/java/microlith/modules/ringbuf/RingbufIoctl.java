package microlith.modules.ringbuf;

/**
 * The device's ioctl numbers, encoded as Linux's _IO/_IOR macros do
 * (include/uapi/asm-generic/ioctl.h):
 *
 * <pre>
 *   31 30 29          16 15      8 7       0
 *  +-----+--------------+---------+---------+
 *  | dir |     size     |  type   |   nr    |
 *  +-----+--------------+---------+---------+
 *   dir: 0 none, 1 write (user to kernel), 2 read (kernel to user)
 * </pre>
 */
final class RingbufIoctl {
    private static final int IOC_NONE = 0, IOC_READ = 2;
    private static final int TYPE = 'r';

    /** _IOR('r', 1, int): the capacity in bytes, stored as an int at the user pointer (0x80047201). */
    static final int RINGBUF_IOC_SIZE = ioc(IOC_READ, TYPE, 1, Integer.BYTES);
    /** _IO('r', 2): empties the ring (0x7202). */
    static final int RINGBUF_IOC_CLEAR = ioc(IOC_NONE, TYPE, 2, 0);

    private RingbufIoctl() {
    }

    private static int ioc(int dir, int type, int nr, int size) {
        return dir << 30 | size << 16 | type << 8 | nr;
    }
}
