package microlith.kernel.proc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import microlith.hw.PhysicalMemory;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.Vma;

/**
 * Loads a static ELF executable into a fresh address space and builds the System V
 * initial process stack (x86-64 psABI, 3.4.1): argc, argv, envp, the auxiliary vector,
 * then the strings and AT_RANDOM bytes above them.
 *
 * <pre>
 * STACK_TOP ->  [ AT_EXECFN string, argv/envp strings, "x86_64", 16 random bytes ]
 *               [ padding to 16 bytes ]
 *               auxv pairs ... AT_NULL
 *               NULL, envp[envc-1] ... envp[0]
 *               NULL, argv[argc-1] ... argv[0]
 * sp ->         argc                                  (sp is 16-byte aligned)
 * </pre>
 */
public final class ElfLoader {
    public static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7;
    public static final int AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14;
    public static final int AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25;
    public static final int AT_EXECFN = 31;
    /** What CPUID leaf 1 EDX reports; AT_HWCAP carries the same bits on x86. */
    public static final long HWCAP = 1 << 4 | 1 << 5 | 1 << 6 | 1 << 8 | 1 << 15 | 1 << 25 | 1 << 26;

    /** Where the new image starts. */
    public static final class Entry {
        public final long rip;
        public final long rsp;

        Entry(long rip, long rsp) {
            this.rip = rip;
            this.rsp = rsp;
        }
    }

    private final PhysicalMemory mem;

    public ElfLoader(PhysicalMemory mem) {
        this.mem = mem;
    }

