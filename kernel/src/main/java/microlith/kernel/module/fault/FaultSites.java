package microlith.kernel.module.fault;

import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Walks one method's instructions counting the places a fault of one type can go, and
 * (when writing) puts the fault at the chosen one. The count runs across every method of
 * every class of the module in a fixed order, so a site number names the same instruction
 * every time the same .ko is loaded.
 *
 * <p>Every fault is straight-line code added after a label and its frame, and leaves the
 * operand stack as it found it (or replaces one value by another of the same type), so the
 * method's stack map frames stay valid.
 */
final class FaultSites extends MethodVisitor {
    /** The count shared by all methods: the next site's number, the one wanted, and where it was found. */
    static final class Count {
        final FaultType type;
        final int target;
        int next;
        String found;

        Count(FaultType type, int target) {
            this.type = type;
            this.target = target;
        }
    }

    private static final String CTX = "microlith/module/api/ModuleContext";
    private static final Set<String> MEMORY = Set.of("read8", "read16", "read32", "read64", "write8", "write16",
        "write32", "write64", "readBytes", "writeBytes");
    private static final String REQUEST_IRQ = "(ILmicrolith/module/api/IrqHandler;Ljava/lang/String;)I";

    private final Count count;
    private final String where;
    private final FaultSpec spec;
    private final FaultHelper helper;
    private int insn;

    /** next null: only count. spec and helper null when only counting. */
    FaultSites(MethodVisitor next, Count count, String where, FaultSpec spec, FaultHelper helper) {
        super(Opcodes.ASM9, next);
        this.count = count;
        this.where = where;
        this.spec = spec;
        this.helper = helper;
    }

    /** Counts one site; true if it is the one to fault. */
    private boolean site() {
        boolean hit = count.next++ == count.target;
        if (hit) {
            count.found = where + ", instruction " + insn;
        }
        return hit && spec != null;
    }

    private void hit() {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, FaultHelper.NAME, "hit", "()V", false);
    }

    /** WILD, EXCEPTION and LOOP go before any instruction: a call to the helper. */
    private void before() {
        insn++;
        FaultType t = count.type;
        if ((t == FaultType.WILD || t == FaultType.EXCEPTION || t == FaultType.LOOP) && site()) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, FaultHelper.NAME, FaultHelper.pointFault(t), "()V", false);
        }
    }

    /** Flips bits of the int or long on top of the stack. */
    private void flip(boolean isLong) {
        hit();
        if (isLong) {
            super.visitLdcInsn(spec.param());
            super.visitInsn(Opcodes.LXOR);
        } else {
            super.visitLdcInsn((int) spec.param());
            super.visitInsn(Opcodes.IXOR);
        }
    }

    /** An integer arithmetic or logic instruction: IADD .. LXOR without the float and double ones. */
    private static boolean arith(int op) {
        if (op < Opcodes.IADD || op > Opcodes.LXOR) {
            return false;
        }
        // IADD..DNEG go I, L, F, D in fours; ISHL..LXOR go I, L in pairs.
        return op > Opcodes.DNEG || (op - Opcodes.IADD) % 4 < 2;
    }

    private static boolean longResult(int op) {
        return op > Opcodes.DNEG ? (op - Opcodes.ISHL) % 2 == 1 : (op - Opcodes.IADD) % 4 == 1;
    }

    @Override
    public void visitInsn(int opcode) {
        before();
        boolean ret = opcode == Opcodes.IRETURN || opcode == Opcodes.LRETURN;
        if (count.type == FaultType.RETURN && ret && site()) {
            flip(opcode == Opcodes.LRETURN);
        }
        super.visitInsn(opcode);
        if (count.type == FaultType.ARITH && arith(opcode) && site()) {
            flip(longResult(opcode));
        }
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        before();
        super.visitIincInsn(var, increment);
        if (count.type == FaultType.ARITH && site()) {
            super.visitVarInsn(Opcodes.ILOAD, var);
            flip(false);
            super.visitVarInsn(Opcodes.ISTORE, var);
        }
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        before();
        if (count.type == FaultType.BRANCH && opcode != Opcodes.GOTO && opcode != Opcodes.JSR && site()) {
            hit();
            super.visitJumpInsn(inverse(opcode), label);
            return;
        }
        super.visitJumpInsn(opcode, label);
    }

    /** The branch taken exactly when opcode's is not. */
    static int inverse(int opcode) {
        switch (opcode) {
            case Opcodes.IFNULL: return Opcodes.IFNONNULL;
            case Opcodes.IFNONNULL: return Opcodes.IFNULL;
            default:
                // IFEQ..IF_ACMPNE come in pairs: (IFEQ, IFNE), (IFLT, IFGE), (IFGT, IFLE), ...
                return ((opcode - Opcodes.IFEQ) ^ 1) + Opcodes.IFEQ;
        }
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
        before();
        if (opcode == Opcodes.INVOKEINTERFACE && owner.equals(CTX)) {
            if (count.type == FaultType.POINTER && MEMORY.contains(name) && site()) {
                helper.pointer(name, descriptor);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, FaultHelper.NAME, name, FaultHelper.withContext(descriptor),
                    false);
                return;
            }
            if (count.type == FaultType.IRQACK && name.equals("requestIrq") && descriptor.equals(REQUEST_IRQ) && site()) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, FaultHelper.NAME, name, FaultHelper.withContext(descriptor),
                    false);
                return;
            }
        }
        super.visitMethodInsn(opcode, owner, name, descriptor, itf);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        before();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        before();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        before();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        before();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
        before();
        super.visitInvokeDynamicInsn(name, descriptor, bsm, args);
    }

    @Override
    public void visitLdcInsn(Object value) {
        before();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        before();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        before();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dims) {
        before();
        super.visitMultiANewArrayInsn(descriptor, dims);
    }
}
