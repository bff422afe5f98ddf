package microlith.hw.cpu;

/**
 * CPUID, reporting honestly what this CPU implements: long mode, SYSCALL, NX, CMOV, CX8,
 * TSC, MSR, PAE, CX16, POPCNT and the SSE/SSE2 subset compilers use for moves and logic.
 * The vendor string says it is not a real part.
 */
public final class Cpuid {
    private static final String VENDOR = "MicrolithX64";
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
                a = 1;
                b = dword(VENDOR, 0);
                d = dword(VENDOR, 4);
                cx = dword(VENDOR, 8);
                break;
            case 1:
                // Family 6, model 0, stepping 0.
                a = 0x600;
                // ECX: CX16 (13), POPCNT (23).
                cx = 1 << 13 | 1 << 23;
                // EDX: FPU (0), TSC (4), MSR (5), PAE (6), CX8 (8), CMOV (15), FXSR (24), SSE (25),
                // SSE2 (26).
                d = 1 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 8 | 1 << 15 | 1 << 24 | 1 << 25 | 1 << 26;
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
