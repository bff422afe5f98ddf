package microlith.modules.vuln;

/**
 * /dev/vuln's ioctl numbers and the structures they carry, encoded as Linux's _IOW/_IOR/_IO
 * macros do (include/uapi/asm-generic/ioctl.h), so the microkernel's core grants exactly
 * the argument structure to the driver's server:
 *
 * <pre>
 *   31 30 29          16 15      8 7       0
 *  +-----+--------------+---------+---------+
 *  | dir |     size     |  type   |   nr    |
 *  +-----+--------------+---------+---------+
 *   dir: 0 none, 1 write (user to kernel), 2 read (kernel to user)
 *
 * struct vuln_name { u64 len; u8 data[256]; }             VULN_SET_NAME  _IOW('v', 1, ...)
 *                                                          VULN_NOTIFY    _IO('v', 2): arg is a value
 * struct vuln_state (below, 0x60 bytes)                    VULN_GET_INFO  _IOR('v', 3, ...)
 * struct vuln_poke { u64 addr; u64 len; u8 data[64]; }     VULN_POKE      _IOW('v', 4, ...)
 * </pre>
 *
 * The per-open state, kmalloc'd (so it sits in the 128-byte cache, next to other objects):
 *
 * <pre>
 * struct vuln_state {
 *     0x00  char name[64];
 *     0x40  u64  notify;     u64 (*)(u64 arg), called by VULN_NOTIFY   (vuln_fn0, module text)
 *     0x48  u64  log;        where the driver's log function lives      (printk, kernel text)
 *     0x50  u64  owner;      const struct cred * of the opener          (current_cred())
 *     0x58  u64  self;       the state's own address                    (kmalloc memory)
 * };
 * </pre>
 */
final class VulnIoctl {
    private static final int IOC_NONE = 0, IOC_WRITE = 1, IOC_READ = 2;
    private static final int TYPE = 'v';

    static final int NAME = 0x00, NOTIFY = 0x40, LOG = 0x48, OWNER = 0x50, SELF = 0x58, STATE_SIZE = 0x60;
    static final int NAME_SIZE = 64, NAME_DATA_MAX = 256, POKE_DATA_MAX = 64;

    /** _IOW('v', 1, struct vuln_name): 0x41087601. */
    static final int VULN_SET_NAME = ioc(IOC_WRITE, 1, 8 + NAME_DATA_MAX);
    /** _IO('v', 2): 0x7602. */
    static final int VULN_NOTIFY = ioc(IOC_NONE, 2, 0);
    /** _IOR('v', 3, struct vuln_state): 0x80607603. */
    static final int VULN_GET_INFO = ioc(IOC_READ, 3, STATE_SIZE);
    /** _IOW('v', 4, struct vuln_poke): 0x40507604. */
    static final int VULN_POKE = ioc(IOC_WRITE, 4, 16 + POKE_DATA_MAX);

    private VulnIoctl() {
    }

    private static int ioc(int dir, int nr, int size) {
        return dir << 30 | size << 16 | TYPE << 8 | nr;
    }
}
