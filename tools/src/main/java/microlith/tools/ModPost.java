package microlith.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * modpost for .ko jars: finds the module's parameter declarations in its bytecode
 * ({@code ctx.paramLong("times", 1, 0644, "How many...")} with constant arguments) and
 * records them in the manifest as {@code Module-Parameters: name:type:description|...},
 * which modinfo prints as Linux's "parm:" lines. Runs when a module enters an image
 * (the sample modules and every --module file). Entries keep a fixed timestamp so the
 * result is reproducible.
 */
final class ModPost {
    static final String ATTRIBUTE = "Module-Parameters";
    private static final long FIXED_TIME = 315532800000L; // 1980-01-01, zip's epoch

    private ModPost() {
    }

    /** The jar with its parameters recorded; the input unchanged if it is not a readable jar. */
    static byte[] annotate(byte[] ko) {
        try {
            List<String> params = new ArrayList<>();
            List<JarEntry> entries = new ArrayList<>();
            List<byte[]> data = new ArrayList<>();
            Manifest mf;
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(ko))) {
                mf = in.getManifest();
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    byte[] b = in.readAllBytes();
                    entries.add(e);
                    data.add(b);
                    if (e.getName().endsWith(".class")) {
                        params.addAll(scan(b));
                    }
                }
            }
            if (mf == null || params.isEmpty()) {
                return ko;
            }
            mf.getMainAttributes().put(new Attributes.Name(ATTRIBUTE), String.join("|", params));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JarOutputStream jar = new JarOutputStream(out)) {
                JarEntry m = new JarEntry("META-INF/MANIFEST.MF");
                m.setTime(FIXED_TIME);
                jar.putNextEntry(m);
                mf.write(jar);
                jar.closeEntry();
                for (int i = 0; i < entries.size(); i++) {
                    JarEntry e = new JarEntry(entries.get(i).getName());
                    e.setTime(FIXED_TIME);
                    jar.putNextEntry(e);
                    jar.write(data.get(i));
                    jar.closeEntry();
                }
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            return ko;
        }
    }

    /** "name:type:description" for each constant parameter declaration in one class. */
    static List<String> scan(byte[] classFile) {
        List<String> found = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                return new MethodVisitor(Opcodes.ASM9) {
                    /** The constants pushed since the last other instruction, newest last. */
                    private final List<Object> recent = new ArrayList<>();

                    private void push(Object v) {
                        recent.add(v);
                        if (recent.size() > 4) {
                            recent.remove(0);
                        }
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        push(value);
                    }

                    @Override
                    public void visitIntInsn(int opcode, int operand) {
                        push(operand);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.LCONST_1) {
                            push(opcode);
                        } else {
                            recent.clear();
                        }
                    }

                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        recent.clear();
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String mname, String mdesc, boolean itf) {
                        if (owner.equals("microlith/module/api/ModuleContext") && mname.startsWith("param")
                            && recent.size() == 4 && recent.get(0) instanceof String && recent.get(3) instanceof String) {
                            String type = mname.equals("paramLong") ? "long" : mname.equals("paramBool") ? "bool" : "charp";
                            found.add(recent.get(0) + ":" + type + ":" + ((String) recent.get(3)).replace('|', '/'));
                        }
                        recent.clear();
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found;
    }
}
