package microlith.hw.cpu;

/** Decodes SSE/SSE2 opcodes in the 0F, 0F 38 and 0F 3A maps not handled in {@link Decoder}. */
final class SseDecode {
    private SseDecode() {
    }

    static void decode(Decoder dec, Insn d, Decoder.Ctx c, int opcode) {
        d.op = Op.UD;
    }
}
