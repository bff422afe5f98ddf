package microlith.kernel.module;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Links a module's classes against what the kernel exports to modules, as Linux's loader
 * resolves a .ko's undefined symbols: every class, field and method a module names must
 * be its own, the SDK's ({@code microlith.module.api}), or in a small deterministic part of
 * java.base. Reflection, method handles, class loading, threads, host files and host
 * clocks are not exported, so a module can reach the kernel only through the SDK objects
 * it is handed, and cannot look inside them. The first unresolved name fails the load
 * with "Unknown symbol", as an undefined symbol does in Linux.
 *
 * <p>The same pass instruments the code: at every backward branch, switch, return and
 * throw it calls the module's meter with the number of bytecodes run since the last
 * call. That charges module work to simulated time (one cycle per bytecode) and lets the
 * kernel stop a module that never returns after a cycle budget, without a host thread.
 */
final class ModuleVerifier {
    /** The synthetic per-module class the instrumentation calls. */
    static final String METER = "microlith_ko_Meter";

    private static final Set<String> LANG = Set.of("Object", "String", "StringBuilder", "StringBuffer",
        "CharSequence", "Math", "StrictMath", "Integer", "Long", "Short", "Byte", "Character", "Boolean", "Double",
        "Float", "Number", "Comparable", "Iterable", "Runnable", "AutoCloseable", "Enum", "Record", "Void",
        "Throwable", "Exception", "RuntimeException", "Error", "IllegalArgumentException", "IllegalStateException",
        "UnsupportedOperationException", "IndexOutOfBoundsException", "ArrayIndexOutOfBoundsException",
        "StringIndexOutOfBoundsException", "ArithmeticException", "NullPointerException", "NumberFormatException",
        "ClassCastException", "NegativeArraySizeException", "ArrayStoreException", "AssertionError",
        "CloneNotSupportedException", "Cloneable", "Override", "Deprecated", "FunctionalInterface", "SafeVarargs",
        "SuppressWarnings", "Class", "System", "MatchException");
    private static final Set<String> UTIL_DENIED = Set.of("Random", "SplittableRandom", "Timer", "TimerTask",
        "ServiceLoader", "Scanner", "Date", "Calendar", "GregorianCalendar", "TimeZone", "SimpleTimeZone",
        "Properties", "ResourceBundle", "PropertyResourceBundle", "ListResourceBundle");
    private static final Set<String> NIO = Set.of("java/nio/Buffer", "java/nio/ByteBuffer", "java/nio/ByteOrder",
        "java/nio/ShortBuffer", "java/nio/IntBuffer", "java/nio/LongBuffer", "java/nio/CharBuffer",
        "java/nio/BufferOverflowException", "java/nio/BufferUnderflowException",
        "java/nio/ReadOnlyBufferException", "java/nio/charset/StandardCharsets", "java/nio/charset/Charset");
    private static final Set<String> CLASS_METHODS = Set.of("getName", "getSimpleName", "desiredAssertionStatus",
        "cast", "isInstance", "hashCode", "equals", "toString");
    private static final Set<String> SYSTEM_METHODS = Set.of("arraycopy", "identityHashCode");
    private static final Set<String> BOOTSTRAPS = Set.of("java/lang/invoke/StringConcatFactory",
        "java/lang/invoke/LambdaMetafactory", "java/lang/runtime/ObjectMethods");

    /** A reference the kernel does not export. */
    static final class UnknownSymbol extends Exception {
        UnknownSymbol(String symbol) {
            super(symbol, null, false, false);
        }
    }

    private final Set<String> own;

    private ModuleVerifier(Set<String> own) {
        this.own = own;
    }

