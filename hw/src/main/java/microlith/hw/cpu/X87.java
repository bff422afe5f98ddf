package microlith.hw.cpu;

/** x87 instruction execution. */
final class X87 {
    private X87() {
    }

    static void execute(Cpu c, Insn i) {
        throw CpuException.ud();
    }
}
