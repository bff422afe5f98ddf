package microlith.hw.cpu.translate;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.decode.Fuse;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.decode.Op;
import microlith.hw.cpu.decode.X87Decode;
import microlith.hw.cpu.translate.Region.Node;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes one region as the {@code run} method of a class extending {@link Block}.
 *
 * <pre>
 * run:     goto entry
 * bb:      if (budget - n &lt; reach) leave at bb       checkpoints (loop heads...)
 *          n += length                               every basic block
 *          ...instructions, registers and flags in locals...
 *          branch to another bb, or leave
 * cold:    TLB misses, generic handlers, exits to other addresses
 * exit:    registers, flags, TLB hits back to the core; core.retired = n; return next
 *          (or, for an address of the same page, call the block that starts there)
 * fault:   the handler of every call that may fault: the state back to the core, where
 *          and after how many instructions it faulted; throw on
 * entry:   registers, flags and the TLB views into locals; goto the first bb
 * </pre>
 *
 * The entry code comes last because only then is it known which registers the block uses.
 * Version 49 class files need no stack-map frames: the JVM's verifier infers the types at
 * branch targets itself, so ASM never has to load a class to merge them.
 */
final class BlockWriter {
    private static final String RUN_D = "(" + Gen.CORE_D + "JJ)J";
    private static final String INSN_D = "Lmicrolith/hw/cpu/decode/Insn;";
    private static final String PERF_T = "microlith/hw/PerfCounters";
    private static final String PAGE_T = "microlith/hw/cpu/decode/DecodedPage";
    /** A computed target address (RET, indirect jumps and calls). */
    private static final int TARGET = Gen.temp(5);

    private final Region region;
    private Gen g;
    private Operands o;
    private FlagCode f;
    private InstructionCode code;
    private final Map<Node, Label> labels = new HashMap<>();
    /** The entries generic call sites hand to their handler. */
    final List<Insn> genericInsns = new ArrayList<>();
    /** Bytes of bytecode in the run method, once written. */
    int codeLength;
    /** The fault sites of {@link Gen#mayFault} by number: {delta, faultAdjust}. */
    List<long[]> faultSites;

    BlockWriter(Region region) {
        this.region = region;
    }

    /**
     * The class, written twice: the first pass finds which registers and flags the block
     * uses and changes, so that the second can write all of them back wherever it must
     * (before a call that may fault, in the middle of the block).
     */
    byte[] classBytes() {
        write(null);
        Gen first = g;
        return write(first);
    }

    private byte[] write(Gen first) {
        labels.clear();
        genericInsns.clear();
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_5, ACC_FINAL | ACC_SUPER, "microlith/hw/cpu/translate/TranslatedBlock", null, Gen.BLOCK_T, null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, Gen.BLOCK_T, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", RUN_D, null, null);
        mv.visitCode();
        g = new Gen(mv, region.start);
        if (first != null) {
            g.regsUsed = first.regsUsed;
            g.regsWritten = first.regsWritten;
            g.flagsUsed = first.flagsUsed;
            g.flagsWritten = first.flagsWritten;
            g.bitsWritten = first.bitsWritten;
            g.memoryUsed = first.memoryUsed;
        }
        g.writeBack = this::writeBack;
        o = new Operands(g);
        f = new FlagCode(g);
        code = new InstructionCode(g, o, f);
        run();
        Label end = new Label();
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        codeLength = end.getOffset();
        faultSites = g.faultSites;
        return bytes;
    }

    private Label label(Node n) {
        return labels.computeIfAbsent(n, k -> new Label());
    }

    private long delta(int off) {
        return off - region.start;
    }

    private void run() {
        Label entry = new Label();
        g.jump(GOTO, entry);
        List<Node> leaders = new ArrayList<>();
        for (Node n : region.nodes) {
            if (n.leader) {
                leaders.add(n);
            }
        }
        for (int k = 0; k < leaders.size(); k++) {
            basicBlock(leaders.get(k), k + 1 < leaders.size() ? leaders.get(k + 1) : null);
        }
        // Cold code may add more (a slow path's exit); it never adds registers or flags.
        for (int k = 0; k < g.coldCode.size(); k++) {
            g.coldCode.get(k).run();
        }
        exitTail();
        g.label(entry);
        prologue();
    }

