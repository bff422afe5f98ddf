package microlith.hw.cpu;

/**
 * CPUID, reporting honestly what this CPU implements: long mode, SYSCALL, NX, CMOV, CX8,
 * TSC, MSR, PAE, PGE, PCID, CX16, POPCNT, the SSE/SSE2 subset compilers use for moves and
 * logic, and (leaf 7) SMEP, SMAP and INVPCID.
 *
 * <p>The vendor is "AuthenticAMD" and the signature family 6, model 6, stepping 3, as
 * QEMU's default qemu64 CPU reports: feature probes such as libgcc's
 * {@code __builtin_cpu_supports} read the feature leaves only for vendors they know, so
 * an invented vendor string made every probe answer "no", even for SSE2. The brand
 * string (leaves 0x80000002-4, /proc/cpuinfo's "model name") says what the part is.
 * The highest basic leaf is 7 (structured extended features), so probes that read leaf 7
 * get what is there: SMEP, SMAP and INVPCID, and none of the instruction-set extensions.
 */
public final class Cpuid {
    /** CPUID.(EAX=07H, ECX=0):EBX bit 7 and bit 20. */
    static final boolean SMEP = true, SMAP = true;

    private static final String VENDOR = "AuthenticAMD";
    private static final String BRAND = "microlith simulated x86-64 CPU";

    private Cpuid() {
    }

    private static int dword(String s, int off) {
        int v = 0;
        for (int k = 3; k >= 0; k--) {
            int ch = off + k < s.length() ? s.charAt(off + k) : 0;
            v = v << 8 | ch;
        }
        return v;
    }

    public static void execute(Core c) {
        int leaf = (int) c.r[Cpu.RAX];
        int a = 0, b = 0, cx = 0, d = 0;
        switch (leaf) {
            case 0:
                a = 7;
                b = dword(VENDOR, 0);
                d = dword(VENDOR, 4);
                cx = dword(VENDOR, 8);
                break;
            case 1:
                // Family 6, model 6, stepping 3 (qemu64's signature).
                a = 0x663;
                // ECX: CX16 (13), PCID (17), POPCNT (23).
                cx = 1 << 13 | 1 << 17 | 1 << 23;
                // EDX: FPU (0), TSC (4), MSR (5), PAE (6), CX8 (8), PGE (13), CMOV (15), FXSR (24),
                // SSE (25), SSE2 (26).
                d = 1 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 8 | 1 << 13 | 1 << 15 | 1 << 24 | 1 << 25 | 1 << 26;
                break;
            case 7:
                // Structured extended features, sub-leaf 0 only (EAX: the highest sub-leaf, 0).
                // EBX: SMEP (7), INVPCID (10), SMAP (20).
                if ((int) c.r[Cpu.RCX] == 0) {
                    b = (SMEP ? 1 << 7 : 0) | 1 << 10 | (SMAP ? 1 << 20 : 0);
                }
                break;
            case 0x80000000:
                a = 0x80000004;
                break;
            case 0x80000001:
                // ECX: LAHF/SAHF in 64-bit mode (0), ABM/LZCNT (5).
                cx = 1 | 1 << 5;
                // EDX: SYSCALL (11), NX (20), LM (29).
                d = 1 << 11 | 1 << 20 | 1 << 29;
                break;
            case 0x80000002: case 0x80000003: case 0x80000004: {
                int off = (leaf - 0x80000002) * 16;
                a = dword(BRAND, off);
                b = dword(BRAND, off + 4);
                cx = dword(BRAND, off + 8);
                d = dword(BRAND, off + 12);
                break;
            }
            default:
                break;
        }
        c.r[Cpu.RAX] = a & 0xffffffffL;
        c.r[Cpu.RBX] = b & 0xffffffffL;
        c.r[Cpu.RCX] = cx & 0xffffffffL;
        c.r[Cpu.RDX] = d & 0xffffffffL;
    }
}
