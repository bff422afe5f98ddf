package microlith.modules.vuln;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.module.api.Errno;
import microlith.module.api.FileOperations;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.OpenFile;

import static microlith.modules.vuln.VulnIoctl.*;

/**
 * vuln.ko, the security lab's driver (docs/security-lab.md): /dev/vuln, which anyone may
 * open, with the four bugs kernel-exploitation courses teach, each marked BUG below.
 *
 * <ol>
 * <li>VULN_POKE writes user-chosen bytes at a user-chosen kernel address.</li>
 * <li>VULN_SET_NAME checks the length against its ioctl buffer (256 bytes), not against the
 *     64-byte name: an out-of-bounds write in a kmalloc buffer, over the pointers after
 *     it and into the next object.</li>
 * <li>VULN_NOTIFY calls the state's notify pointer, through the CPU: after bug 2 it runs
 *     whatever address the user wrote there.</li>
 * <li>VULN_GET_INFO copies the whole state out, kernel pointers included: module text,
 *     printk in kernel text, the caller's struct cred and the heap.</li>
 * </ol>
 *
 * Used as designed (a name under 64 bytes, no POKE) it is a harmless device. It is built
 * into the image as every sample module is, and loaded only by root: {@code modprobe vuln}.
 */
public final class Vuln implements KernelModule, FileOperations {
    private static final String DEV = "vuln";

    private ModuleContext ctx;
    private int major;
    /** vuln_notify's address in the module's text, every state's default notify pointer. */
    private long notifyFn;
    /** printk's address, kept in every state (and so leaked by VULN_GET_INFO). */
    private long printk;

    @Override
    public int init(ModuleContext c) {
        this.ctx = c;
        notifyFn = c.functionAddress((arg, b, d, e, f, g) -> notifyDefault(arg));
        printk = c.symbolAddress("printk");
        major = c.registerChrdevRegion(0, DEV, this);
        if (major < 0) {
            return major;
        }
        int r = c.deviceCreate(DEV, major, 0, 0666);
        if (r < 0) {
            c.unregisterChrdev(major, DEV);
            return r;
        }
        c.printk(ModuleContext.WARNING, "vuln: /dev/vuln is deliberately vulnerable (major %d, %s): "
            + "for the security lab only", major, c.placement());
        return 0;
    }

    @Override
    public void exit(ModuleContext c) {
        c.unregisterChrdev(major, DEV);
    }

    private long notifyDefault(long arg) {
        ctx.printk(ModuleContext.INFO, "vuln: notify 0x%x", arg);
        return 0;
    }

    private static long state(OpenFile file) {
        return (Long) file.privateData();
    }

    @Override
    public int open(OpenFile file) {
        long s = ctx.kzalloc(STATE_SIZE);
        if (s == 0) {
            return -Errno.ENOMEM;
        }
        ctx.write64(s + NOTIFY, notifyFn);
        ctx.write64(s + LOG, printk);
        ctx.write64(s + OWNER, ctx.currentCred());
        ctx.write64(s + SELF, s);
        file.setPrivateData(s);
        return 0;
    }

    @Override
    public int release(OpenFile file) {
        ctx.kfree(state(file));
        return 0;
    }

    @Override
    public long ioctl(OpenFile file, int cmd, long arg) {
        long s = state(file);
        if (cmd == VULN_SET_NAME) {
            return setName(s, arg);
        } else if (cmd == VULN_NOTIFY) {
            // BUG 3: whatever the notify pointer holds now is called, at this module's privilege.
            return ctx.functionAt(ctx.read64(s + NOTIFY)).call(arg, s, 0, 0, 0, 0);
        } else if (cmd == VULN_GET_INFO) {
            // BUG 4: the state goes out as it is, pointers and all.
            byte[] b = new byte[STATE_SIZE];
            ctx.readBytes(s, b, 0, STATE_SIZE);
            return ctx.copyToUser(arg, b, 0, STATE_SIZE) == 0 ? 0 : -Errno.EFAULT;
        } else if (cmd == VULN_POKE) {
            return poke(arg);
        }
        return -Errno.ENOTTY;
    }

    private long setName(long s, long arg) {
        byte[] hdr = new byte[8];
        if (ctx.copyFromUser(hdr, 0, arg, 8) != 0) {
            return -Errno.EFAULT;
        }
        long len = ByteBuffer.wrap(hdr).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // BUG 2: the bound is the ioctl buffer's, not the name's (NAME_SIZE).
        if (len < 0 || len > NAME_DATA_MAX) {
            return -Errno.EINVAL;
        }
        byte[] data = new byte[(int) len];
        if (ctx.copyFromUser(data, 0, arg + 8, len) != 0) {
            return -Errno.EFAULT;
        }
        ctx.writeBytes(s + NAME, data, 0, data.length);
        return len;
    }

    private long poke(long arg) {
        byte[] b = new byte[16 + POKE_DATA_MAX];
        if (ctx.copyFromUser(b, 0, arg, b.length) != 0) {
            return -Errno.EFAULT;
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long addr = bb.getLong(0);
        long len = bb.getLong(8);
        if (len < 0 || len > POKE_DATA_MAX) {
            return -Errno.EINVAL;
        }
        // BUG 1: addr is never checked; a write-what-where.
        ctx.writeBytes(addr, b, 16, (int) len);
        return len;
    }
}
