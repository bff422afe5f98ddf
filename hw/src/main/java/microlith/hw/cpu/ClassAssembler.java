package microlith.hw.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of a JVM class-file writer (JVM Specification, chapter 4) for
 * {@link Translator}: a constant pool, methods with code and exception tables, and
 * branches to labels. Classes are written as version 49 (Java 5), the last format whose
 * verifier infers the types at branch targets itself, so no StackMapTable is needed.
 */
final class ClassAssembler {
    private static final int VERSION = 49;
    static final int ACC_PUBLIC = 0x0001, ACC_FINAL = 0x0010, ACC_SUPER = 0x0020;

    private final Bytes pool = new Bytes();
    private int poolCount = 1;
    private final Map<String, Integer> poolIndex = new HashMap<>();
    private final Bytes methods = new Bytes();
    private int methodCount;

    // ---------------------------------------------------------------- constant pool

    private int constant(String key, int tag, byte[] body, int slots) {
        Integer known = poolIndex.get(key);
        if (known != null) {
            return known;
        }
        int index = poolCount;
        pool.u1(tag);
        pool.raw(body);
        poolCount += slots;
        poolIndex.put(key, index);
        return index;
    }

    int utf8(String s) {
        Bytes b = new Bytes();
        b.utf(s);
        return constant("U" + s, 1, b.toArray(), 1);
    }

    int classRef(String internalName) {
        Bytes b = new Bytes();
        b.u2(utf8(internalName));
        return constant("C" + internalName, 7, b.toArray(), 1);
    }

    private int nameAndType(String name, String desc) {
        Bytes b = new Bytes();
        b.u2(utf8(name));
        b.u2(utf8(desc));
        return constant("N" + name + ' ' + desc, 12, b.toArray(), 1);
    }

    private int memberRef(int tag, String owner, String name, String desc) {
        Bytes b = new Bytes();
        b.u2(classRef(owner));
        b.u2(nameAndType(name, desc));
        return constant("M" + tag + owner + '.' + name + desc, tag, b.toArray(), 1);
    }

    int fieldRef(String owner, String name, String desc) {
        return memberRef(9, owner, name, desc);
    }

    int methodRef(String owner, String name, String desc) {
        return memberRef(10, owner, name, desc);
    }

    int longConstant(long v) {
        Bytes b = new Bytes();
        b.u4((int) (v >>> 32));
        b.u4((int) v);
        // A long takes two constant-pool slots.
        return constant("J" + v, 5, b.toArray(), 2);
    }

    int intConstant(int v) {
        Bytes b = new Bytes();
        b.u4(v);
        return constant("I" + v, 3, b.toArray(), 1);
    }

    // ---------------------------------------------------------------- methods and class

    void method(int access, String name, String desc, Code code) {
        methods.u2(access);
        methods.u2(utf8(name));
        methods.u2(utf8(desc));
        methods.u2(1);
        code.resolve();
        Bytes attr = new Bytes();
        attr.u2(code.maxStack);
        attr.u2(code.maxLocals);
        attr.u4(code.out.size());
        attr.raw(code.out.toArray());
        attr.u2(code.handlers.size());
        for (int[] h : code.handlers) {
            attr.u2(h[0]);
            attr.u2(h[1]);
            attr.u2(h[2]);
            attr.u2(h[3]);
        }
        attr.u2(0);
        methods.u2(utf8("Code"));
        methods.u4(attr.size());
        methods.raw(attr.toArray());
        methodCount++;
    }

    byte[] toBytes(int access, String thisName, String superName) {
        int thisIndex = classRef(thisName);
        int superIndex = classRef(superName);
        Bytes out = new Bytes();
        out.u4(0xCAFEBABE);
        out.u2(0);
        out.u2(VERSION);
        out.u2(poolCount);
        out.raw(pool.toArray());
        out.u2(access);
        out.u2(thisIndex);
        out.u2(superIndex);
        out.u2(0);
        out.u2(0);
        out.u2(methodCount);
        out.raw(methods.toArray());
        out.u2(0);
        return out.toArray();
    }

