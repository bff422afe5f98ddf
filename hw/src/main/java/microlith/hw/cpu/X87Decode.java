package microlith.hw.cpu;

/** Decodes the x87 escape opcodes D8-DF. */
final class X87Decode {
    private X87Decode() {
    }

    static void decode(Decoder dec, Insn d, Decoder.Ctx c, int opcode) {
        dec.modrm(d, c, false);
        d.op = Op.UD;
    }
}
