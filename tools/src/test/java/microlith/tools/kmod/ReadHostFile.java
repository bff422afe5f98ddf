package microlith.tools.kmod;

import java.io.FileInputStream;
import microlith.module.api.Errno;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** A module that tries to read a file of the host the simulator runs on (only FileInputStream is foreign). */
public final class ReadHostFile implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        try {
            FileInputStream in = new FileInputStream("/etc/passwd");
            ctx.printk(ModuleContext.INFO, "hostfile: read %d bytes of the host", in.readAllBytes().length);
            return 0;
        } catch (Exception e) {
            return -Errno.EIO;
        }
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}
