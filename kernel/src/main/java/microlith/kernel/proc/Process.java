package microlith.kernel.proc;

import java.util.List;
import microlith.kernel.Kernel;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.arch.Segments;
import microlith.kernel.fs.Inode;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.syscall.Errno;

/** Process lifecycle: creating init, execve, exit and death by signal. */
public final class Process {
    private final Kernel k;
    private final Loader loader;

    public Process(Kernel k) {
        this.k = k;
        this.loader = new Loader(k.mem);
    }

    /** Creates pid 1 from an executable in the root filesystem; 0 or a negative errno. */
    public int spawnInit(String path, List<String> argv, List<String> envp) {
        long kstack = k.pages.allocContiguous(Task.KSTACK_PAGES);
        if (kstack < 0) {
            return -Errno.ENOMEM;
        }
        int pid = k.sched.allocPid();
        Task t = new Task(pid, baseName(path), kstack);
        t.files.installAt(0, k.console);
        t.files.installAt(1, k.console);
        t.files.installAt(2, k.stderrConsole);
        int err = exec(t, path, argv, envp);
        if (err != 0) {
            for (int i = 0; i < Task.KSTACK_PAGES; i++) {
                k.pages.free(kstack + i * 4096L);
            }
            return err;
        }
        k.sched.add(t);
        return 0;
    }

    static String baseName(String path) {
        String b = path.substring(path.lastIndexOf('/') + 1);
        // TASK_COMM_LEN is 16 including the NUL.
        return b.length() > 15 ? b.substring(0, 15) : b;
    }

    /**
     * Replaces t's image with the executable at path. On failure t is unchanged and a
     * negative errno comes back, as execve returns.
     */
    public int exec(Task t, String path, List<String> argv, List<String> envp) {
        int lookup = k.rootfs.resolveError(path);
        if (lookup != 0) {
            return -lookup;
        }
        Inode n = k.rootfs.lookup(path);
        if (n.isDir()) {
            return -Errno.EACCES;
        }
        if ((n.mode & 0111) == 0 || !n.isRegular()) {
            return -Errno.EACCES;
        }
        if (Loader.argSize(argv, envp) > 2L << 20) {
            return -Errno.E2BIG;
        }
        ElfImage elf;
        try {
            elf = ElfImage.parse(n.data);
        } catch (ElfImage.FormatException e) {
            k.log.info("%s: cannot execute %s: %s", t.comm, path, e.getMessage());
            return -Errno.ENOEXEC;
        }
        AddressSpace mm = new AddressSpace(k.tables, k.pages, k.mem, k.kernelPml4);
        byte[] random = new byte[16];
        k.random.nextBytes(random);
        Loader.Entry e;
        try {
            e = loader.load(mm, elf, path, argv, envp, random, t.uid, t.gid);
        } catch (OutOfMemoryError oom) {
            e = null;
        }
        if (e == null) {
            mm.destroy();
            return -Errno.ENOMEM;
        }
        AddressSpace old = t.mm;
        t.mm = mm;
        t.comm = baseName(path);
        t.argv = argv.toArray(new String[0]);
        t.fsBase = 0;
        if (old != null) {
            releaseMm(old);
        }
        // A fresh register state: everything zero but RIP, RSP, the selectors and IF.
        long regs = t.ptRegs();
        for (int off = 0; off < PtRegs.SIZE; off += 8) {
            k.cpu.write64(regs + off, 0);
        }
        k.cpu.write64(regs + PtRegs.RIP, e.rip);
        k.cpu.write64(regs + PtRegs.RSP, e.rsp);
        k.cpu.write64(regs + PtRegs.CS, Segments.USER_CS);
        k.cpu.write64(regs + PtRegs.SS, Segments.USER_DS);
        k.cpu.write64(regs + PtRegs.RFLAGS, 0x202);
        k.cpu.write64(regs + PtRegs.ORIG_RAX, -1);
        return 0;
    }

    private void releaseMm(AddressSpace mm) {
        if (k.cpu.cr3() == mm.pml4) {
            // Never keep a page table loaded that is about to be freed.
            k.cpu.writeCr(3, k.kernelPml4);
        }
        mm.destroy();
    }

    /** Ends t with a wait status (exit code &lt;&lt; 8, or a signal number). */
    public void exit(Task t, int waitStatus) {
        if (t.state == Task.State.ZOMBIE) {
            return;
        }
        t.exitStatus = waitStatus;
        t.files.closeAll();
        if (t.mm != null) {
            releaseMm(t.mm);
            t.mm = null;
        }
        k.sched.exited(t);
        if (t.pid == 1) {
            k.setInitStatus(shellStatus(waitStatus));
        }
        // The kernel stack stays until the task is reaped: its pt_regs hold the status.
    }

    /** Default action of a fatal signal: the task dies with that signal as its status. */
    public void kill(Task t, int sig) {
        exit(t, sig | (Signals.dumpsCore(sig) ? 0x80 : 0));
    }

    /** The status a shell reports for a wait status: the exit code, or 128 + signal. */
    public static int shellStatus(int waitStatus) {
        int sig = waitStatus & 0x7f;
        return sig == 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
    }
}
