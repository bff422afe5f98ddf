package microlith.kernel.syscall;

import microlith.hw.dev.PowerPort;
import microlith.hw.dev.ResetPort;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * reboot(2) as Linux has it (kernel/reboot.c): two magic numbers, CAP_SYS_BOOT (root
 * here), and a command: power off, halt (the machine stops too: nothing can wake it),
 * restart (the PC reset register, port 0xCF9), or Ctrl-Alt-Del on/off. The disks are
 * synced first, as kernel_power_off and kernel_restart do through their notifiers.
 */
final class SysReboot {
    static final long MAGIC1 = 0xfee1deadL;
    static final long[] MAGIC2 = {672274793L, 85072278L, 369367448L, 537993216L};
    static final int CMD_RESTART = 0x01234567, CMD_HALT = 0xCDEF0123, CMD_CAD_ON = 0x89ABCDEF;
    static final int CMD_CAD_OFF = 0, CMD_POWER_OFF = 0x4321FEDC;

    private final Services k;

    SysReboot(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("reboot", (task, m1, m2, cmd, arg, e, f) -> reboot(task, m1, m2, cmd));
    }

    private long reboot(Task t, long magic1, long magic2, long cmd) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        boolean ok = false;
        for (long m : MAGIC2) {
            ok |= (int) magic2 == (int) m;
        }
        if ((int) magic1 != (int) MAGIC1 || !ok) {
            return -Errno.EINVAL;
        }
        switch ((int) cmd) {
            case CMD_CAD_ON:
            case CMD_CAD_OFF:
                return 0;
            case CMD_POWER_OFF:
                shutdown("Power down");
                return 0;
            case CMD_HALT:
                shutdown("System halted");
                return 0;
            case CMD_RESTART:
                k.vfs.mounts().syncAll();
                k.log.notice("reboot: Restarting system");
                // RST_CPU with SYS_RST (a hard reset), as Linux's reboot=pci writes it.
                k.cpu.out(ResetPort.PORT, 1, 0x06);
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /** Power off and halt: sync, say so, and stop the machine with status 0. */
    private void shutdown(String what) {
        k.vfs.mounts().syncAll();
        k.log.notice("reboot: %s", what);
        k.cpu.out(PowerPort.PORT, 4, 0);
    }
}
