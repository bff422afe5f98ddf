package microlith.kernel.placement;

import java.util.HashMap;
import java.util.Map;
import microlith.hw.cpu.Cpu;
import microlith.kernel.fs.ChrdevFile;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.module.api.Errno;
import microlith.module.api.FileOperations;
import microlith.module.api.OpenFile;
import microlith.module.api.PollTable;

/**
 * Turns a module's {@link FileOperations} into a struct file_operations in kernel memory:
 * a kmalloc'd table of entry-point addresses, each a stub in the module's text that finds
 * the module's view of the struct file ({@link OpenFile}) and calls the Java method. The
 * VFS side ({@link ChrdevFile}) only ever sees the table's address.
 */
final class ChrdevBridge {
    private final KernelServices k;
    private final ModuleLoader loader;
    private final LoadedModule m;
    private final InKernelContext ctx;
    /** The module's view of each open struct file, by its address. */
    private final Map<Long, View> files = new HashMap<>();

    ChrdevBridge(KernelServices k, LoadedModule m, InKernelContext ctx) {
        this.k = k;
        this.loader = k.loader();
        this.m = m;
        this.ctx = ctx;
    }

    /** A struct file as the driver sees it; position, flags and minor live in kernel memory. */
    private final class View implements OpenFile {
        final long file;
        Object privateData;

        View(long file) {
            this.file = file;
        }

        @Override
        public long pos() {
            return ctx.read64(file + ChrdevFile.F_POS);
        }

        @Override
        public void setPos(long pos) {
            ctx.write64(file + ChrdevFile.F_POS, pos);
        }

        @Override
        public int flags() {
            return ctx.read32(file + ChrdevFile.F_FLAGS);
        }

        @Override
        public int minor() {
            return ctx.read32(file + ChrdevFile.F_MINOR);
        }

        @Override
        public Object privateData() {
            return privateData;
        }

        @Override
        public void setPrivateData(Object data) {
            privateData = data;
        }

        @Override
        public int uid() {
            return ctx.read32(file + ChrdevFile.F_UID);
        }

        @Override
        public int gid() {
            return ctx.read32(file + ChrdevFile.F_GID);
        }

        @Override
        public int pid() {
            return ctx.read32(file + ChrdevFile.F_PID);
        }

        @Override
        public int pgid() {
            return ctx.read32(file + ChrdevFile.F_PGID);
        }

        @Override
        public int sid() {
            return ctx.read32(file + ChrdevFile.F_SID);
        }
    }

    private View view(Cpu c) {
        View v = files.get(c.reg(Cpu.RDI));
        if (v == null) {
            // The VFS passed a struct file this driver never opened: as a wild pointer would.
            throw new microlith.kernel.arch.IndirectCall.Fault(c.reg(Cpu.RDI),
                String.format("BUG: %s: operation on a struct file it never opened (%016x)", m.name, c.reg(Cpu.RDI)));
        }
        return v;
    }

    int register(int major, String name, FileOperations fops) {
        long table = k.kmalloc().allocZeroed(ChrdevFile.FOPS_SIZE, m, k.cpu().memory());
        if (table == 0) {
            return -Errno.ENOMEM;
        }
        String p = m.name + "_" + name + "_";
        k.cpu().write64(table + ChrdevFile.FOP_OWNER, m.data);
        k.cpu().write64(table + ChrdevFile.FOP_OPEN, loader.stub(m, p + "open", 't', -Errno.EFAULT, c -> {
            View v = new View(c.reg(Cpu.RDI));
            files.put(v.file, v);
            int r = fops.open(v);
            if (r < 0) {
                files.remove(v.file);
            }
            return (long) r;
        }));
        k.cpu().write64(table + ChrdevFile.FOP_READ, loader.stub(m, p + "read", 't', -Errno.EFAULT,
            c -> fops.read(view(c), c.reg(Cpu.RSI), c.reg(Cpu.RDX))));
        k.cpu().write64(table + ChrdevFile.FOP_WRITE, loader.stub(m, p + "write", 't', -Errno.EFAULT,
            c -> fops.write(view(c), c.reg(Cpu.RSI), c.reg(Cpu.RDX))));
        k.cpu().write64(table + ChrdevFile.FOP_LLSEEK, loader.stub(m, p + "llseek", 't', -Errno.EFAULT,
            c -> fops.llseek(view(c), c.reg(Cpu.RSI), (int) c.reg(Cpu.RDX))));
        k.cpu().write64(table + ChrdevFile.FOP_IOCTL, loader.stub(m, p + "ioctl", 't', -Errno.EFAULT,
            c -> fops.ioctl(view(c), (int) c.reg(Cpu.RSI), c.reg(Cpu.RDX))));
        k.cpu().write64(table + ChrdevFile.FOP_POLL, loader.stub(m, p + "poll", 't', PollTable.POLLERR, c -> {
            boolean register = c.reg(Cpu.RSI) != 0;
            PollTable pt = q -> {
                if (register && q instanceof ModuleWaitQueue && k.sched().current() != null) {
                    ((ModuleWaitQueue) q).queue.add(k.sched().current());
                }
            };
            return (long) fops.poll(view(c), pt);
        }));
        k.cpu().write64(table + ChrdevFile.FOP_RELEASE, loader.stub(m, p + "release", 't', 0, c -> {
            View v = files.remove(c.reg(Cpu.RDI));
            return v == null ? 0L : (long) fops.release(v);
        }));
        int r = k.chrdevs().register(major, name, table, ctx.owner);
        if (r < 0) {
            k.kmalloc().free(table);
        }
        return r;
    }
}