    private void basicBlock(Node leader, Node following) {
        int length = leader.bbLength;
        g.label(label(leader));
        f.unknown();
        if (leader.checkpoint) {
            Label fits = new Label();
            g.lload(Gen.BUDGET);
            g.lload(Gen.N);
            g.insn(LSUB);
            g.lconst(leader.reach);
            g.insn(LCMP);
            g.jump(IFGE, fits);
            g.exitTo(delta(leader.off));
            g.label(fits);
        }
        g.lload(Gen.N);
        g.lconst(length);
        g.insn(LADD);
        g.lstore(Gen.N);
        Node n = leader;
        for (;;) {
            g.instruction(delta(n.off), n.insn.len, n.bbIndex + 1 - length);
            f.settle();
            node(n, length);
            if (n.terminal()) {
                return;
            }
            if (n.next == null) {
                g.exitTo(delta(n.nextOff));
                return;
            }
            if (n.next.leader) {
                if (n.next != following) {
                    g.jump(GOTO, label(n.next));
                }
                return;
            }
            n = n.next;
        }
    }

    private void node(Node n, int bbLength) {
        Insn i = n.insn;
        int remaining = bbLength - n.bbIndex - n.weight();
        switch (n.kind) {
            case Region.INLINE:
                o.stored = false;
                code.emit(i, i.op, n.flagsLiveOut, false);
                if (o.stored) {
                    checkCodePage(remaining);
                }
                return;
            case Region.GENERIC:
                if (i.op == Op.X87 || i.op == Op.SSE) {
                    floatingPoint(i, remaining);
                } else {
                    generic(i, remaining);
                }
                return;
            case Region.FUSED:
                code.emit(i, Fuse.firstHalf(i.op), n.flagsLiveOut, true);
                f.branch(i.jcc, taken(n));
                fallThrough(n);
                return;
            case Region.JCC:
                f.branch(i.sub, taken(n));
                fallThrough(n);
                return;
            case Region.JMP:
                if (n.target != null) {
                    g.jump(GOTO, label(n.target));
                } else {
                    g.exitTo(delta(n.targetOff));
                }
                return;
            case Region.CALL:
                g.pcPlus(delta(n.nextOff));
                g.lstore(Operands.VAL);
                o.push(Operands.VAL, 8);
                if (n.target != null) {
                    g.jump(GOTO, label(n.target));
                } else {
                    g.exitTo(delta(n.targetOff));
                }
                return;
            case Region.RET:
                o.pop(8);
                g.lstore(TARGET);
                if (i.op == Op.RET_I) {
                    g.loadReg(Cpu.RSP);
                    g.lconst(i.imm);
                    g.insn(LADD);
                    g.storeReg(Cpu.RSP);
                }
                dispatch(n.dynamicTargets);
                return;
            case Region.JUMP_RM:
                o.readRm(i, 8);
                g.lstore(TARGET);
                dispatch(n.dynamicTargets);
                return;
            case Region.CALL_RM:
                o.readRm(i, 8);
                g.lstore(TARGET);
                g.pcPlus(delta(n.nextOff));
                g.lstore(Operands.VAL);
                o.push(Operands.VAL, 8);
                dispatch(n.dynamicTargets);
                return;
            default:
                throw new IllegalStateException("node kind " + n.kind);
        }
    }

    /**
     * Goes to the computed address in TARGET: the basic block of the candidate it names,
     * found by a switch on its distance from the block's start, or out of the block.
     */
    private void dispatch(List<Node> candidates) {
        Label out = new Label();
        if (!candidates.isEmpty()) {
            List<Node> sorted = new ArrayList<>(new java.util.LinkedHashSet<>(candidates));
            sorted.sort((a, b) -> Integer.compare(a.off, b.off));
            int[] keys = new int[sorted.size()];
            Label[] targets = new Label[sorted.size()];
            for (int k = 0; k < keys.length; k++) {
                keys[k] = (int) delta(sorted.get(k).off);
                targets[k] = label(sorted.get(k));
            }
            // The distance must fit an int exactly, or a far address could alias a key.
            g.lload(TARGET);
            g.lload(Gen.PC);
            g.insn(LSUB);
            g.insn(DUP2);
            g.insn(L2I);
            g.insn(I2L);
            g.insn(LCMP);
            g.jump(IFNE, out);
            g.lload(TARGET);
            g.lload(Gen.PC);
            g.insn(LSUB);
            g.insn(L2I);
            g.mv.visitLookupSwitchInsn(out, keys, targets);
        }
        g.label(out);
        g.lload(TARGET);
        g.exitToStack();
    }

    /** The label a taken branch goes to: the target's basic block, or an exit. */
    private Label taken(Node n) {
        if (n.target != null) {
            return label(n.target);
        }
        Label exit = new Label();
        long target = delta(n.targetOff);
        g.coldCode.add(() -> {
            g.label(exit);
            g.exitTo(target);
        });
        return exit;
    }

