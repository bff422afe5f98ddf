package microlith.hw.cpu;

/** Decodes the x87 escape opcodes D8-DF. */
final class X87Decode {
    private X87Decode() {
    }

    /** FWAIT (9B): no x87 yet, so nothing can be pending. */
    static void fwait(Insn d) {
        d.op = Op.NOP;
    }

    static void decode(Decoder dec, Insn d, Decoder.Ctx c, int opcode) {
        dec.modrm(d, c, false);
        d.op = Op.UD;
    }
}
