package microlith.hw.cpu;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
final class Translator {
    /** Whether new CPUs translate (system property {@code microlith.translate}, default true). */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("microlith.translate"));
    /** Jumps to an entry before it is translated: only code that runs often pays for a class. */
    static final int HOT = 256;

    private static final String CPU = "microlith/hw/cpu/Cpu";
    private static final String BLOCK = "microlith/hw/cpu/Block";
    private static final String FAST = "microlith/hw/cpu/FastOps";
    private static final String PAGE = "microlith/hw/cpu/DecodedPage";
    private static final String EXCEPTION = "microlith/hw/cpu/CpuException";
    private static final String C = "(Lmicrolith/hw/cpu/Cpu;";

    // Locals of run(Cpu c, long pc, long budget).
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
    Block translate(DecodedPage page, int start) {
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
        private final ClassAssembler a = new ClassAssembler();
        private final ClassAssembler.Code code = a.code(16, LOCALS);
        private final ClassAssembler.Label top = new ClassAssembler.Label();
        private final ClassAssembler.Label loopExit = new ClassAssembler.Label();
        /** Per step: the code range whose exceptions are that instruction's faults. */
        private final int[] faultFrom;
        private final int[] faultTo;

        Emitter(Trace t) {
            this.t = t;
            this.faultFrom = new int[t.steps.size()];
            this.faultTo = new int[t.steps.size()];
        }

        byte[] classBytes() {
            ClassAssembler.Code init = a.code(1, 1);
            init.aload(THIS);
            init.invokespecial(BLOCK, "<init>", "()V");
            init.op(0xb1); // return
            a.method(ClassAssembler.ACC_PUBLIC, "<init>", "()V", init);
            emitRun();
            a.method(0, "run", C + "JJ)J", code);
            return a.toBytes(ClassAssembler.ACC_FINAL | ClassAssembler.ACC_SUPER,
                "microlith/hw/cpu/TranslatedBlock", BLOCK);
        }

        private void emitRun() {
            code.aload(CPU_ARG);
            code.getfield(CPU, "r", "[J");
            code.astore(REGS);
            code.lconst(0);
            code.lstore(DONE);
            code.mark(top);
            List<Trace.Step> steps = t.steps;
            for (int k = 0; k < steps.size(); k++) {
                step(k, steps.get(k));
            }
            Trace.Step last = steps.get(steps.size() - 1);
            if (!last.terminal()) {
                exit(t.length, t.end);
            }
            if (t.loops) {
                code.mark(loopExit);
                code.aload(CPU_ARG);
                code.lload(DONE);
                code.putfield(CPU, "retired", "J");
                code.lload(PC);
                code.op(0xad); // lreturn
            }
            for (int k = 0; k < steps.size(); k++) {
                if (faultTo[k] > faultFrom[k]) {
                    faultHandler(k, steps.get(k));
                }
            }
        }

        private void step(int k, Trace.Step s) {
            Insn i = s.insn;
            int retiredAfter = s.before + s.weight();
            faultFrom[k] = code.pos();
            switch (s.kind) {
                case Trace.PLAIN:
                    plain(i);
                    faultTo[k] = code.pos();
                    if (i.op == Op.F_STORE64 || i.op == Op.F_STORE32 || i.op == Op.F_PUSH64) {
                        checkPage(retiredAfter, s.after());
                    }
                    return;
                case Trace.GENERIC:
                    generic(k, s);
                    faultTo[k] = code.pos();
                    checkPage(retiredAfter, s.after());
                    return;
                case Trace.FUSED:
                    fused(k, s);
                    faultTo[k] = code.pos();
                    branch(s, retiredAfter);
                    return;
                case Trace.JCC:
                    cpu();
                    code.iconst(i.sub);
                    code.invokestatic(FAST, "jcc", C + "I)Z");
                    faultTo[k] = code.pos();
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
                    code.invokestatic(FAST, "pushValue", C + "J)V");
                    faultTo[k] = code.pos();
                    exit(retiredAfter, s.target);
                    return;
                case Trace.RET:
                    cpu();
                    code.invokestatic(FAST, "popValue", C + ")J");
                    faultTo[k] = code.pos();
                    cpu();
                    retiredValue(retiredAfter);
                    code.putfield(CPU, "retired", "J");
                    code.op(0xad); // lreturn
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
                    code.iconst(i.reg);
                    code.lconst(i.imm);
                    code.iconst(i.op == Op.F_AND_RI64 ? 8 : 4);
                    code.invokestatic(FAST, "andImm", C + "IJI)V");
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
                    code.iconst(i.reg);
                    address(i);
                    code.iconst(i.osz);
                    code.lconst(i.imm);
                    code.invokestatic(FAST, "cmpMem", C + "IJIJ)J");
                    code.op(0x58); // pop2: the value is for the fused form
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
                    code.iconst(i.reg);
                    code.iconst(i.rm);
                    code.lconst(i.imm);
                    code.invokestatic(FAST, i.op == Op.F_IMUL_RRI64 ? "imul64" : "imul32", C + "IIJ)V");
                    return;
                case Op.F_ROL_RI: case Op.F_ROR_RI:
                    cpu();
                    code.iconst(i.reg);
                    code.iconst((int) i.imm);
                    code.iconst(i.osz);
                    code.iconst(i.op == Op.F_ROL_RI ? 1 : 0);
                    code.invokestatic(FAST, "rotate", C + "IIIZ)V");
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
                    code.iconst(i.reg);
                    address(i);
                    code.iconst(i.osz);
                    code.lconst(i.imm);
                    code.iconst(i.jcc);
                    code.invokestatic(FAST, "cmpMemJcc", C + "IJIJI)Z");
                    return;
                default:
                    // The generic first halves: Exec runs only the first half of a fused entry.
                    generic(k, s);
                    cpu();
                    code.iconst(i.jcc);
                    code.invokestatic(FAST, "jcc", C + "I)Z");
            }
        }

        /**
         * A generic handler, which sees RIP past the instruction and insnStart at it, as
         * in the interpreter; the entry comes from the block's {@code insns}.
         */
        private void generic(int k, Trace.Step s) {
            cpu();
            pcAt(s.delta);
            code.putfield(CPU, "insnStart", "J");
            cpu();
            pcAt(s.delta + s.insn.len);
            code.putfield(CPU, "rip", "J");
            cpu();
            code.aload(THIS);
            code.getfield(BLOCK, "insns", "[Lmicrolith/hw/cpu/Insn;");
            code.iconst(k);
            code.op(0x32); // aaload
            code.invokestatic("microlith/hw/cpu/Exec", "execute", C + "Lmicrolith/hw/cpu/Insn;)V");
        }

        /** With "taken" on the stack: leave (or loop) if taken, else go on. */
        private void branch(Trace.Step s, int retiredAfter) {
            ClassAssembler.Label notTaken = new ClassAssembler.Label();
            code.jump(0x99, notTaken); // ifeq
            if (s.target == 0) {
                backEdge(retiredAfter);
            } else {
                exit(retiredAfter, s.target);
            }
            code.mark(notTaken);
        }

        /** Another pass from the top if it fits in the budget, else leave at the start. */
        private void backEdge(int retiredAfter) {
            code.lload(DONE);
            code.lconst(retiredAfter);
            code.op(0x61); // ladd
            code.lstore(DONE);
            code.lload(BUDGET);
            code.lload(DONE);
            code.op(0x65); // lsub
            code.lconst(t.length);
            code.op(0x94); // lcmp
            code.jump(0x9b, loopExit); // iflt
            code.jump(0xa7, top); // goto
        }

        /** Leaves the block when a store dropped its page. */
        private void checkPage(int retiredAfter, long next) {
            ClassAssembler.Label valid = new ClassAssembler.Label();
            code.aload(THIS);
            code.getfield(BLOCK, "page", "Lmicrolith/hw/cpu/DecodedPage;");
            code.getfield(PAGE, "valid", "Z");
            code.jump(0x9a, valid); // ifne
            exit(retiredAfter, next);
            code.mark(valid);
        }

        private void exit(int retired, long delta) {
            cpu();
            retiredValue(retired);
            code.putfield(CPU, "retired", "J");
            pcAt(delta);
            code.op(0xad); // lreturn
        }

        private void faultHandler(int k, Trace.Step s) {
            code.handler(faultFrom[k], faultTo[k], code.pos(), EXCEPTION);
            cpu();
            pcAt(s.delta);
            code.putfield(CPU, "insnStart", "J");
            cpu();
            retiredValue(s.before + 1);
            code.putfield(CPU, "retired", "J");
            code.op(0xbf); // athrow
        }

        /** Instructions retired so far in this call: earlier passes plus this one's. */
        private void retiredValue(int inPass) {
            if (t.loops) {
                code.lload(DONE);
                code.lconst(inPass);
                code.op(0x61); // ladd
            } else {
                code.lconst(inPass);
            }
        }

        private void pcAt(long delta) {
            code.lload(PC);
            if (delta != 0) {
                code.lconst(delta);
                code.op(0x61); // ladd
            }
        }

        private void cpu() {
            code.aload(CPU_ARG);
        }

        /** [base + index*scale + disp] of a specialized entry; a ZERO slot is left out. */
        private void address(Insn i) {
            boolean any = false;
            if (i.base != Cpu.ZERO) {
                code.aload(REGS);
                code.iconst(i.base);
                code.op(0x2f); // laload
                any = true;
            }
            if (i.index != Cpu.ZERO) {
                code.aload(REGS);
                code.iconst(i.index);
                code.op(0x2f); // laload
                if (i.scale != 0) {
                    code.iconst(i.scale);
                    code.op(0x79); // lshl
                }
                if (any) {
                    code.op(0x61); // ladd
                }
                any = true;
            }
            if (!any) {
                code.lconst(i.disp);
            } else if (i.disp != 0) {
                code.lconst(i.disp);
                code.op(0x61); // ladd
            }
        }

        private void reg(String name, int r) {
            cpu();
            code.iconst(r);
            code.invokestatic(FAST, name, C + "I)V");
        }

        private void regReg(String name, Insn i) {
            cpu();
            code.iconst(i.reg);
            code.iconst(i.rm);
            code.invokestatic(FAST, name, C + "II)V");
        }

        private void regImm(String name, Insn i) {
            cpu();
            code.iconst(i.reg);
            code.lconst(i.imm);
            code.invokestatic(FAST, name, C + "IJ)V");
        }

        private void regMem(String name, Insn i) {
            cpu();
            code.iconst(i.reg);
            address(i);
            code.invokestatic(FAST, name, C + "IJ)V");
        }

        private void regMemMask(String name, Insn i) {
            cpu();
            code.iconst(i.reg);
            address(i);
            code.lconst(i.imm);
            code.invokestatic(FAST, name, C + "IJJ)V");
        }

        private void shift(Insn i, int kind) {
            cpu();
            code.iconst(i.reg);
            code.iconst((int) i.imm);
            code.iconst(i.osz);
            code.iconst(kind);
            code.invokestatic(FAST, "shift", C + "IIII)V");
        }

        private void regRegJcc(String name, Insn i) {
            cpu();
            code.iconst(i.reg);
            code.iconst(i.rm);
            code.iconst(i.jcc);
            code.invokestatic(FAST, name, C + "III)Z");
        }

        private void regImmJcc(String name, Insn i) {
            cpu();
            code.iconst(i.reg);
            code.lconst(i.imm);
            code.iconst(i.jcc);
            code.invokestatic(FAST, name, C + "IJI)Z");
        }
    }
}