    private void fallThrough(Node n) {
        if (n.next != null) {
            g.jump(GOTO, label(n.next));
        } else {
            g.exitTo(delta(n.nextOff));
        }
    }

    /** After a store: if it dropped the code page, leave before the next instruction. */
    private void checkCodePage(int remaining) {
        Label valid = new Label();
        g.aload(Gen.PAGE);
        g.mv.visitFieldInsn(GETFIELD, PAGE_T, "valid", "Z");
        g.jump(IFNE, valid);
        g.exitAfter(remaining);
        g.label(valid);
    }

    /**
     * An instruction run by its generic handler, out of line: the block's state goes back
     * to the core, the handler runs with RIP past the instruction, the state comes back.
     */
    private void generic(Insn i, int remaining) {
        Label call = new Label();
        Label back = new Label();
        int index = genericInsns.size();
        genericInsns.add(i);
        long[] at = g.position();
        int len = g.len;
        g.jump(GOTO, call);
        g.label(back);
        f.unknown();
        checkCodePage(remaining);
        g.coldCode.add(() -> {
            g.label(call);
            g.handlerCall(at, () -> runHandler(at[0], len, index));
            readBack();
            g.jump(GOTO, back);
        });
    }

    /**
     * An x87 or SSE instruction the block does not write inline: its handler runs in place.
     * These work on the FPU and XMM state in the core: after the state is written back
     * (as before any call that may fault), only the general registers they can write (SSE's
     * general register results, FNSTSW's AX) and, for FCOMI, FCMOVcc and (U)COMIS, the
     * flags come back into the block.
     */
    private void floatingPoint(Insn i, int remaining) {
        int index = genericInsns.size();
        genericInsns.add(i);
        int results = 0;
        if (i.op == Op.SSE) {
            // Conversions, MOVMSK, PEXTRW/PINSRW: a general register as source or result.
            results = bit(i.reg) | (i.mem ? 0 : bit(i.rm));
        } else if (i.sub == X87Decode.reg(0xDF, 0xE0)) {
            results = bit(Cpu.RAX); // FNSTSW AX
        }
        boolean flags = usesFlags(i);
        long[] at = g.position();
        int len = g.len;
        g.handlerCall(at, () -> runHandler(at[0], len, index));
        for (int r = 0; r < 16; r++) {
            if ((results & 1 << r) != 0) {
                g.coreField("r", "[J");
                g.iconst(r);
                g.insn(LALOAD);
                g.storeReg(r);
            }
        }
        if (flags) {
            f.load();
            f.unknown();
            g.flagsUsed = true;
            g.flagsWritten = true;
            g.bitsWritten = true;
        }
        if (i.mem) {
            checkCodePage(remaining);
        }
    }

    /** Runs generic call site {@code index}'s handler (Exec.execute) with RIP past the instruction. */
    private void runHandler(long delta, int len, int index) {
        g.aload(Gen.CORE);
        g.pcPlus(delta + len);
        g.mv.visitFieldInsn(PUTFIELD, Gen.CORE_T, "rip", "J");
        g.aload(Gen.CORE);
        g.aload(Gen.THIS);
        g.mv.visitFieldInsn(GETFIELD, Gen.BLOCK_T, "insns", "[" + INSN_D);
        g.iconst(index);
        g.insn(AALOAD);
        g.invokeStatic("microlith/hw/cpu/Exec", "execute", "(" + Gen.CORE_D + INSN_D + ")V");
    }

    /** A general register (0-15) as a bit, or 0 for none (-1, or the zero slot). */
    private static int bit(int r) {
        return r >= 0 && r < 16 ? 1 << r : 0;
    }

    /** FCOMI, FUCOMI and their popping forms, FCMOVcc, (U)COMISS/(U)COMISD. */
    private static boolean usesFlags(Insn i) {
        if (i.op == Op.SSE) {
            return i.sub >= microlith.hw.cpu.sse.Sse.UCOMISS && i.sub <= microlith.hw.cpu.sse.Sse.COMISD;
        }
        int fcmov = X87Decode.reg(0xDA, 0xC0);
        int fcmovN = X87Decode.reg(0xDB, 0xC0);
        int fucomi = X87Decode.reg(0xDB, 0xE8);
        int fucomip = X87Decode.reg(0xDF, 0xE8);
        int s = i.sub;
        return s >= fcmov && s < fcmov + 32 || s >= fcmovN && s < fcmovN + 32
            || s >= fucomi && s < fucomi + 16 || s >= fucomip && s < fucomip + 16;
    }

