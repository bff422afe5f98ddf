package microlith.kernel.proc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated ELF64 x86-64 executable (System V gABI and the x86-64 psABI). Only what a
 * static loader needs: the header and the program headers. Every way a file can fail to
 * be one gets a one-line reason.
 */
public final class ElfImage {
    public static final int PT_LOAD = 1;
    public static final int PT_INTERP = 3;
    public static final int PT_PHDR = 6;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;

    /** Why a file is not a runnable executable. */
    public static final class FormatException extends Exception {
        public FormatException(String message) {
            super(message, null, false, false);
        }
    }

    /** One program header. */
    public static final class Segment {
        public final int type;
        public final int flags;
        public final long offset;
        public final long vaddr;
        public final long filesz;
        public final long memsz;
        public final long align;

        Segment(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
            this.type = type;
            this.flags = flags;
            this.offset = offset;
            this.vaddr = vaddr;
            this.filesz = filesz;
            this.memsz = memsz;
            this.align = align;
        }
    }

    public final byte[] data;
    public final int type;
    public final long entry;
    public final long phoff;
    public final int phentsize;
    public final int phnum;
    public final List<Segment> segments = new ArrayList<>();
    public final boolean execStack;

    private ElfImage(byte[] data, int type, long entry, long phoff, int phentsize, int phnum, boolean execStack) {
        this.data = data;
        this.type = type;
        this.entry = entry;
        this.phoff = phoff;
        this.phentsize = phentsize;
        this.phnum = phnum;
        this.execStack = execStack;
    }

    /** Whether [offset, offset+size) lies inside a file of length bytes (every value is a u64 from the file). */
    static boolean fits(long offset, long size, long length) {
        return Long.compareUnsigned(offset, length) <= 0 && Long.compareUnsigned(size, length - offset) <= 0;
    }

    public static ElfImage parse(byte[] f) throws FormatException {
        if (f.length < 4 || f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F') {
            throw new FormatException("not an ELF file");
        }
        if (f.length < 64) {
            throw new FormatException("truncated ELF file (" + f.length + " bytes, header needs 64)");
        }
        if (f[4] == 1) {
            throw new FormatException("32-bit ELF (ELFCLASS32) is not supported; need a 64-bit x86-64 executable");
        }
        if (f[4] != 2) {
            throw new FormatException("bad ELF class " + f[4]);
        }
        if (f[5] != 1) {
            throw new FormatException("big-endian ELF is not supported");
        }
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16) & 0xffff;
        int machine = b.getShort(18) & 0xffff;
        if (machine != 62) {
            throw new FormatException("ELF for machine " + machine + ", not x86-64 (62)");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new FormatException(type == 1 ? "relocatable object (ET_REL), not an executable"
                : type == 4 ? "core dump, not an executable" : "ELF type " + type + " is not an executable");
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phnum == 0) {
            throw new FormatException("ELF file has no program headers");
        }
        if (phentsize != 56) {
            throw new FormatException("bad program header size " + phentsize);
        }
        if (!fits(phoff, (long) phnum * phentsize, f.length)) {
            throw new FormatException("truncated ELF file (program headers past end of file)");
        }
        long bias = type == ET_DYN ? microlith.kernel.mm.Layout.PIE_BASE : 0;
        if (!microlith.kernel.mm.Layout.isUser(entry) || !microlith.kernel.mm.Layout.isUser(entry + bias)) {
            throw new FormatException("entry point 0x" + Long.toHexString(entry) + " is outside user space");
        }
        boolean execStack = false;
        List<Segment> segs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int o = (int) phoff + i * phentsize;
            Segment s = new Segment(b.getInt(o), b.getInt(o + 4), b.getLong(o + 8), b.getLong(o + 16),
                b.getLong(o + 32), b.getLong(o + 40), b.getLong(o + 48));
            if (s.type == PT_INTERP) {
                String interp = "";
                if (fits(s.offset, s.filesz, f.length) && s.filesz > 0) {
                    interp = new String(f, (int) s.offset, (int) s.filesz - 1, java.nio.charset.StandardCharsets.US_ASCII);
                }
                throw new FormatException("dynamically linked (interpreter " + interp
                    + "); only static executables are supported");
            }
            if (s.type == PT_GNU_STACK) {
                execStack = (s.flags & PF_X) != 0;
            }
            if (s.type == PT_LOAD) {
                if (!fits(s.offset, s.filesz, f.length)) {
                    throw new FormatException("truncated ELF file (segment " + i + " extends past end of file)");
                }
                if (Long.compareUnsigned(s.filesz, s.memsz) > 0) {
                    throw new FormatException("bad segment " + i + ": file size exceeds memory size");
                }
                if (s.align > 1 && (s.vaddr - s.offset) % 4096 != 0) {
                    throw new FormatException("bad segment " + i + ": address and offset not congruent modulo the page size");
                }
            }
            segs.add(s);
        }
        boolean anyLoad = segs.stream().anyMatch(s -> s.type == PT_LOAD);
        if (!anyLoad) {
            throw new FormatException("ELF file has no loadable segments");
        }
        ElfImage img = new ElfImage(f, type, entry, phoff, phentsize, phnum, execStack);
        img.segments.addAll(segs);
        return img;
    }
}
