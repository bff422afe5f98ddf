package microlith.tools.kmod;

import microlith.module.api.FileOperations;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.OpenFile;

/**
 * Calls through function pointers, each ioctl one kind of target, the result in the log
 * ("pointers: N = value"). Its device is /dev/ringbuf (mode 0666), so the image's ringctl
 * drives it ("ringctl ioctl N").
 *
 * <pre>
 * 1  a function of its own, by the address functionAddress gave: fn(41) = 42
 * 2  machine code it wrote into kmalloc memory: lea rax, [rdi+1]; ret
 * 3  machine code that never returns: jmp $
 * 4  prepare_kernel_cred(0) then commit_creds, by their symbol addresses: the caller's uid after
 * </pre>
 */
public final class Pointers implements KernelModule, FileOperations {
    private static final byte[] PLUS_ONE = {0x48, (byte) 0x8d, 0x47, 0x01, (byte) 0xc3};
    private static final byte[] FOREVER = {(byte) 0xeb, (byte) 0xfe};

    private ModuleContext ctx;
    private int major;
    private long plusOne;

    @Override
    public int init(ModuleContext c) {
        this.ctx = c;
        plusOne = c.functionAddress((a, b, d, e, f, g) -> a + 1);
        major = c.registerChrdevRegion(0, "ringbuf", this);
        return major < 0 ? major : c.deviceCreate("ringbuf", major, 0, 0666);
    }

    @Override
    public void exit(ModuleContext c) {
        c.unregisterChrdev(major, "ringbuf");
    }

    private long code(byte[] bytes) {
        long buf = ctx.kmalloc(64);
        ctx.writeBytes(buf, bytes, 0, bytes.length);
        return buf;
    }

    @Override
    public long ioctl(OpenFile file, int cmd, long arg) {
        long r;
        switch (cmd) {
            case 1: r = ctx.functionAt(plusOne).call(41, 0, 0, 0, 0, 0); break;
            case 2: r = ctx.functionAt(code(PLUS_ONE)).call(41, 0, 0, 0, 0, 0); break;
            case 3: r = ctx.functionAt(code(FOREVER)).call(0, 0, 0, 0, 0, 0); break;
            case 4: {
                long cred = ctx.functionAt(ctx.symbolAddress("prepare_kernel_cred")).call(0, 0, 0, 0, 0, 0);
                ctx.functionAt(ctx.symbolAddress("commit_creds")).call(cred, 0, 0, 0, 0, 0);
                r = ctx.read32(ctx.currentCred());
                break;
            }
            default: return -22;
        }
        ctx.printk(ModuleContext.INFO, "pointers: %d = %d", cmd, r);
        return 0;
    }
}