    // ---------------------------------------------------------------- entry, exit, faults

    /** Registers the block changed, the flags, and the TLB hits counted so far, to the core. */
    private void writeBack() {
        for (int r = 0; r < 16; r++) {
            if ((g.regsWritten & 1 << r) != 0) {
                g.coreField("r", "[J");
                g.iconst(r);
                g.lload(Gen.reg(r));
                g.insn(LASTORE);
            }
        }
        if (g.flagsWritten) {
            f.store();
        }
        g.coreField("perf", "L" + PERF_T + ";");
        g.insn(DUP);
        g.mv.visitFieldInsn(GETFIELD, PERF_T, "tlbHits", "J");
        g.lload(Gen.HITS);
        g.insn(LADD);
        g.mv.visitFieldInsn(PUTFIELD, PERF_T, "tlbHits", "J");
        g.lconst(0);
        g.lstore(Gen.HITS);
    }

    /** After a generic handler: every register and the flags as the core now has them. */
    private void readBack() {
        loadRegisters();
        if (g.flagsUsed) {
            f.load();
        }
    }

    private void loadRegisters() {
        for (int r = 0; r < 16; r++) {
            if ((g.regsUsed & 1 << r) != 0) {
                g.coreField("r", "[J");
                g.iconst(r);
                g.insn(LALOAD);
                g.mv.visitVarInsn(LSTORE, Gen.reg(r));
            }
        }
    }

    private void exitTail() {
        g.label(g.exitTail);
        writeBack();
        setRetired();
        g.lload(Gen.NEXT);
        g.insn(LRETURN);
        chainTail();
        if (!g.faultSites.isEmpty()) {
            faultHandler();
        }
    }

    /**
     * The handler of every call made through {@link Gen#mayFault}: the locals hold the
     * state before the faulting instruction; it goes back to the core, and the block's
     * {@link Block#fault} sets where the fault happened and how many instructions retired
     * (counting the faulting one) from the site's number. The exception then goes on to
     * the interpreter loop as if the interpreter had raised it.
     */
    private void faultHandler() {
        g.label(g.faultHandler);
        g.mv.visitVarInsn(ASTORE, Gen.EXC);
        if (Planted.active != Planted.FAULT_WITHOUT_WRITE_BACK) {
            writeBack();
        }
        g.aload(Gen.THIS);
        g.aload(Gen.CORE);
        g.lload(Gen.PC);
        g.lload(Gen.N);
        g.iload(Gen.SITE);
        g.mv.visitMethodInsn(INVOKEVIRTUAL, Gen.BLOCK_T, "fault", "(" + Gen.CORE_D + "JJI)V", false);
        g.aload(Gen.EXC);
        g.insn(ATHROW);
    }

    /** Nested calls of one block into another before they return to the interpreter loop. */
    private static final int MAX_CHAIN = 8;