    /** Loads elf into mm; returns entry point and initial stack pointer, or null when out of memory. */
    public Entry load(AddressSpace mm, ElfImage elf, String execfn, List<String> argv, List<String> envp,
                      byte[] random, int uid, int gid) {
        long bias = elf.type == ElfImage.ET_DYN ? Layout.PIE_BASE : 0;
        long highest = 0;
        long phdrAddr = 0;
        for (ElfImage.Segment s : elf.segments) {
            if (s.type == ElfImage.PT_PHDR) {
                phdrAddr = s.vaddr + bias;
            }
        }
        for (ElfImage.Segment s : elf.segments) {
            if (s.type != ElfImage.PT_LOAD || s.memsz == 0) {
                continue;
            }
            long start = Layout.pageDown(s.vaddr + bias);
            long end = Layout.pageUp(s.vaddr + bias + s.memsz);
            if (!Layout.isUser(start) || !Layout.isUser(end - 1) || Long.compareUnsigned(end, start) <= 0
                || Long.compareUnsigned(end, Layout.STACK_TOP - Layout.STACK_MAX) > 0) {
                return null;
            }
            int prot = ((s.flags & ElfImage.PF_R) != 0 ? Vma.PROT_READ : 0)
                | ((s.flags & ElfImage.PF_W) != 0 ? Vma.PROT_WRITE : 0)
                | ((s.flags & ElfImage.PF_X) != 0 ? Vma.PROT_EXEC : 0);
            // A page shared with the previous segment goes to this one, as MAP_FIXED would.
            for (Vma v : mm.vmas()) {
                if (v.contains(start)) {
                    if (Long.compareUnsigned(v.end, start + Layout.PAGE_SIZE) > 0) {
                        return null; // overlaps more than the page it shares: not a loadable image
                    }
                    prot |= v.prot;
                    v.end = start;
                }
            }
            mm.vmas().removeIf(v -> v.end == v.start);
            if (mm.overlaps(start, end)) {
                return null;
            }
            mm.addVma(start, end, prot, execfn, Layout.pageDown(s.offset));
            // Pages with file contents are filled now; the rest (.bss) is demand-zero.
            long fileEnd = Layout.pageUp(s.vaddr + bias + s.filesz);
            for (long va = start; va < fileEnd; va += Layout.PAGE_SIZE) {
                long pa = mm.physical(va);
                if (pa < 0) {
                    if (mm.populate(va, prot) < 0) {
                        return null;
                    }
                } else {
                    // Re-map the shared page with the combined protection.
                    mm.protect(va, va + Layout.PAGE_SIZE, prot);
                }
            }
            if (fileEnd < end) {
                // A page a previous segment populated keeps its contents, with this protection too.
                mm.protect(Math.max(fileEnd, start), end, prot);
            }
            copyOut(mm, s.vaddr + bias, elf.data, (int) s.offset, (int) s.filesz);
            if (phdrAddr == 0 && s.offset <= elf.phoff && elf.phoff < s.offset + s.filesz) {
                phdrAddr = s.vaddr + bias + (elf.phoff - s.offset);
            }
            highest = Math.max(highest, end);
        }
        mm.brkStart = highest;
        mm.brk = highest;

        int stackProt = Vma.PROT_READ | Vma.PROT_WRITE | (elf.execStack ? Vma.PROT_EXEC : 0);
        mm.addVma(Layout.STACK_TOP - Layout.STACK_MAX, Layout.STACK_TOP, stackProt, "[stack]", 0);

        // Strings at the top of the stack.
        long p = Layout.STACK_TOP;
        p = pushString(mm, p, execfn);
        long execfnAddr = p;
        long[] envAddr = new long[envp.size()];
        for (int i = envp.size() - 1; i >= 0; i--) {
            p = pushString(mm, p, envp.get(i));
            envAddr[i] = p;
        }
        long[] argAddr = new long[argv.size()];
        for (int i = argv.size() - 1; i >= 0; i--) {
            p = pushString(mm, p, argv.get(i));
            argAddr[i] = p;
        }
        p = pushString(mm, p, "x86_64");
        long platformAddr = p;
        p -= 16;
        copyOut(mm, p, random, 0, 16);
        long randomAddr = p;

        long[][] aux = {
            {AT_HWCAP, HWCAP}, {AT_PAGESZ, Layout.PAGE_SIZE}, {AT_CLKTCK, 100},
            {AT_PHDR, phdrAddr}, {AT_PHENT, elf.phentsize}, {AT_PHNUM, elf.phnum},
            {AT_BASE, 0}, {AT_FLAGS, 0}, {AT_ENTRY, elf.entry + bias},
            {AT_UID, uid}, {AT_EUID, uid}, {AT_GID, gid}, {AT_EGID, gid}, {AT_SECURE, 0},
            {AT_RANDOM, randomAddr}, {AT_EXECFN, execfnAddr}, {AT_PLATFORM, platformAddr}, {AT_NULL, 0},
        };
        int words = 1 + argv.size() + 1 + envp.size() + 1 + aux.length * 2;
        long sp = (p - words * 8L) & ~15L;
        ByteBuffer b = ByteBuffer.allocate(words * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(argv.size());
        for (long a : argAddr) {
            b.putLong(a);
        }
        b.putLong(0);
        for (long a : envAddr) {
            b.putLong(a);
        }
        b.putLong(0);
        for (long[] kv : aux) {
            b.putLong(kv[0]);
            b.putLong(kv[1]);
        }
        copyOut(mm, sp, b.array(), 0, words * 8);
        return new Entry(elf.entry + bias, sp);
    }

    private long pushString(AddressSpace mm, long top, String s) {
        byte[] bytes = (s + "\0").getBytes(StandardCharsets.UTF_8);
        long at = top - bytes.length;
        copyOut(mm, at, bytes, 0, bytes.length);
        return at;
    }

    /** Writes into the new image through its page tables, populating stack pages on the way. */
    private void copyOut(AddressSpace mm, long va, byte[] src, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = va + done;
            int chunk = (int) Math.min(len - done, Layout.PAGE_SIZE - (a & 0xfff));
            long pa = mm.physical(a);
            if (pa < 0) {
                Vma v = mm.find(a);
                long page = mm.populate(a, v == null ? Vma.PROT_READ | Vma.PROT_WRITE : v.prot);
                if (page < 0) {
                    throw new OutOfMemoryError("no memory for the new image");
                }
                pa = page | (a & 0xfff);
            }
            mem.writeBytes(pa, src, off + done, chunk);
            done += chunk;
        }
    }
}
