package microlith.hw.cpu.translate;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import microlith.hw.PhysicalMemory;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The method being generated: the layout of its locals, small bytecode helpers, and the
 * bookkeeping shared by the parts that write instructions (which registers and flags the
 * code touches, where it may fault, where it leaves).
 *
 * <pre>
 * locals of run(Core c, long pc, long budget)
 *   0 this   1 core   2 pc   4 budget   6 n (instructions retired in this call)
 *   8 at (fault site)   9 next (exit address)   11 the exception being rethrown
 *  12 read tags  13 write tags  14 TLB frames  15 RAM  16 TLB hits  18 the code page
 *  19 flag op  20 a  22 b  24 res  26 size  27 carry  28 bits      (the lazy RFLAGS)
 *  30.. eight long temporaries, then four int temporaries
 *  50 the page offset a chainable exit goes to   51 the block it chains to
 *  52.. RAX..R15 (two slots each)
 * </pre>
 */
final class Gen {
    static final int THIS = 0, CORE = 1, PC = 2, BUDGET = 4, N = 6, AT = 8, NEXT = 9, EXC = 11;
    static final int RTAGS = 12, WTAGS = 13, FRAMES = 14, MEM = 15, HITS = 16, PAGE = 18;
    static final int FOP = 19, FA = 20, FB = 22, FRES = 24, FSIZE = 26, FCARRY = 27, FBITS = 28;
    static final int CHAIN = 50, SUCCESSOR = 51;
    private static final int TEMPS = 30, INTS = 46, REGS = 52;

    static final String CORE_T = "microlith/hw/cpu/Core";
    static final String CORE_D = "Lmicrolith/hw/cpu/Core;";
    static final String FLAGS_T = "microlith/hw/cpu/LazyFlags";
    static final String BLOCK_T = "microlith/hw/cpu/translate/Block";
    static final String MEM_T = "microlith/hw/PhysicalMemory";
    static final String EXCEPTION_T = "microlith/hw/cpu/CpuException";

    final MethodVisitor mv;
    /** Registers whose locals the code reads or writes (loaded on entry), and writes. */
    int regsUsed;
    int regsWritten;
    /** Whether the code keeps the lazy flags in locals, and changes them. */
    boolean flagsUsed;
    boolean flagsWritten;
    boolean bitsWritten;
    boolean memoryUsed;

    /** The block's start address delta of the instruction being written, its length. */
    long delta;
    int len;
    /** Instructions retired at a fault of the current instruction, relative to n. */
    int faultAdjust;
    private int faultSite = -1;

    /** Fault sites: address delta, retired adjustment, handler, whether state is already synced. */
    final List<long[]> sites = new ArrayList<>();
    final List<Label> siteHandlers = new ArrayList<>();
    /** Code ranges that may throw, with their site. */
    final List<Object[]> ranges = new ArrayList<>();

    final Label exitTail = new Label();
    final Label chainTail = new Label();
    /** The region's start as a page offset: exits to the same page may chain. */
    final int startOffset;
    final Label faultTail = new Label();
    final Label syncedFaultTail = new Label();

    /** Out-of-line code (slow paths), emitted after the main body. */
    final List<Runnable> coldCode = new ArrayList<>();

    Gen(MethodVisitor mv, int startOffset) {
        this.mv = mv;
        this.startOffset = startOffset;
    }

    // ---------------------------------------------------------------- the instruction context

    /** Starts a new instruction: later faults report this address and retired count. */
    void instruction(long delta, int len, int faultAdjust) {
        this.delta = delta;
        this.len = len;
        this.faultAdjust = faultAdjust;
        this.faultSite = -1;
    }

    /** The fault site of the current instruction, made on first use. */
    int currentSite() {
        if (faultSite < 0) {
            faultSite = newSite(false);
        }
        return faultSite;
    }

    /**
     * A fault site of the current instruction for code that runs after the block's state
     * was written back to the core (a generic handler): its handler writes nothing back.
     */
    int syncedSite() {
        return newSite(true);
    }

    private int newSite(boolean synced) {
        sites.add(new long[] {delta, faultAdjust, synced ? 1 : 0});
        siteHandlers.add(new Label());
        return sites.size() - 1;
    }

    /**
     * Emits {@code code}, whose CpuExceptions are faults at {@code site}. It must start
     * and end with an empty operand stack.
     */
    void guarded(int site, Runnable code) {
        Label from = new Label();
        Label to = new Label();
        mv.visitLabel(from);
        code.run();
        mv.visitLabel(to);
        ranges.add(new Object[] {from, to, site});
    }

