package microlith.kernel.arch;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.JavaCallGate;

/**
 * The kernel's text section and its tiny assembler.
 *
 * <p>Every kernel entry point is code at an address here. A Java routine is reached by
 * the KCALL encoding {@code 0F 0A id32} (see {@link JavaCallGate}); around those the
 * text holds ordinary x86-64 instructions (SWAPGS, SYSRETQ, IRETQ, an indirect CALL
 * through the syscall table), executed by the CPU like any other code. Each emitted
 * symbol is recorded for /proc/kallsyms and for oops messages.
 */
public final class KernelText implements JavaCallGate.Routines {
    /** A Java routine run by KCALL at CPL 0. */
    @FunctionalInterface
    public interface Routine {
        void run(Cpu cpu);
    }

    private final long base;
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final List<Routine> routines = new ArrayList<>();
    private final List<String> routineNames = new ArrayList<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final Map<Long, Integer> patches = new LinkedHashMap<>();

    public KernelText(long base) {
        this.base = base;
    }

    public long base() {
        return base;
    }

    /** Address the next emitted byte will have. */
    public long here() {
        return base + code.size();
    }

    public long symbol(String name) {
        Long a = symbols.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no kernel symbol " + name);
        }
        return a;
    }

    public Map<String, Long> symbols() {
        return symbols;
    }

    /** Starts a new symbol at a 16-byte boundary, as compilers align functions. */
    public long label(String name) {
        while (code.size() % 16 != 0) {
            code.write(0xCC);
        }
        long a = here();
        symbols.put(name, a);
        return a;
    }

    public KernelText bytes(int... b) {
        for (int x : b) {
            code.write(x);
        }
        return this;
    }

    /** KCALL to a new routine; returns nothing, the routine is bound to this call site. */
    public KernelText kcall(String name, Routine r) {
        int id = routines.size();
        routines.add(r);
        routineNames.add(name);
        bytes(0x0F, 0x0A, id & 0xff, id >>> 8 & 0xff, id >>> 16 & 0xff, id >>> 24);
        return this;
    }

    /**
     * Registers a routine that code outside this text (a module's stubs) reaches by KCALL;
     * returns its id. The caller writes the stub bytes where they belong.
     */
    public int addRoutine(String name, Routine r) {
        routines.add(r);
        routineNames.add(name);
        return routines.size() - 1;
    }

    /** Forgets a module routine; its id is never reused, so a stale stub cannot reach another. */
    public void removeRoutine(int id) {
        routines.set(id, null);
        routineNames.set(id, null);
    }

    /** A function whose whole body is a Java routine: {@code name: KCALL; RET}. */
    public long function(String name, Routine r) {
        long a = label(name);
        kcall(name, r);
        bytes(0xC3);
        return a;
    }

    public KernelText swapgs() {
        return bytes(0x0F, 0x01, 0xF8);
    }

    public KernelText sysretq() {
        return bytes(0x48, 0x0F, 0x07);
    }

    public KernelText iretq() {
        return bytes(0x48, 0xCF);
    }

    public KernelText sti() {
        return bytes(0xFB);
    }

    public KernelText cli() {
        return bytes(0xFA);
    }

    public KernelText hlt() {
        return bytes(0xF4);
    }

    /** JMP rel32 to an absolute address in this text. */
    public KernelText jmp(long target) {
        long next = here() + 5;
        int rel = (int) (target - next);
        return bytes(0xE9, rel & 0xff, rel >>> 8 & 0xff, rel >>> 16 & 0xff, rel >>> 24 & 0xff);
    }

    /**
     * CALL qword [table + RAX*8]: FF /2 with SIB (scale 8, index RAX, no base) and a
     * sign-extended disp32, so the table must lie in the top 2 GiB. The displacement is
     * patched in later with {@link #patch32}; returns the address of the disp32.
     */
    public long callTableRax() {
        bytes(0xFF, 0x14, 0xC5);
        long at = here();
        bytes(0, 0, 0, 0);
        return at;
    }

    /** Overwrites four bytes at addr once the value is known (a link-time relocation). */
    public void patch32(long addr, int value) {
        patches.put(addr, value);
    }

    public byte[] toBytes() {
        byte[] b = code.toByteArray();
        for (Map.Entry<Long, Integer> p : patches.entrySet()) {
            int off = (int) (p.getKey() - base);
            int v = p.getValue();
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >>> 8);
            b[off + 2] = (byte) (v >>> 16);
            b[off + 3] = (byte) (v >>> 24);
        }
        return b;
    }

    public int size() {
        return code.size();
    }

    @Override
    public void call(int id, Cpu cpu) {
        Routine r = id >= 0 && id < routines.size() ? routines.get(id) : null;
        if (r == null) {
            // A stub of an unloaded module: the routine is gone, as its code would be.
            throw microlith.hw.cpu.CpuException.ud();
        }
        r.run(cpu);
    }

    /** The nearest symbol at or below an address, as "name+0xoff", for oops messages. */
    public String describe(long addr) {
        String best = null;
        long bestAddr = 0;
        for (Map.Entry<String, Long> e : symbols.entrySet()) {
            long a = e.getValue();
            if (Long.compareUnsigned(a, addr) <= 0 && (best == null || Long.compareUnsigned(a, bestAddr) > 0)) {
                best = e.getKey();
                bestAddr = a;
            }
        }
        if (best == null || Long.compareUnsigned(addr, base + code.size()) >= 0 || Long.compareUnsigned(addr, base) < 0) {
            return "0x" + Long.toHexString(addr);
        }
        return best + "+0x" + Long.toHexString(addr - bestAddr);
    }
}