    /** A branch target inside one {@link Code}. */
    static final class Label {
        int pos = -1;
    }

    /** The bytecode of one method, with forward branches patched once their label is placed. */
    final class Code {
        final Bytes out = new Bytes();
        int maxStack;
        int maxLocals;
        private final List<int[]> handlers = new ArrayList<>();
        /** Pending branches: the opcode's offset and its label. */
        private final List<Object[]> fixups = new ArrayList<>();

        Code(int maxStack, int maxLocals) {
            this.maxStack = maxStack;
            this.maxLocals = maxLocals;
        }

        int pos() {
            return out.size();
        }

        void op(int opcode) {
            out.u1(opcode);
        }

        private void local(int opcode, int wideOpcodeBase, int n) {
            if (n <= 3) {
                out.u1(wideOpcodeBase + n);
            } else {
                out.u1(opcode);
                out.u1(n);
            }
        }

        void aload(int n) {
            local(0x19, 0x2a, n);
        }

        void astore(int n) {
            local(0x3a, 0x4b, n);
        }

        void lload(int n) {
            local(0x16, 0x1e, n);
        }

        void lstore(int n) {
            local(0x37, 0x3f, n);
        }

        void iconst(int v) {
            if (v >= -1 && v <= 5) {
                out.u1(0x03 + v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                out.u1(0x10);
                out.u1(v);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                out.u1(0x11);
                out.u2(v);
            } else {
                out.u1(0x13);
                out.u2(intConstant(v));
            }
        }

        void lconst(long v) {
            if (v == 0 || v == 1) {
                out.u1(0x09 + (int) v);
            } else {
                out.u1(0x14);
                out.u2(longConstant(v));
            }
        }

        void getfield(String owner, String name, String desc) {
            out.u1(0xb4);
            out.u2(fieldRef(owner, name, desc));
        }

        void putfield(String owner, String name, String desc) {
            out.u1(0xb5);
            out.u2(fieldRef(owner, name, desc));
        }

        void invokestatic(String owner, String name, String desc) {
            out.u1(0xb8);
            out.u2(methodRef(owner, name, desc));
        }

        void invokespecial(String owner, String name, String desc) {
            out.u1(0xb7);
            out.u2(methodRef(owner, name, desc));
        }

        /** A branch instruction (goto or a conditional) to {@code target}. */
        void jump(int opcode, Label target) {
            fixups.add(new Object[] {pos(), target});
            out.u1(opcode);
            out.u2(0);
        }

        void mark(Label l) {
            l.pos = pos();
        }

        /** Catches {@code catchType} (a class name) thrown by code in [start, end) at handler. */
        void handler(int start, int end, int handler, String catchType) {
            handlers.add(new int[] {start, end, handler, classRef(catchType)});
        }

        private void resolve() {
            for (Object[] f : fixups) {
                int at = (Integer) f[0];
                int target = ((Label) f[1]).pos;
                if (target < 0) {
                    throw new IllegalStateException("branch to an unplaced label");
                }
                out.patch2(at + 1, target - at);
            }
            fixups.clear();
        }
    }

    Code code(int maxStack, int maxLocals) {
        return new Code(maxStack, maxLocals);
    }

    /** A growable big-endian byte buffer. */
    static final class Bytes {
        private byte[] buf = new byte[256];
        private int size;

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        void u1(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void u2(int v) {
            u1(v >>> 8);
            u1(v);
        }

        void u4(int v) {
            u2(v >>> 16);
            u2(v);
        }

        void raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        /** Names and descriptors here are ASCII, whose modified UTF-8 is the bytes themselves. */
        void utf(String s) {
            u2(s.length());
            for (int i = 0; i < s.length(); i++) {
                u1(s.charAt(i));
            }
        }

        void patch2(int at, int v) {
            buf[at] = (byte) (v >>> 8);
            buf[at + 1] = (byte) v;
        }

        int size() {
            return size;
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