    /**
     * An exit to the block's own page: if a block starts there, it is called right away
     * instead of returning to the interpreter loop (which would look the address up to
     * find it). Not when the slice cannot hold its first stretch, the page was written
     * to, the chain is already deep, or this block is due to be formed again (the loop
     * must see its exits then). Retired counts add up, on a fault too.
     */
    private void chainTail() {
        Label plain = new Label();
        Label popPlain = new Label();
        Label from = new Label();
        Label to = new Label();
        Label failed = new Label();
        g.label(g.chainTail);
        writeBack();
        g.aload(Gen.PAGE);
        g.mv.visitFieldInsn(GETFIELD, PAGE_T, "valid", "Z");
        g.jump(IFEQ, plain);
        g.aload(Gen.THIS);
        g.iload(Gen.CHAIN);
        g.mv.visitMethodInsn(INVOKEVIRTUAL, Gen.BLOCK_T, "pageExit", "(I)V", false);
        g.aload(Gen.THIS);
        g.mv.visitFieldInsn(GETFIELD, Gen.BLOCK_T, "pageExits", "I");
        g.coreField("reformExits", "I");
        g.jump(IF_ICMPGE, plain);
        g.aload(Gen.PAGE);
        g.mv.visitFieldInsn(GETFIELD, PAGE_T, "insns", "[" + INSN_D);
        g.iload(Gen.CHAIN);
        g.insn(AALOAD);
        g.insn(DUP);
        g.jump(IFNULL, popPlain);
        g.mv.visitFieldInsn(GETFIELD, "microlith/hw/cpu/decode/Insn", "block", "L" + Gen.BLOCK_T + ";");
        g.insn(DUP);
        g.jump(IFNULL, popPlain);
        g.mv.visitVarInsn(ASTORE, Gen.SUCCESSOR);
        g.lload(Gen.BUDGET);
        g.lload(Gen.N);
        g.insn(LSUB);
        g.aload(Gen.SUCCESSOR);
        g.mv.visitFieldInsn(GETFIELD, Gen.BLOCK_T, "entryLength", "I");
        g.insn(I2L);
        g.insn(LCMP);
        g.jump(IFLT, plain);
        g.coreField("chainDepth", "I");
        g.iconst(MAX_CHAIN);
        g.jump(IF_ICMPGE, plain);
        chainDepth(1);
        g.label(from);
        g.aload(Gen.SUCCESSOR);
        g.aload(Gen.CORE);
        g.lload(Gen.NEXT);
        g.lload(Gen.BUDGET);
        g.lload(Gen.N);
        g.insn(LSUB);
        g.mv.visitMethodInsn(INVOKEVIRTUAL, Gen.BLOCK_T, "run", RUN_D, false);
        g.label(to);
        g.lstore(Gen.NEXT);
        chainDepth(-1);
        addRetired();
        g.lload(Gen.NEXT);
        g.insn(LRETURN);
        g.label(failed);
        g.mv.visitVarInsn(ASTORE, Gen.EXC);
        chainDepth(-1);
        addRetired();
        g.aload(Gen.EXC);
        g.insn(ATHROW);
        g.mv.visitTryCatchBlock(from, to, failed, "java/lang/Throwable");
        g.label(popPlain);
        g.insn(POP);
        g.label(plain);
        setRetired();
        g.lload(Gen.NEXT);
        g.insn(LRETURN);
    }

    private void chainDepth(int change) {
        g.aload(Gen.CORE);
        g.insn(DUP);
        g.mv.visitFieldInsn(GETFIELD, Gen.CORE_T, "chainDepth", "I");
        g.iconst(change);
        g.insn(IADD);
        g.mv.visitFieldInsn(PUTFIELD, Gen.CORE_T, "chainDepth", "I");
    }

    /** core.retired += n: the chained block set it to its own count. */
    private void addRetired() {
        g.aload(Gen.CORE);
        g.insn(DUP);
        g.mv.visitFieldInsn(GETFIELD, Gen.CORE_T, "retired", "J");
        g.lload(Gen.N);
        g.insn(LADD);
        g.mv.visitFieldInsn(PUTFIELD, Gen.CORE_T, "retired", "J");
    }

    /** core.retired = n. */
    private void setRetired() {
        g.aload(Gen.CORE);
        g.lload(Gen.N);
        g.mv.visitFieldInsn(PUTFIELD, Gen.CORE_T, "retired", "J");
    }

    private void prologue() {
        loadRegisters();
        if (g.flagsUsed) {
            f.load();
        }
        if (g.memoryUsed) {
            g.coreField("readTags", "[J");
            g.mv.visitVarInsn(ASTORE, Gen.RTAGS);
            g.coreField("writeTags", "[J");
            g.mv.visitVarInsn(ASTORE, Gen.WTAGS);
            g.coreField("tlbFrames", "[J");
            g.mv.visitVarInsn(ASTORE, Gen.FRAMES);
            g.coreField("mem", "L" + Gen.MEM_T + ";");
            g.insn(DUP);
            g.insn(DUP);
            g.mv.visitVarInsn(ASTORE, Gen.MEM);
            g.mv.visitMethodInsn(INVOKEVIRTUAL, Gen.MEM_T, "ramArray", "()[B", false);
            g.mv.visitVarInsn(ASTORE, Gen.RAM);
            g.mv.visitFieldInsn(GETFIELD, Gen.MEM_T, "codeCache", "[L" + PAGE_T + ";");
            g.mv.visitVarInsn(ASTORE, Gen.CODE_PAGES);
        }
        o.noRecentPages();
        g.lconst(0);
        g.lstore(Gen.HITS);
        g.lconst(0);
        g.lstore(Gen.N);
        g.aload(Gen.THIS);
        g.mv.visitFieldInsn(GETFIELD, Gen.BLOCK_T, "page", "Lmicrolith/hw/cpu/decode/DecodedPage;");
        g.mv.visitVarInsn(ASTORE, Gen.PAGE);
        g.jump(GOTO, label(region.first()));
    }
}
