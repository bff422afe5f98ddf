package microlith.kernel.ipc;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.JavaCallGate;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.arch.Segments;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.mm.PageTables;
import microlith.kernel.mm.Vma;
import microlith.kernel.proc.ProcessManager;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.server.abi.Ipc;

/**
 * Builds a server process: a task with an address space of its own laid out as
 * {@link Ipc} describes, the server loop's x86 code in its text page (registered with the
 * CPU's Java-call gate by physical frame, so its KCALLs run the server's Java routines at
 * CPL 3 and nowhere else), and its registers set to start at the loop. Every page is
 * populated now: a page fault inside a server's Java routine would restart the routine.
 *
 * <pre>
 * text+0x00  0F 0A 01 00 00 00   KCALL HANDLE
 * text+0x06  B8 00 02 00 00      mov eax, SYS_IPC_REPLY_RECV
 * text+0x0B  0F 05               syscall
 * text+0x0D  EB F1               jmp text+0x00
 * text+0x20  0F 05               syscall                 (the trampoline)
 * text+0x22  0F 0A 02 00 00 00   KCALL RESUME
 * text+0x28  0F 0B               ud2
 * text+0x30  0F 0A 03 00 00 00   KCALL FN_RETURN         (calls through pointers return here)
 * text+0x100 + 16k               KCALL FN_BASE+k; ret    (the module's function k, k &lt; FN_STUBS)
 * </pre>
 */
public final class ServerImage {
    private final Cpu cpu;
    private final PageTables tables;
    private final PageAllocator pages;
    private final long kernelPml4;
    private final Scheduler sched;
    private final ProcessManager process;
    private final IpcCore ipc;

    public ServerImage(Cpu cpu, PageTables tables, PageAllocator pages, long kernelPml4, Scheduler sched,
                       ProcessManager process, IpcCore ipc) {
        this.cpu = cpu;
        this.tables = tables;
        this.pages = pages;
        this.kernelPml4 = kernelPml4;
        this.sched = sched;
        this.process = process;
        this.ipc = ipc;
    }

    private static byte[] text() {
        byte[] t = new byte[(int) Layout.PAGE_SIZE];
        java.util.Arrays.fill(t, (byte) 0xCC);
        byte[] loop = {0x0F, 0x0A, (byte) Ipc.HANDLE, 0, 0, 0, (byte) 0xB8, (byte) Ipc.SYS_IPC_REPLY_RECV,
            (byte) (Ipc.SYS_IPC_REPLY_RECV >>> 8), 0, 0, 0x0F, 0x05, (byte) 0xEB, (byte) 0xF1};
        System.arraycopy(loop, 0, t, Ipc.ENTRY, loop.length);
        byte[] tramp = {0x0F, 0x05, 0x0F, 0x0A, (byte) Ipc.RESUME, 0, 0, 0, 0x0F, 0x0B};
        System.arraycopy(tramp, 0, t, Ipc.TRAMPOLINE, tramp.length);
        kcall(t, Ipc.FN_RETURN_AT, Ipc.FN_RETURN);
        for (int k = 0; k < Ipc.FN_STUBS; k++) {
            int at = Ipc.FN_STUB_BASE + 16 * k;
            kcall(t, at, Ipc.FN_BASE + k);
            t[at + 6] = (byte) 0xC3;
        }
        return t;
    }

    private static void kcall(byte[] t, int at, int id) {
        t[at] = 0x0F;
        t[at + 1] = 0x0A;
        t[at + 2] = (byte) id;
        t[at + 3] = (byte) (id >>> 8);
        t[at + 4] = (byte) (id >>> 16);
        t[at + 5] = (byte) (id >>> 24);
    }

    private static long map(AddressSpace mm, long va, long bytes, int prot, String name) {
        mm.addVma(va, va + bytes, prot, name, 0);
        long first = -1;
        for (long a = va; a < va + bytes; a += Layout.PAGE_SIZE) {
            long pa = mm.populate(a, prot);
            if (pa < 0) {
                return -1;
            }
            if (first < 0) {
                first = pa;
            }
        }
        return first;
    }

    /**
     * Creates the server for module name, its Java routines those of routines; null when
     * memory or pids run out. It waits for its first request, which starts it at the loop.
     */
    public ServerProcess spawn(String name, JavaCallGate.Routines routines, long budget) {
        Task t = process.newTask(name.length() > 15 ? name.substring(0, 15) : name);
        if (t == null) {
            return null;
        }
        AddressSpace mm = new AddressSpace(tables, pages, cpu.memory(), kernelPml4);
        long textPhys = map(mm, Ipc.TEXT, Layout.PAGE_SIZE, Vma.PROT_READ | Vma.PROT_EXEC, "[server text]");
        long ipcPhys = map(mm, Ipc.IPC_BUFFER, Layout.PAGE_SIZE, Vma.PROT_READ | Vma.PROT_WRITE, "[ipc buffer]");
        long window = map(mm, Ipc.WINDOW, Ipc.WINDOW_SIZE, Vma.PROT_READ | Vma.PROT_WRITE, "[copy window]");
        long stack = map(mm, Ipc.STACK_TOP - Layout.PAGE_SIZE, Layout.PAGE_SIZE, Vma.PROT_READ | Vma.PROT_WRITE,
            "[stack]");
        if (textPhys < 0 || ipcPhys < 0 || window < 0 || stack < 0) {
            mm.destroy();
            process.freeTask(t);
            return null;
        }
        byte[] code = text();
        cpu.memory().writeBytes(textPhys, code, 0, code.length);
        mm.brkStart = Ipc.HEAP;
        mm.brk = Ipc.HEAP;
        t.mm = mm;
        t.argv = new String[] {name};
        long regs = t.ptRegs();
        for (int off = 0; off < PtRegs.SIZE; off += 8) {
            cpu.write64(regs + off, 0);
        }
        cpu.write64(regs + PtRegs.RIP, Ipc.TEXT + Ipc.ENTRY);
        cpu.write64(regs + PtRegs.RSP, Ipc.STACK_TOP);
        cpu.write64(regs + PtRegs.CS, Segments.USER_CS);
        cpu.write64(regs + PtRegs.SS, Segments.USER_DS);
        cpu.write64(regs + PtRegs.RFLAGS, 0x202);
        cpu.write64(regs + PtRegs.ORIG_RAX, -1);
        ServerProcess s = ipc.register(t, name, ipcPhys, textPhys, budget);
        cpu.javaCallGate().registerUserFrame(textPhys, routines);
        sched.add(t);
        sched.sleep(t);
        return s;
    }

    /** Removes a server: it dies if it still lives, and its task and memory are freed. */
    public void destroy(ServerProcess s) {
        ipc.retire(s);
        if (s.task.state != Task.State.ZOMBIE) {
            process.exit(s.task, 0);
        }
        sched.remove(s.task);
        process.freeTask(s.task);
        ipc.forget(s);
    }
}
