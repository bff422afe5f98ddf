package microlith.hw.cpu.translate;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import microlith.hw.cpu.Core;
import microlith.hw.cpu.LazyFlags;
import microlith.hw.cpu.decode.DecodedPage;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.decode.Op;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Translates hot code into JVM bytecode: each {@link Trace} becomes the {@code run}
 * method of a hidden class extending {@link Block}, which the JIT then compiles like any
 * other Java code. An entry becomes a call to the same {@link FastOps} handler the
 * interpreter uses, with its register numbers, immediates and address arithmetic as
 * constants, so the JIT folds them in and no dispatch remains between instructions;
 * other entries call their generic handler through {@link Exec#execute}.
 *
 * <p>Architectural behaviour is exactly the interpreter's:
 * <ul>
 *   <li>every instruction writes its registers, flags and memory as it goes, so state is
 *       precise at any fault; an exception-table entry per instruction records where it
 *       faulted ({@link Cpu#insnStart}) and how many instructions retired, counting the
 *       faulting one as the interpreter does;</li>
 *   <li>after any instruction that may store, the block checks that its page is still
 *       valid, and leaves (at the next instruction) if the store dropped it;</li>
 *   <li>the hot loop runs a block only if its longest pass fits in the slice, and a block
 *       that loops repeats only while another pass fits, so slices, and with them timer
 *       interrupts, end on the same instruction as without translation.</li>
 * </ul>
 * Generated code refers to addresses only relative to the block's start, and to its page
 * and entries through {@link Block}'s fields, so the generated classes are cached by
 * content and shared by every machine in the JVM.
 */
public final class Translator {
    /** Whether new CPUs translate (system property {@code microlith.translate}, default true). */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("microlith.translate"));
    /** Jumps to an entry before it is translated: only code that runs often pays for a class. */
    public static final int HOT = 256;

    private static final String CPU = "microlith/hw/cpu/Core";
    private static final String BLOCK = "microlith/hw/cpu/translate/Block";
    private static final String FAST = "microlith/hw/cpu/integer/FastOps";
    private static final String PAGE = "microlith/hw/cpu/decode/DecodedPage";
    private static final String EXCEPTION = "microlith/hw/cpu/CpuException";
    private static final String C = "(Lmicrolith/hw/cpu/Core;";

    // Locals of run(Core c, long pc, long budget).
    private static final int THIS = 0, CPU_ARG = 1, PC = 2, BUDGET = 4, DONE = 6, REGS = 8, LOCALS = 9;

    /** Generated classes by content, least recently used first. */
    private static final Map<Key, MethodHandle> CLASSES = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, MethodHandle> eldest) {
            return size() > 4096;
        }
    };

    /**
     * A block for the entries starting at page offset {@code start}, or null when there
     * is too little to translate there.
     */
    public Block translate(DecodedPage page, int start) {
        Trace t = Trace.form(page, start);
        if (t.length < 2) {
            return null;
        }
        Block b = instantiate(new Emitter(t).classBytes());
        List<Trace.Step> steps = t.steps;
        b.insns = new Insn[steps.size()];
        for (int k = 0; k < b.insns.length; k++) {
            b.insns[k] = steps.get(k).insn;
        }
        b.page = page;
        b.length = t.length;
        return b;
    }

    private static Block instantiate(byte[] bytes) {
        Key key = new Key(bytes);
        try {
            MethodHandle ctor;
            synchronized (CLASSES) {
                ctor = CLASSES.get(key);
                if (ctor == null) {
                    MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
                    ctor = lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class));
                    CLASSES.put(key, ctor);
                }
            }
            return (Block) ctor.invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("translated block rejected by the JVM", e);
        }
    }

    /** Class bytes compared by content. */
    private static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(bytes, ((Key) o).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Writes one trace's class. */
    private static final class Emitter {
        private final Trace t;
        /*
         * Version 49 (Java 5) is the last class-file format whose verifier infers the types
         * at branch targets itself, so ASM need compute neither frames nor maximums, and so
         * never loads a class to find a common superclass.
         */
        private final ClassWriter cw = new ClassWriter(0);
        private MethodVisitor mv;
        private final Label top = new Label();
        private final Label loopExit = new Label();
        /** Per step: the code range whose exceptions are that instruction's faults. */
        private final Label[] faultFrom;
        private final Label[] faultTo;

        Emitter(Trace t) {
            this.t = t;
            this.faultFrom = new Label[t.steps.size()];
            this.faultTo = new Label[t.steps.size()];
        }

        byte[] classBytes() {
            cw.visit(V1_5, ACC_FINAL | ACC_SUPER, "microlith/hw/cpu/translate/TranslatedBlock", null, BLOCK, null);
            mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
            mv.visitCode();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitMethodInsn(INVOKESPECIAL, BLOCK, "<init>", "()V", false);
            mv.visitInsn(RETURN);
            mv.visitMaxs(1, 1);
            mv.visitEnd();
            mv = cw.visitMethod(0, "run", C + "JJ)J", null, null);
            mv.visitCode();
            emitRun();
            mv.visitMaxs(16, LOCALS);
            mv.visitEnd();
            cw.visitEnd();
            return cw.toByteArray();
        }

        private void emitRun() {
            mv.visitVarInsn(ALOAD, CPU_ARG);
            mv.visitFieldInsn(GETFIELD, CPU, "r", "[J");
            mv.visitVarInsn(ASTORE, REGS);
            lconst(0);
            mv.visitVarInsn(LSTORE, DONE);
            mv.visitLabel(top);
            List<Trace.Step> steps = t.steps;
            for (int k = 0; k < steps.size(); k++) {
                step(k, steps.get(k));
            }
            Trace.Step last = steps.get(steps.size() - 1);
            if (!last.terminal()) {
                exit(t.length, t.end);
            }
            if (t.loops) {
                mv.visitLabel(loopExit);
                mv.visitVarInsn(ALOAD, CPU_ARG);
                mv.visitVarInsn(LLOAD, DONE);
                mv.visitFieldInsn(PUTFIELD, CPU, "retired", "J");
                mv.visitVarInsn(LLOAD, PC);
                mv.visitInsn(LRETURN);
            }
            for (int k = 0; k < steps.size(); k++) {
                // Jumps and NOPs emit no code that can fault; the JVM rejects an empty range.
                if (faultTo[k] != null && faultTo[k].getOffset() > faultFrom[k].getOffset()) {
                    faultHandler(k, steps.get(k));
                }
            }
        }

        private void step(int k, Trace.Step s) {
            Insn i = s.insn;
            int retiredAfter = s.before + s.weight();
            faultFrom[k] = here();
            switch (s.kind) {
                case Trace.PLAIN:
                    plain(i);
                    faultTo[k] = here();
                    if (i.op == Op.F_STORE64 || i.op == Op.F_STORE32 || i.op == Op.F_PUSH64) {
                        checkPage(retiredAfter, s.after());
                    }
                    return;
                case Trace.GENERIC:
                    generic(k, s);
                    faultTo[k] = here();
                    checkPage(retiredAfter, s.after());
                    return;
                case Trace.FUSED:
                    fused(k, s);
                    faultTo[k] = here();
                    branch(s, retiredAfter);
                    return;
                case Trace.JCC:
                    cpu();
                    iconst(i.sub);
                    mv.visitMethodInsn(INVOKESTATIC, FAST, "jcc", C + "I)Z", false);
                    faultTo[k] = here();
                    branch(s, retiredAfter);
                    return;
                case Trace.FOLLOW:
                    return;
                case Trace.JMP:
                    if (s.target == 0) {
                        backEdge(retiredAfter);
                    } else {
                        exit(retiredAfter, s.target);
                    }
                    return;
                case Trace.CALL:
                    cpu();
                    pcAt(s.after());
                    mv.visitMethodInsn(INVOKESTATIC, FAST, "pushValue", C + "J)V", false);
                    faultTo[k] = here();
                    exit(retiredAfter, s.target);
                    return;
                case Trace.RET:
                    cpu();
                    mv.visitMethodInsn(INVOKESTATIC, FAST, "popValue", C + ")J", false);
                    faultTo[k] = here();
                    cpu();
                    retiredValue(retiredAfter);
                    mv.visitFieldInsn(PUTFIELD, CPU, "retired", "J");
                    mv.visitInsn(LRETURN);
                    return;
                default:
                    throw new IllegalStateException("step kind " + s.kind);
            }
        }

        /** The specialized forms: one FastOps call with constant operands. */
        private void plain(Insn i) {
            switch (i.op) {
                case Op.NOP: case Op.PAUSE: case Op.FENCE: return;
                case Op.F_MOV_RR64: regReg("mov64", i); return;
                case Op.F_MOV_RR32: regReg("mov32", i); return;
                case Op.F_MOV_RI64: case Op.F_MOV_RI32: regImm("movImm", i); return;
                case Op.F_ADD_RR64: regReg("add64", i); return;
                case Op.F_ADD_RR32: regReg("add32", i); return;
                case Op.F_SUB_RR64: regReg("sub64", i); return;
                case Op.F_SUB_RR32: regReg("sub32", i); return;
                case Op.F_CMP_RR64: regReg("cmp64", i); return;
                case Op.F_CMP_RR32: regReg("cmp32", i); return;
                case Op.F_XOR_RR64: regReg("xor64", i); return;
                case Op.F_XOR_RR32: regReg("xor32", i); return;
                case Op.F_AND_RR64: regReg("and64", i); return;
                case Op.F_AND_RR32: regReg("and32", i); return;
                case Op.F_OR_RR64: regReg("or64", i); return;
                case Op.F_OR_RR32: regReg("or32", i); return;
                case Op.F_TEST_RR64: regReg("test64", i); return;
                case Op.F_TEST_RR32: regReg("test32", i); return;
                case Op.F_ADD_RI64: regImm("addImm64", i); return;
                case Op.F_ADD_RI32: regImm("addImm32", i); return;
                case Op.F_SUB_RI64: regImm("subImm64", i); return;
                case Op.F_SUB_RI32: regImm("subImm32", i); return;
                case Op.F_CMP_RI64: regImm("cmpImm64", i); return;
                case Op.F_CMP_RI32: regImm("cmpImm32", i); return;
                case Op.F_AND_RI64: case Op.F_AND_RI32:
                    cpu();
                    iconst(i.reg);
                    lconst(i.imm);
                    iconst(i.op == Op.F_AND_RI64 ? 8 : 4);
                    mv.visitMethodInsn(INVOKESTATIC, FAST, "andImm", C + "IJI)V", false);
                    return;
                case Op.F_LOAD64: regMem("load64", i); return;
                case Op.F_LOAD32: regMem("load32", i); return;
                case Op.F_STORE64: regMem("store64", i); return;
                case Op.F_STORE32: regMem("store32", i); return;
                case Op.F_MOVZX8_M: regMem("movzx8", i); return;
                case Op.F_MOVZX16_M: regMem("movzx16", i); return;
                case Op.F_MOVSXD_M: regMem("movsxd", i); return;
                case Op.F_MOVSX8_M: regMemMask("movsx8", i); return;
                case Op.F_MOVSX16_M: regMemMask("movsx16", i); return;
                case Op.F_LEA: regMemMask("lea", i); return;
                case Op.F_CMP_MR:
                    cpu();
                    iconst(i.reg);
                    address(i);
                    iconst(i.osz);
                    lconst(i.imm);
                    mv.visitMethodInsn(INVOKESTATIC, FAST, "cmpMem", C + "IJIJ)J", false);
                    mv.visitInsn(POP2); // the value is for the fused form
                    return;
                case Op.F_PUSH64: reg("push64", i.reg); return;
                case Op.F_POP64: reg("pop64", i.reg); return;
                case Op.F_SHL_RI: shift(i, LazyFlags.SHL); return;
                case Op.F_SHR_RI: shift(i, LazyFlags.SHR); return;
                case Op.F_SAR_RI: shift(i, LazyFlags.SAR); return;
                case Op.F_IMUL_RR64: regReg("imulReg64", i); return;
                case Op.F_IMUL_RR32: regReg("imulReg32", i); return;
                case Op.F_IMUL_RRI64: case Op.F_IMUL_RRI32:
                    cpu();
                    iconst(i.reg);
                    iconst(i.rm);
                    lconst(i.imm);
                    mv.visitMethodInsn(INVOKESTATIC, FAST, i.op == Op.F_IMUL_RRI64 ? "imul64" : "imul32", C + "IIJ)V", false);
                    return;
                case Op.F_ROL_RI: case Op.F_ROR_RI:
                    cpu();
                    iconst(i.reg);
                    iconst((int) i.imm);
                    iconst(i.osz);
                    iconst(i.op == Op.F_ROL_RI ? 1 : 0);
                    mv.visitMethodInsn(INVOKESTATIC, FAST, "rotate", C + "IIIZ)V", false);
                    return;
                default:
                    throw new IllegalStateException("no translation for op " + i.op);
            }
        }

        /** The first half of a compare-and-branch pair; leaves "taken" on the stack. */
        private void fused(int k, Trace.Step s) {
            Insn i = s.insn;
            switch (i.op) {
                case Op.FJ_TEST_RR64: regRegJcc("test64Jcc", i); return;
                case Op.FJ_TEST_RR32: regRegJcc("test32Jcc", i); return;
                case Op.FJ_CMP_RR64: regRegJcc("cmp64Jcc", i); return;
                case Op.FJ_CMP_RR32: regRegJcc("cmp32Jcc", i); return;
                case Op.FJ_CMP_RI64: regImmJcc("cmpImm64Jcc", i); return;
                case Op.FJ_CMP_RI32: regImmJcc("cmpImm32Jcc", i); return;
                case Op.FJ_SUB_RI64: regImmJcc("subImm64Jcc", i); return;
                case Op.FJ_SUB_RI32: regImmJcc("subImm32Jcc", i); return;
                case Op.FJ_CMP_MR:
                    cpu();
                    iconst(i.reg);
                    address(i);
                    iconst(i.osz);
                    lconst(i.imm);
                    iconst(i.jcc);
                    mv.visitMethodInsn(INVOKESTATIC, FAST, "cmpMemJcc", C + "IJIJI)Z", false);
                    return;
                default:
                    // The generic first halves: Exec runs only the first half of a fused entry.
                    generic(k, s);
                    cpu();
                    iconst(i.jcc);
                    mv.visitMethodInsn(INVOKESTATIC, FAST, "jcc", C + "I)Z", false);
            }
        }

        /**
         * A generic handler, which sees RIP past the instruction and insnStart at it, as
         * in the interpreter; the entry comes from the block's {@code insns}.
         */
        private void generic(int k, Trace.Step s) {
            cpu();
            pcAt(s.delta);
            mv.visitFieldInsn(PUTFIELD, CPU, "insnStart", "J");
            cpu();
            pcAt(s.delta + s.insn.len);
            mv.visitFieldInsn(PUTFIELD, CPU, "rip", "J");
            cpu();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, BLOCK, "insns", "[Lmicrolith/hw/cpu/decode/Insn;");
            iconst(k);
            mv.visitInsn(AALOAD);
            mv.visitMethodInsn(INVOKESTATIC, "microlith/hw/cpu/Exec", "execute", C + "Lmicrolith/hw/cpu/decode/Insn;)V", false);
        }

        /** With "taken" on the stack: leave (or loop) if taken, else go on. */
        private void branch(Trace.Step s, int retiredAfter) {
            Label notTaken = new Label();
            mv.visitJumpInsn(IFEQ, notTaken);
            if (s.target == 0) {
                backEdge(retiredAfter);
            } else {
                exit(retiredAfter, s.target);
            }
            mv.visitLabel(notTaken);
        }

        /** Another pass from the top if it fits in the budget, else leave at the start. */
        private void backEdge(int retiredAfter) {
            mv.visitVarInsn(LLOAD, DONE);
            lconst(retiredAfter);
            mv.visitInsn(LADD);
            mv.visitVarInsn(LSTORE, DONE);
            mv.visitVarInsn(LLOAD, BUDGET);
            mv.visitVarInsn(LLOAD, DONE);
            mv.visitInsn(LSUB);
            lconst(t.length);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLT, loopExit);
            mv.visitJumpInsn(GOTO, top);
        }

        /** Leaves the block when a store dropped its page. */
        private void checkPage(int retiredAfter, long next) {
            Label valid = new Label();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, BLOCK, "page", "Lmicrolith/hw/cpu/decode/DecodedPage;");
            mv.visitFieldInsn(GETFIELD, PAGE, "valid", "Z");
            mv.visitJumpInsn(IFNE, valid);
            exit(retiredAfter, next);
            mv.visitLabel(valid);
        }

        private void exit(int retired, long delta) {
            cpu();
            retiredValue(retired);
            mv.visitFieldInsn(PUTFIELD, CPU, "retired", "J");
            pcAt(delta);
            mv.visitInsn(LRETURN);
        }

        private void faultHandler(int k, Trace.Step s) {
            Label handler = new Label();
            mv.visitTryCatchBlock(faultFrom[k], faultTo[k], handler, EXCEPTION);
            mv.visitLabel(handler);
            cpu();
            pcAt(s.delta);
            mv.visitFieldInsn(PUTFIELD, CPU, "insnStart", "J");
            cpu();
            retiredValue(s.before + 1);
            mv.visitFieldInsn(PUTFIELD, CPU, "retired", "J");
            mv.visitInsn(ATHROW);
        }

        /** Instructions retired so far in this call: earlier passes plus this one's. */
        private void retiredValue(int inPass) {
            if (t.loops) {
                mv.visitVarInsn(LLOAD, DONE);
                lconst(inPass);
                mv.visitInsn(LADD);
            } else {
                lconst(inPass);
            }
        }

        private void pcAt(long delta) {
            mv.visitVarInsn(LLOAD, PC);
            if (delta != 0) {
                lconst(delta);
                mv.visitInsn(LADD);
            }
        }

        /** A label at the current position. */
        private Label here() {
            Label l = new Label();
            mv.visitLabel(l);
            return l;
        }

        /** The shortest instruction that pushes int {@code v}. */
        private void iconst(int v) {
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

        /** The shortest instruction that pushes long {@code v}. */
        private void lconst(long v) {
            if (v == 0 || v == 1) {
                mv.visitInsn(LCONST_0 + (int) v);
            } else {
                mv.visitLdcInsn(v);
            }
        }

        private void cpu() {
            mv.visitVarInsn(ALOAD, CPU_ARG);
        }

        /** [base + index*scale + disp] of a specialized entry; a ZERO slot is left out. */
        private void address(Insn i) {
            boolean any = false;
            if (i.base != Core.ZERO) {
                mv.visitVarInsn(ALOAD, REGS);
                iconst(i.base);
                mv.visitInsn(LALOAD);
                any = true;
            }
            if (i.index != Core.ZERO) {
                mv.visitVarInsn(ALOAD, REGS);
                iconst(i.index);
                mv.visitInsn(LALOAD);
                if (i.scale != 0) {
                    iconst(i.scale);
                    mv.visitInsn(LSHL);
                }
                if (any) {
                    mv.visitInsn(LADD);
                }
                any = true;
            }
            if (!any) {
                lconst(i.disp);
            } else if (i.disp != 0) {
                lconst(i.disp);
                mv.visitInsn(LADD);
            }
        }

        private void reg(String name, int r) {
            cpu();
            iconst(r);
            mv.visitMethodInsn(INVOKESTATIC, FAST, name, C + "I)V", false);
        }

        private void regReg(String name, Insn i) {
            cpu();
            iconst(i.reg);
            iconst(i.rm);
            mv.visitMethodInsn(INVOKESTATIC, FAST, name, C + "II)V", false);
        }

        private void regImm(String name, Insn i) {
            cpu();
            iconst(i.reg);
            lconst(i.imm);
            mv.visitMethodInsn(INVOKESTATIC, FAST, name, C + "IJ)V", false);
        }

        private void regMem(String name, Insn i) {
            cpu();
            iconst(i.reg);
            address(i);
            mv.visitMethodInsn(INVOKESTATIC, FAST, name, C + "IJ)V", false);
        }

        private void regMemMask(String name, Insn i) {
            cpu();
            iconst(i.reg);
            address(i);
            lconst(i.imm);
            mv.visitMethodInsn(INVOKESTATIC, FAST, name, C + "IJJ)V", false);
        }

        private void shift(Insn i, int kind) {
            cpu();
            iconst(i.reg);
            iconst((int) i.imm);
            iconst(i.osz);
            iconst(kind);
            mv.visitMethodInsn(INVOKESTATIC, FAST, "shift", C + "IIII)V", false);
        }

        private void regRegJcc(String name, Insn i) {
            cpu();
            iconst(i.reg);
            iconst(i.rm);
            iconst(i.jcc);
            mv.visitMethodInsn(INVOKESTATIC, FAST, name, C + "III)Z", false);
        }

        private void regImmJcc(String name, Insn i) {
            cpu();
            iconst(i.reg);
            lconst(i.imm);
            iconst(i.jcc);
            mv.visitMethodInsn(INVOKESTATIC, FAST, name, C + "IJI)Z", false);
        }
    }
}