    /** {@link #guarded} at the current instruction's site. */
    void mayFault(Runnable code) {
        guarded(currentSite(), code);
    }

    /**
     * Leaves the block for static address pc + target, with n instructions retired so far;
     * a target in the block's own page may chain to the block that starts there.
     */
    void exitTo(long target) {
        pcPlus(target);
        mv.visitVarInsn(LSTORE, NEXT);
        long off = startOffset + target;
        if (off >= 0 && off < PhysicalMemory.PAGE_SIZE) {
            iconst((int) off);
            istore(CHAIN);
            mv.visitJumpInsn(GOTO, chainTail);
        } else {
            mv.visitJumpInsn(GOTO, exitTail);
        }
    }

    /** Leaves the block for the address on the stack (a long). */
    void exitToStack() {
        mv.visitVarInsn(LSTORE, NEXT);
        mv.visitJumpInsn(GOTO, exitTail);
    }

    /** Leaves after the current instruction, which is not the last of its basic block. */
    void exitAfter(int notYetRetired) {
        if (notYetRetired != 0) {
            mv.visitVarInsn(LLOAD, N);
            lconst(notYetRetired);
            mv.visitInsn(LSUB);
            mv.visitVarInsn(LSTORE, N);
        }
        exitTo(delta + len);
    }

    // ---------------------------------------------------------------- registers

    /** Local slot of general register r (0-15). */
    static int reg(int r) {
        return REGS + 2 * r;
    }

    void loadReg(int r) {
        regsUsed |= 1 << r;
        mv.visitVarInsn(LLOAD, reg(r));
    }

    void storeReg(int r) {
        regsUsed |= 1 << r;
        regsWritten |= 1 << r;
        mv.visitVarInsn(LSTORE, reg(r));
    }

    /** Long temporary k (0-7). */
    static int temp(int k) {
        return TEMPS + 2 * k;
    }

    /** Int temporary k (0-3). */
    static int itemp(int k) {
        return INTS + k;
    }

    // ---------------------------------------------------------------- bytecode helpers

    void iconst(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v == (byte) v) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v == (short) v) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    void lconst(long v) {
        if (v == 0 || v == 1) {
            mv.visitInsn(LCONST_0 + (int) v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    void lload(int slot) {
        mv.visitVarInsn(LLOAD, slot);
    }

    void lstore(int slot) {
        mv.visitVarInsn(LSTORE, slot);
    }

    void iload(int slot) {
        mv.visitVarInsn(ILOAD, slot);
    }

    void istore(int slot) {
        mv.visitVarInsn(ISTORE, slot);
    }

    void aload(int slot) {
        mv.visitVarInsn(ALOAD, slot);
    }

    void insn(int opcode) {
        mv.visitInsn(opcode);
    }

    void jump(int opcode, Label l) {
        mv.visitJumpInsn(opcode, l);
    }

    void label(Label l) {
        mv.visitLabel(l);
    }

    /** pc + delta on the stack. */
    void pcPlus(long d) {
        mv.visitVarInsn(LLOAD, PC);
        if (d != 0) {
            lconst(d);
            mv.visitInsn(LADD);
        }
    }

    /** And-masks the long on the stack to {@code size} bytes (nothing for 8). */
    void mask(int size) {
        if (size != 8) {
            lconst(size == 4 ? 0xffffffffL : size == 2 ? 0xffffL : 0xffL);
            mv.visitInsn(LAND);
        }
    }

    /** Sign-extends the low {@code size} bytes of the long on the stack. */
    void signExtend(int size) {
        switch (size) {
            case 1: mv.visitInsn(L2I); mv.visitInsn(I2B); mv.visitInsn(I2L); return;
            case 2: mv.visitInsn(L2I); mv.visitInsn(I2S); mv.visitInsn(I2L); return;
            case 4: mv.visitInsn(L2I); mv.visitInsn(I2L); return;
            default:
        }
    }

    void coreField(String name, String desc) {
        mv.visitVarInsn(ALOAD, CORE);
        mv.visitFieldInsn(GETFIELD, CORE_T, name, desc);
    }

    void invokeStatic(String owner, String name, String desc) {
        mv.visitMethodInsn(INVOKESTATIC, owner, name, desc, false);
    }

    void invokeCore(String name, String desc) {
        mv.visitMethodInsn(INVOKEVIRTUAL, CORE_T, name, desc, false);
    }
}