    /** Checks and instruments every class; returns the classes to define, by internal name. */
    static Map<String, byte[]> link(Map<String, byte[]> classes) throws UnknownSymbol {
        ModuleVerifier v = new ModuleVerifier(classes.keySet());
        Map<String, byte[]> out = new HashMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            out.put(e.getKey(), v.instrument(e.getValue()));
        }
        out.put(METER, meterClass());
        return out;
    }

    private byte[] instrument(byte[] code) throws UnknownSymbol {
        ClassReader r;
        try {
            r = new ClassReader(code);
        } catch (RuntimeException e) {
            throw new UnknownSymbol("<malformed class file>");
        }
        ClassWriter w = new ClassWriter(r, ClassWriter.COMPUTE_MAXS);
        String[] failure = new String[1];
        try {
            r.accept(new Checker(w, failure), 0);
        } catch (RuntimeException e) {
            throw new UnknownSymbol("<malformed class file: " + e.getMessage() + ">");
        }
        if (failure[0] != null) {
            throw new UnknownSymbol(failure[0]);
        }
        return w.toByteArray();
    }

    /** Whether a class (internal name) is exported to modules. */
    boolean exported(String internal) {
        if (own.contains(internal) || internal.equals(METER)) {
            return true;
        }
        if (internal.startsWith("microlith/module/api/")) {
            return internal.indexOf('/', "microlith/module/api/".length()) < 0;
        }
        if (internal.startsWith("java/lang/") && internal.indexOf('/', 10) < 0) {
            return LANG.contains(internal.substring(10));
        }
        if (internal.startsWith("java/util/function/")) {
            return internal.indexOf('/', 19) < 0;
        }
        if (internal.startsWith("java/util/") && internal.indexOf('/', 10) < 0) {
            String simple = internal.substring(10);
            int dollar = simple.indexOf('$');
            return !UTIL_DENIED.contains(dollar < 0 ? simple : simple.substring(0, dollar));
        }
        return NIO.contains(internal);
    }

    private final class Checker extends ClassVisitor {
        private final String[] failure;
        private String className;

        Checker(ClassVisitor next, String[] failure) {
            super(Opcodes.ASM9, next);
            this.failure = failure;
        }

        void need(String internal) {
            if (internal == null || failure[0] != null) {
                return;
            }
            while (internal.startsWith("[")) {
                internal = internal.substring(1);
            }
            if (internal.startsWith("L") && internal.endsWith(";")) {
                internal = internal.substring(1, internal.length() - 1);
            }
            if (internal.length() > 1 && !exported(internal)) {
                failure[0] = internal.replace('/', '.');
            }
        }

        void needType(Type t) {
            if (t.getSort() == Type.ARRAY) {
                needType(t.getElementType());
            } else if (t.getSort() == Type.OBJECT) {
                need(t.getInternalName());
            } else if (t.getSort() == Type.METHOD) {
                needType(t.getReturnType());
                for (Type a : t.getArgumentTypes()) {
                    needType(a);
                }
            }
        }

        void needMethod(String owner, String name, String desc) {
            need(owner);
            needType(Type.getMethodType(desc));
            if (failure[0] != null) {
                return;
            }
            boolean monitor = (name.equals("wait") || name.equals("notify") || name.equals("notifyAll"))
                && (desc.equals("()V") || desc.startsWith("(J"));
            if (monitor || owner.equals("java/lang/Class") && !CLASS_METHODS.contains(name)
                || owner.equals("java/lang/System") && !SYSTEM_METHODS.contains(name)) {
                failure[0] = owner.replace('/', '.') + "." + name;
            }
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            className = name;
            need(superName);
            if (interfaces != null) {
                for (String i : interfaces) {
                    need(i);
                }
            }
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            needType(Type.getType(descriptor));
            return super.visitField(access, name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            needType(Type.getMethodType(descriptor));
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            boolean hasCode = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
            if ((access & Opcodes.ACC_NATIVE) != 0) {
                failure[0] = className.replace('/', '.') + "." + name + " (native method)";
            }
            return hasCode ? new Metered(mv) : mv;
        }

        /** Checks each instruction's references and inserts the meter calls. */
        private final class Metered extends MethodVisitor {
            private final Set<Label> seen = new java.util.HashSet<>();
            private int pending;

            /*
             * Nothing is inserted at method entry: a branch target at offset 0 has the
             * implicit initial stack map frame, and code in front of it would need a new one.
             */
            Metered(MethodVisitor next) {
                super(Opcodes.ASM9, next);
            }

            private void meter() {
                super.visitLdcInsn(Math.max(pending, 1));
                super.visitMethodInsn(Opcodes.INVOKESTATIC, METER, "tick", "(I)V", false);
                pending = 0;
            }

            @Override
            public void visitLabel(Label label) {
                seen.add(label);
                super.visitLabel(label);
            }

            @Override
            public void visitInsn(int opcode) {
                pending++;
                if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN || opcode == Opcodes.ATHROW) {
                    meter();
                }
                super.visitInsn(opcode);
            }

            @Override
            public void visitIntInsn(int opcode, int operand) {
                pending++;
                super.visitIntInsn(opcode, operand);
            }

            @Override
            public void visitVarInsn(int opcode, int var) {
                pending++;
                super.visitVarInsn(opcode, var);
            }

            @Override
            public void visitIincInsn(int var, int increment) {
                pending++;
                super.visitIincInsn(var, increment);
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
                pending++;
                need(type);
                super.visitTypeInsn(opcode, type);
            }

            @Override
            public void visitMultiANewArrayInsn(String descriptor, int dims) {
                pending++;
                needType(Type.getType(descriptor));
                super.visitMultiANewArrayInsn(descriptor, dims);
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                pending++;
                need(owner);
                needType(Type.getType(descriptor));
                super.visitFieldInsn(opcode, owner, name, descriptor);
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
                pending++;
                needMethod(owner, name, descriptor);
                super.visitMethodInsn(opcode, owner, name, descriptor, itf);
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
                pending++;
                if (!BOOTSTRAPS.contains(bsm.getOwner())) {
                    failure[0] = bsm.getOwner().replace('/', '.') + "." + bsm.getName();
                }
                needType(Type.getMethodType(descriptor));
                for (Object a : args) {
                    constant(a);
                }
                super.visitInvokeDynamicInsn(name, descriptor, bsm, args);
            }

            private void constant(Object value) {
                if (value instanceof Type) {
                    needType((Type) value);
                } else if (value instanceof Handle) {
                    Handle h = (Handle) value;
                    needMethod(h.getOwner(), h.getName(), h.getDesc().startsWith("(") ? h.getDesc() : "()V");
                } else if (value instanceof org.objectweb.asm.ConstantDynamic) {
                    failure[0] = "constant dynamic " + ((org.objectweb.asm.ConstantDynamic) value).getName();
                }
            }

            @Override
            public void visitLdcInsn(Object value) {
                pending++;
                constant(value);
                super.visitLdcInsn(value);
            }

            @Override
            public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                need(type);
                super.visitTryCatchBlock(start, end, handler, type);
            }

            @Override
            public void visitJumpInsn(int opcode, Label label) {
                pending++;
                if (seen.contains(label)) {
                    meter();
                }
                super.visitJumpInsn(opcode, label);
            }

            @Override
            public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                pending++;
                meter();
                super.visitTableSwitchInsn(min, max, dflt, labels);
            }

            @Override
            public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                pending++;
                meter();
                super.visitLookupSwitchInsn(dflt, keys, labels);
            }
        }
    }

    /**
     * public final class microlith_ko_Meter {
     *     public static java.util.function.IntConsumer sink;
     *     public static void tick(int n) { sink.accept(n); }
     * }
     */
    private static byte[] meterClass() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, METER, null, "java/lang/Object", null);
        w.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "sink", "Ljava/util/function/IntConsumer;", null, null)
            .visitEnd();
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "tick", "(I)V", null, null);
        m.visitCode();
        m.visitFieldInsn(Opcodes.GETSTATIC, METER, "sink", "Ljava/util/function/IntConsumer;");
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/function/IntConsumer", "accept", "(I)V", true);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }
}
