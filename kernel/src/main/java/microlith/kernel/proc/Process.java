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
        Task t = new Task(k.mem, pid, baseName(path), kstack);
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

    /**
     * fork: a copy of parent whose pages are shared copy-on-write, with the same open
     * files, and whose saved registers return 0 from the system call. Returns the child
     * or a negative errno in {@code err[0]}.
     */
    public Task fork(Task parent, int[] err) {
        int pid = k.sched.allocPid();
        if (pid < 0 || k.sched.all().size() >= MAX_TASKS) {
            err[0] = Errno.EAGAIN;
            return null;
        }
        long kstack = k.pages.allocContiguous(Task.KSTACK_PAGES);
        if (kstack < 0) {
            err[0] = Errno.ENOMEM;
            return null;
        }
        Task child = new Task(k.mem, pid, parent.comm, kstack);
        child.parent = parent;
        child.mm = parent.mm.fork(k.kernelPml4);
        // The parent's writable pages just became read-only: forget their old rights.
        k.cpu.writeCr(3, k.cpu.cr3());
        child.files = parent.files.copy();
        child.cwd = parent.cwd;
        child.pgid = parent.pgid;
        child.sid = parent.sid;
        child.umask = parent.umask;
        child.setUid(parent.uid());
        child.setGid(parent.gid());
        child.argv = parent.argv;
        child.sigMask = parent.sigMask;
        child.copySigactionsFrom(parent);
        child.fsBase = k.cpu.rdmsr(microlith.hw.cpu.Msr.FS_BASE);
        long from = parent.ptRegs();
        long to = child.ptRegs();
        for (int off = 0; off < PtRegs.SIZE; off += 8) {
            k.cpu.write64(to + off, k.cpu.read64(from + off));
        }
        k.cpu.write64(to + PtRegs.RAX, 0);
        k.entry.copyFpu(k.cpu, parent, child);
        k.sched.add(child);
        return child;
    }

    /** The process table's limit: a fork bomb meets EAGAIN here. */
    public static final int MAX_TASKS = 64;

    /**
     * wait4's core: reaps a zombie child matching pid (-1 any, &gt;0 that one). Returns
     * the child reaped, or null; {@code hasChild[0]} tells whether any child matched.
     */
    public Task reapChild(Task parent, int pid, boolean[] hasChild) {
        for (Task c : new java.util.ArrayList<>(k.sched.all())) {
            if (c.parent != parent || (pid > 0 && c.pid != pid)) {
                continue;
            }
            hasChild[0] = true;
            if (c.state == Task.State.ZOMBIE) {
                k.sched.remove(c);
                for (int i = 0; i < Task.KSTACK_PAGES; i++) {
                    k.pages.free(c.kstackPhys + i * 4096L);
                }
                return c;
            }
        }
        return null;
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
        return exec(t, path, argv, envp, 0);
    }

    /**
     * A script starting with "#!interpreter [arg]" runs its interpreter with the script's
     * path (Linux's binfmt_script): argv becomes interpreter, arg, path, argv[1..]. The
     * line is read from the first 256 bytes; interpreters nest at most 4 deep (ELOOP).
     */
    private int execScript(Task t, String path, byte[] data, List<String> argv, List<String> envp, int depth) {
        if (depth >= 4) {
            return -Errno.ELOOP;
        }
        int end = 2;
        while (end < data.length && end < 256 && data[end] != '\n') {
            end++;
        }
        String line = new String(data, 2, end - 2, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
        if (line.isEmpty()) {
            return -Errno.ENOEXEC;
        }
        int sp = line.indexOf(' ') < 0 ? line.indexOf('\t') : line.indexOf(' ');
        String interp = sp < 0 ? line : line.substring(0, sp);
        String arg = sp < 0 ? "" : line.substring(sp + 1).trim();
        List<String> nargv = new java.util.ArrayList<>();
        nargv.add(interp);
        if (!arg.isEmpty()) {
            nargv.add(arg);
        }
        nargv.add(path);
        if (argv.size() > 1) {
            nargv.addAll(argv.subList(1, argv.size()));
        }
        if (!interp.startsWith("/")) {
            interp = (t.cwd.endsWith("/") ? t.cwd : t.cwd + "/") + interp;
        }
        return exec(t, interp, nargv, envp, depth + 1);
    }

    private int exec(Task t, String path, List<String> argv, List<String> envp, int depth) {
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
        byte[] contents = n.contents();
        if (contents.length >= 2 && contents[0] == '#' && contents[1] == '!') {
            return execScript(t, path, contents, argv, envp, depth);
        }
        ElfImage elf;
        try {
            elf = ElfImage.parse(contents);
        } catch (ElfImage.FormatException e) {
            k.log.info("%s: cannot execute %s: %s", t.comm, path, e.getMessage());
            return -Errno.ENOEXEC;
        }
        AddressSpace mm = new AddressSpace(k.tables, k.pages, k.mem, k.kernelPml4);
        byte[] random = new byte[16];
        k.random.nextBytes(random);
        Loader.Entry e;
        try {
            e = loader.load(mm, elf, path, argv, envp, random, t.uid(), t.gid());
        } catch (OutOfMemoryError oom) {
            e = null;
        }
        if (e == null) {
            mm.destroy();
            return -Errno.ENOMEM;
        }
        AddressSpace old = t.mm;
        t.mm = mm;
        t.files.closeOnExec();
        t.comm = baseName(path);
        t.argv = argv.toArray(new String[0]);
        t.flushSignalHandlers();
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
        k.entry.resetFpu(k.cpu, t);
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
        k.jobs.exiting(t);
        t.files.closeAll();
        if (t.mm != null) {
            releaseMm(t.mm);
            t.mm = null;
        }
        k.sched.exited(t);
        if (t.pid == 1) {
            k.initExited(shellStatus(waitStatus));
        }
        // Orphans go to init, which reaps them; the parent hears of the death.
        Task init = k.sched.find(1);
        for (Task c : k.sched.all()) {
            if (c.parent == t) {
                c.parent = init != null && init != t ? init : null;
                if (c.state == Task.State.ZOMBIE && c.parent != null) {
                    c.parent.childWait.wakeAll(k.sched);
                }
            }
        }
        if (t.parent != null) {
            t.parent.childWait.wakeAll(k.sched);
            k.signals.send(t.parent, Signals.SIGCHLD, 1 /* CLD_EXITED */, t.pid);
        }
        // The kernel stack stays until the task is reaped: its pt_regs hold the status.
    }

    /** Default action of a fatal signal: the task dies with that signal as its status. */
    public void kill(Task t, int sig) {
        exit(t, sig | (Signals.dumpsCore(sig) ? 0x80 : 0));
    }

    /** Sends a signal from kill(2) or the kernel (SIGPIPE): see {@link SignalDelivery#send}. */
    public void sendSignal(Task t, int sig) {
        k.signals.send(t, sig, SignalDelivery.SI_USER, 0);
    }

    /** The status a shell reports for a wait status: the exit code, or 128 + signal. */
    public static int shellStatus(int waitStatus) {
        int sig = waitStatus & 0x7f;
        return sig == 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
    }
}
