package microlith.kernel.placement;

import microlith.hw.cpu.Cpu;
import microlith.kernel.fs.ChrdevFile;
import microlith.kernel.ipc.Grant;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;
import microlith.module.api.PollTable;
import microlith.server.abi.Ipc;

/**
 * A driver's file_operations when the driver is a server: the table in kernel memory is
 * the same as for a driver in the kernel (the VFS calls through it unchanged), but each
 * pointer is a core trampoline in the module's text that turns the call into an FOP_*
 * request. The caller's buffer goes as a grant of exactly that range; the position, the
 * flags and the caller's identity travel in the message, and the new position comes back.
 */
final class ServerFops {
    private ServerFops() {
    }

    /** Builds the table for fops number id of sm's server; its address, or 0 without memory. */
    static long table(ServerPlacement p, ServerModule sm, long id, String name) {
        KernelServices k = p.k;
        ModuleLoader loader = k.loader();
        Cpu cpu = k.cpu();
        long table = k.kmalloc().allocZeroed(ChrdevFile.FOPS_SIZE, sm.m, cpu.memory());
        if (table == 0) {
            return 0;
        }
        String prefix = sm.m.name + "_" + name + "_";
        cpu.write64(table + ChrdevFile.FOP_OWNER, sm.m.data);
        int[] slots = {ChrdevFile.FOP_OPEN, ChrdevFile.FOP_READ, ChrdevFile.FOP_WRITE, ChrdevFile.FOP_LLSEEK,
            ChrdevFile.FOP_IOCTL, ChrdevFile.FOP_POLL, ChrdevFile.FOP_RELEASE};
        int[] labels = {Ipc.FOP_OPEN, Ipc.FOP_READ, Ipc.FOP_WRITE, Ipc.FOP_LLSEEK, Ipc.FOP_IOCTL, Ipc.FOP_POLL,
            Ipc.FOP_RELEASE};
        String[] names = {"open", "read", "write", "llseek", "ioctl", "poll", "release"};
        for (int i = 0; i < slots.length; i++) {
            int label = labels[i];
            long failure = label == Ipc.FOP_POLL ? PollTable.POLLERR : label == Ipc.FOP_RELEASE ? 0 : -Errno.EFAULT;
            cpu.write64(table + slots[i], loader.stub(sm.m, prefix + names[i], 't', failure,
                c -> request(p, sm, id, label, c.reg(Cpu.RDI), c.reg(Cpu.RSI), c.reg(Cpu.RDX))));
        }
        return table;
    }

    /**
     * The user memory an ioctl's argument names: _IOC_SIZE and the direction for encoded
     * commands, Linux's sizes for the terminal ioctls that predate the encoding, else none.
     * Returns {length, 1 if the driver writes it, 1 if it reads it}.
     */
    static long[] ioctlGrant(int cmd) {
        int dir = cmd >>> 30;
        int size = cmd >>> 16 & 0x3fff;
        if (dir != 0 && size != 0) {
            return new long[] {size, (dir & 2) != 0 ? 1 : 0, (dir & 1) != 0 ? 1 : 0};
        }
        switch (cmd) {
            case 0x5401: return new long[] {36, 1, 0};                       // TCGETS
            case 0x5402: case 0x5403: case 0x5404: return new long[] {36, 0, 1}; // TCSETS*
            // TIOCGWINSZ; TIOCGPGRP, FIONREAD, TIOCGSID; TIOCSWINSZ; TIOCSPGRP
            case 0x5413: case 0x540F: case 0x541B: case 0x5429: return new long[] {cmd == 0x5413 ? 8 : 4, 1, 0};
            case 0x5414: case 0x5410: return new long[] {cmd == 0x5414 ? 8 : 4, 0, 1};
            default: return new long[] {0, 0, 0};
        }
    }

    private static long request(ServerPlacement p, ServerModule sm, long id, int label, long file, long a1, long a2) {
        KernelServices k = p.k;
        IpcCore ipc = p.ipc;
        Cpu cpu = k.cpu();
        Task client = k.sched().current();
        Grant g = null;
        if (client != null && client.mm != null) {
            if (label == Ipc.FOP_READ || label == Ipc.FOP_WRITE) {
                g = ipc.grant(client.mm, a1, a2, label == Ipc.FOP_WRITE, label == Ipc.FOP_READ);
            } else if (label == Ipc.FOP_IOCTL) {
                long[] io = ioctlGrant((int) a1);
                if (io[0] > 0) {
                    g = ipc.grant(client.mm, a2, io[0], io[2] != 0, io[1] != 0);
                }
            }
        }
        long[] mr = {id, file, cpu.read64(file + ChrdevFile.F_POS), cpu.read32(file + ChrdevFile.F_FLAGS),
            cpu.read32(file + ChrdevFile.F_MINOR), cpu.read32(file + ChrdevFile.F_UID),
            cpu.read32(file + ChrdevFile.F_GID), cpu.read32(file + ChrdevFile.F_PID),
            cpu.read32(file + ChrdevFile.F_PGID), cpu.read32(file + ChrdevFile.F_SID), a1, a2,
            g == null ? 0 : g.id(), g == null ? 0 : g.base(), g == null ? 0 : g.length()};
        long[] r = ipc.call(sm.s, label, mr, null, g);
        if (r.length > 1 && sm.s.alive()) {
            cpu.write64(file + ChrdevFile.F_POS, r[1]);
        }
        return label == Ipc.FOP_RELEASE && r[0] < 0 ? 0 : r[0];
    }
}
