package microlith.kernel.arch;

import java.util.HashMap;
import java.util.Map;
import microlith.hw.cpu.Cpu;

/**
 * The boot CPU as CPUID describes it (Linux's boot_cpu_data, filled by identify_cpu):
 * startup_64 executes CPUID for each leaf below before start_kernel runs, and a KCALL
 * after each keeps the four registers. /proc/cpuinfo is generated from them, so it says
 * what the CPU says about itself.
 */
public final class CpuInfo {
    private static final int[] LEAVES = {0, 1, 7, 0x80000000, 0x80000001, 0x80000002, 0x80000003, 0x80000004};

    /** Linux's names for the feature bits, by register (arch/x86/include/asm/cpufeatures.h). */
    private static final String[] LEAF1_EDX = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
        null, "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", null, "dts", "acpi", "mmx", "fxsr",
        "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
    private static final String[] EXT_EDX = {null, null, null, null, null, null, null, null, null, null, null,
        "syscall", null, null, null, null, null, null, null, "mp", "nx", null, "mmxext", null, null, "fxsr_opt",
        "pdpe1gb", "rdtscp", null, "lm", "3dnowext", "3dnow"};
    private static final String[] LEAF1_ECX = {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
        "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", null, "pcid", "dca", "sse4_1", "sse4_2", "x2apic",
        "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor"};
    private static final String[] EXT_ECX = {"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a",
        "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", null, "lwp", "fma4", "tce", null,
        "nodeid_msr", null, "tbm", "topoext", "perfctr_core", "perfctr_nb", null, "bpext", "ptsc", "perfctr_llc",
        "mwaitx", null, null};

    /** Leaf 7 sub-leaf 0, EBX (cpufeatures.h word 9). */
    private static final String[] LEAF7_EBX = {"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", null, "smep",
        "bmi2", "erms", "invpcid", "rtm", "cqm", null, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx", "smap",
        "avx512ifma", null, "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw",
        "avx512vl"};

    private final Map<Integer, int[]> leaves = new HashMap<>();
    /** Features the kernel turned off (nosmep, nosmap): /proc/cpuinfo no longer lists them. */
    private final java.util.Set<String> cleared = new java.util.HashSet<>();

    /** Emits, at the start of startup_64: for each leaf, mov edi, leaf; mov eax, leaf; xor ecx, ecx; cpuid; KCALL. */
    public void emitIdentify(KernelText text) {
        for (int leaf : LEAVES) {
            text.bytes(0xBF, leaf & 0xff, leaf >>> 8 & 0xff, leaf >>> 16 & 0xff, leaf >>> 24);
            text.bytes(0xB8, leaf & 0xff, leaf >>> 8 & 0xff, leaf >>> 16 & 0xff, leaf >>> 24);
            text.bytes(0x31, 0xC9, 0x0F, 0xA2);
            text.kcall("identify_cpu", this::record);
        }
    }

    private void record(Cpu c) {
        leaves.put((int) c.reg(Cpu.RDI), new int[] {(int) c.reg(Cpu.RAX), (int) c.reg(Cpu.RBX), (int) c.reg(Cpu.RCX),
            (int) c.reg(Cpu.RDX)});
    }

    private int[] leaf(int n) {
        return leaves.getOrDefault(n, new int[4]);
    }

    /** Whether CPUID leaf n (sub-leaf 0) set bit in register reg (0 EAX, 1 EBX, 2 ECX, 3 EDX). */
    public boolean has(int n, int reg, int bit) {
        int highest = leaf(n < 0 ? 0x80000000 : 0)[0];
        return Integer.compareUnsigned(highest, n) >= 0 && (leaf(n)[reg] >>> bit & 1) != 0;
    }

    /** Hides (or shows again) a feature in /proc/cpuinfo, as setup_clear_cpu_cap does. */
    public void setCleared(String name, boolean isCleared) {
        if (isCleared) {
            cleared.add(name);
        } else {
            cleared.remove(name);
        }
    }

    /** CPUID.1:EDX.PGE[13]: global pages. */
    public boolean pge() {
        return has(1, 3, 13);
    }

    /** CPUID.1:ECX.PCID[17] and CPUID.(7,0):EBX.INVPCID[10]: tagged TLBs and their invalidation. */
    public boolean pcid() {
        return has(1, 2, 17) && has(7, 1, 10);
    }

    private static String chars(int... regs) {
        StringBuilder sb = new StringBuilder();
        for (int r : regs) {
            for (int k = 0; k < 4; k++) {
                char ch = (char) (r >>> (8 * k) & 0xff);
                if (ch != 0) {
                    sb.append(ch);
                }
            }
        }
        return sb.toString().trim();
    }

    private void flags(StringBuilder sb, String[] names, int bits) {
        for (int i = 0; i < 32; i++) {
            if ((bits >>> i & 1) != 0 && names[i] != null && !cleared.contains(names[i])) {
                sb.append(' ').append(names[i]);
            }
        }
    }

    /** /proc/cpuinfo for the one CPU, clocked at mhz. */
    public String procCpuinfo(long mhz) {
        int[] l0 = leaf(0);
        int[] l1 = leaf(1);
        int[] e1 = leaf(0x80000001);
        int family = l1[0] >>> 8 & 0xf;
        int model = l1[0] >>> 4 & 0xf;
        if (family == 0xf) {
            family += l1[0] >>> 20 & 0xff;
        }
        if (family >= 6) {
            model |= (l1[0] >>> 16 & 0xf) << 4;
        }
        StringBuilder f = new StringBuilder();
        flags(f, LEAF1_EDX, l1[3]);
        flags(f, EXT_EDX, e1[3]);
        flags(f, LEAF1_ECX, l1[2]);
        flags(f, EXT_ECX, e1[2]);
        flags(f, LEAF7_EBX, l0[0] >= 7 ? leaf(7)[1] : 0);
        String brand = chars(leaf(0x80000002)[0], leaf(0x80000002)[1], leaf(0x80000002)[2], leaf(0x80000002)[3],
            leaf(0x80000003)[0], leaf(0x80000003)[1], leaf(0x80000003)[2], leaf(0x80000003)[3],
            leaf(0x80000004)[0], leaf(0x80000004)[1], leaf(0x80000004)[2], leaf(0x80000004)[3]);
        boolean fpu = (l1[3] & 1) != 0;
        return "processor\t: 0\n"
            + "vendor_id\t: " + chars(l0[1], l0[3], l0[2]) + "\n"
            + "cpu family\t: " + family + "\n"
            + "model\t\t: " + model + "\n"
            + "model name\t: " + brand + "\n"
            + "stepping\t: " + (l1[0] & 0xf) + "\n"
            + String.format("cpu MHz\t\t: %d.000%n", mhz)
            + "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
            + "fpu\t\t: " + (fpu ? "yes" : "no") + "\nfpu_exception\t: " + (fpu ? "yes" : "no") + "\n"
            + "cpuid level\t: " + l0[0] + "\n"
            + "wp\t\t: yes\n"
            + "flags\t\t:" + f + "\n"
            + String.format("bogomips\t: %d.00%n", 2 * mhz)
            + "power management:\n\n";
    }
}
