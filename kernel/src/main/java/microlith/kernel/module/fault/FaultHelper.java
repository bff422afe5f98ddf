package microlith.kernel.module.fault;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The class a fault's code calls, added to the faulty module's own classes (so the linker
 * checks and meters it like the rest of the module):
 *
 * <pre>
 * public final class microlith_ko_Fault implements IrqHandler {
 *     public static Runnable probe;           // the experimenter's: counts activations
 *     public static ModuleContext ctx;        // the module's own context
 *     static void hit()                       // probe.run(), once per activation
 *     static void wild()                      // ctx.write64(ADDRESS, VALUE)
 *     static void raise()                     // 1 / 0
 *     static void spin()                      // for (;;) { }
 *     static T NAME(ModuleContext, long a, ...) // ctx.NAME(a ^ MASK, ...), for the corrupted pointer
 *     static int requestIrq(ModuleContext, int, IrqHandler, String)  // registers this class instead
 *     public int handle(int irq)              // IRQ_HANDLED, the device never acknowledged
 * }
 * </pre>
 */
final class FaultHelper {
    static final String NAME = "microlith_ko_Fault";
    private static final String CTX = "microlith/module/api/ModuleContext";
    private static final String IRQ = "microlith/module/api/IrqHandler";

    private final FaultSpec spec;
    private String pointerName;
    private String pointerDesc;

    FaultHelper(FaultSpec spec) {
        this.spec = spec;
    }

    /** The helper method a fault placed before an instruction calls. */
    static String pointFault(FaultType t) {
        return t == FaultType.WILD ? "wild" : t == FaultType.EXCEPTION ? "raise" : "spin";
    }

    /** An interface method's descriptor as a static one taking the ModuleContext first. */
    static String withContext(String descriptor) {
        return "(L" + CTX + ";" + descriptor.substring(1);
    }

    /** The corrupted-pointer fault wraps this ModuleContext memory method. */
    void pointer(String name, String descriptor) {
        this.pointerName = name;
        this.pointerDesc = descriptor;
    }

    byte[] generate() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, NAME, null,
            "java/lang/Object", new String[] {IRQ});
        w.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "probe", "Ljava/lang/Runnable;", null, null).visitEnd();
        w.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "ctx", "L" + CTX + ";", null, null).visitEnd();

        MethodVisitor m = begin(w, Opcodes.ACC_PUBLIC, "<init>", "()V");
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        end(m, Opcodes.RETURN);

        m = begin(w, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "hit", "()V");
        Label none = new Label();
        m.visitFieldInsn(Opcodes.GETSTATIC, NAME, "probe", "Ljava/lang/Runnable;");
        m.visitJumpInsn(Opcodes.IFNULL, none);
        m.visitFieldInsn(Opcodes.GETSTATIC, NAME, "probe", "Ljava/lang/Runnable;");
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/lang/Runnable", "run", "()V", true);
        m.visitLabel(none);
        end(m, Opcodes.RETURN);

        m = begin(w, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "wild", "()V");
        Label noCtx = new Label();
        hit(m);
        m.visitFieldInsn(Opcodes.GETSTATIC, NAME, "ctx", "L" + CTX + ";");
        m.visitJumpInsn(Opcodes.IFNULL, noCtx);
        m.visitFieldInsn(Opcodes.GETSTATIC, NAME, "ctx", "L" + CTX + ";");
        m.visitLdcInsn(spec.param());
        m.visitLdcInsn(spec.param2());
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, CTX, "write64", "(JJ)V", true);
        m.visitLabel(noCtx);
        end(m, Opcodes.RETURN);

        m = begin(w, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "raise", "()V");
        hit(m);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitInsn(Opcodes.IDIV);
        m.visitInsn(Opcodes.POP);
        end(m, Opcodes.RETURN);

        m = begin(w, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "spin", "()V");
        hit(m);
        Label top = new Label();
        m.visitLabel(top);
        m.visitJumpInsn(Opcodes.GOTO, top);
        m.visitMaxs(0, 0);
        m.visitEnd();

        m = begin(w, Opcodes.ACC_PUBLIC, "handle", "(I)I");
        hit(m);
        m.visitInsn(Opcodes.ICONST_1);
        end(m, Opcodes.IRETURN);

        String requestIrq = "(ILmicrolith/module/api/IrqHandler;Ljava/lang/String;)I";
        m = begin(w, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "requestIrq", withContext(requestIrq));
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitVarInsn(Opcodes.ILOAD, 1);
        m.visitTypeInsn(Opcodes.NEW, NAME);
        m.visitInsn(Opcodes.DUP);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, NAME, "<init>", "()V", false);
        m.visitVarInsn(Opcodes.ALOAD, 3);
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, CTX, "requestIrq", requestIrq, true);
        end(m, Opcodes.IRETURN);

        if (pointerName != null) {
            corruptedPointer(w);
        }
        w.visitEnd();
        return w.toByteArray();
    }

    /** ctx.NAME(address ^ MASK, the other arguments as given). */
    private void corruptedPointer(ClassWriter w) {
        MethodVisitor m = begin(w, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, pointerName, withContext(pointerDesc));
        hit(m);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        Type[] args = Type.getArgumentTypes(pointerDesc);
        int slot = 1;
        for (int i = 0; i < args.length; i++) {
            m.visitVarInsn(args[i].getOpcode(Opcodes.ILOAD), slot);
            if (i == 0) {
                m.visitLdcInsn(spec.param());
                m.visitInsn(Opcodes.LXOR);
            }
            slot += args[i].getSize();
        }
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, CTX, pointerName, pointerDesc, true);
        end(m, Type.getReturnType(pointerDesc).getOpcode(Opcodes.IRETURN));
    }

    private static MethodVisitor begin(ClassWriter w, int access, String name, String desc) {
        MethodVisitor m = w.visitMethod(access, name, desc, null, null);
        m.visitCode();
        return m;
    }

    private static void hit(MethodVisitor m) {
        m.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, "hit", "()V", false);
    }

    private static void end(MethodVisitor m, int returnOpcode) {
        m.visitInsn(returnOpcode);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }
}
