package microlith.hw.cpu.translate;

import microlith.hw.cpu.decode.Insn;

/** SSE instructions a block runs inline (none yet: all run their generic handler). */
final class SseCode {
    private final Gen g;
    private final Operands o;

    SseCode(Gen g, Operands o) {
        this.g = g;
        this.o = o;
    }

    static boolean handles(Insn i) {
        return false;
    }

    static boolean mayFault(Insn i) {
        return i.mem;
    }

    void emit(Insn i) {
        throw new IllegalStateException("no inline SSE for " + i.sub);
    }
}
