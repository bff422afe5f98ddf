package microlith.hw.cpu;

/** Execution of the SSE/SSE2 operations decoded by {@link SseDecode} (dispatch on Insn.sub). */
final class Sse {
    private Sse() {
    }

    static void execute(Cpu c, Insn i) {
        throw CpuException.ud();
    }
}
