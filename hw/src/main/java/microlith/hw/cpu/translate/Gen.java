package microlith.hw.cpu.translate;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import microlith.hw.PhysicalMemory;
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
 *   9 next (exit address)   11 the exception a chained block threw
 *  12 read tags  13 write tags  14 TLB frames  15 RAM  16 TLB hits  18 the code page
 *  19 flag op  20 a  22 b  24 res  26 size  27 carry  28 bits      (the lazy RFLAGS)
 *  30.. eight long temporaries, then four int temporaries
 *  50 the page offset a chainable exit goes to   51 the block it chains to
 *  52.. RAX..R15 (two slots each)   84 the fault site of the call in progress
 *  85 RAM's byte array   86 the predecoded pages by physical page (PhysicalMemory.codeCache)
 *  88.. four recent pages: page number and frame of each (two slots each; see Operands)
 * </pre>
 */
final class Gen {
    static final int THIS = 0, CORE = 1, PC = 2, BUDGET = 4, N = 6, NEXT = 9, EXC = 11;
    static final int RTAGS = 12, WTAGS = 13, FRAMES = 14, MEM = 15, HITS = 16, PAGE = 18;
    static final int FOP = 19, FA = 20, FB = 22, FRES = 24, FSIZE = 26, FCARRY = 27, FBITS = 28;
    static final int CHAIN = 50, SUCCESSOR = 51, SITE = 84, RAM = 85, CODE_PAGES = 86, RECENT = 88;
    private static final int TEMPS = 30, INTS = 46, REGS = 52;

    static final String CORE_T = "microlith/hw/cpu/Core";
    static final String CORE_D = "Lmicrolith/hw/cpu/Core;";
    static final String FLAGS_T = "microlith/hw/cpu/LazyFlags";
    static final String BLOCK_T = "microlith/hw/cpu/translate/Block";
    static final String MEM_T = "microlith/hw/PhysicalMemory";

    final MethodVisitor mv;
    /**
     * Registers whose locals the code reads or writes (loaded on entry), and writes. The
     * writer's first pass collects them; the second starts from its results, so that state
     * written back in the middle of the block covers everything the block changes.
     */
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

    final Label exitTail = new Label();
    final Label chainTail = new Label();
    /** The block's one exception handler: see {@link #mayFault}. */
    final Label faultHandler = new Label();
    /** Fault sites by number: {delta, faultAdjust} of the instruction each belongs to. */
    final List<long[]> faultSites = new ArrayList<>();
    /** The region's start as a page offset: exits to the same page may chain. */
    final int startOffset;

    /** Out-of-line code (slow paths), emitted after the main body. */
    final List<Runnable> coldCode = new ArrayList<>();
    /**
     * Writes the block's state (registers, flags, TLB hits) back to the core: set by the
     * writer, which knows from a first pass which registers and flags the block changes.
     */
    Runnable writeBack;

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
    }

    /** Where the current instruction is, for code written later (out of line) that may fault. */
    long[] position() {
        return new long[] {delta, faultAdjust};
    }

    /**
     * Emits {@code call}, which may throw a CpuException but needs no guest register or
     * flag from the core (a TLB miss, a page-crossing access, an SSE check). It costs its
     * site's number in a local and nothing else: the block's one exception handler (see
     * {@code BlockWriter.faultHandler}) writes the locals back, sets the core's
     * {@code insnStart} and retired count from the site's number, and throws on. The state
     * written back is the locals as they were when the call threw, which is the state
     * before the faulting instruction: every instruction makes its accesses before it
     * changes a local. {@code call} must start and end with an empty operand stack.
     */
    void mayFault(long[] at, Runnable call) {
        int site = faultSites.size();
        faultSites.add(at);
        iconst(site);
        istore(SITE);
        Label from = new Label();
        Label to = new Label();
        mv.visitTryCatchBlock(from, to, faultHandler, "java/lang/Throwable");
        label(from);
        call.run();
        label(to);
    }

    /**
     * Emits {@code call} to a handler that works on the core's state (a generic, x87 or
     * SSE handler), preceded by that state: registers, flags and TLB hits written back, and
     * the core told which instruction runs and how many retired (counting it), so a fault in
     * the handler is precise with nothing more to do in the block. {@code call} must start
     * and end with an empty operand stack; the caller reads back what the handler changed.
     */
    void handlerCall(long[] at, Runnable call) {
        writeBack.run();
        aload(CORE);
        pcPlus(at[0]);
        mv.visitFieldInsn(PUTFIELD, CORE_T, "insnStart", "J");
        aload(CORE);
        lload(N);
        lconst(at[1]);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CORE_T, "retired", "J");
        call.run();
        forgetRecentPages();
    }

    /**
     * After anything that may have changed the TLB (a miss filled a slot, a handler ran):
     * the recent pages of {@link Operands} are no longer known to be in it.
     */
    void forgetRecentPages() {
        for (int way = 0; way < Operands.WAYS; way++) {
            lconst(-1);
            lstore(Operands.recentPage(way));
        }
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
