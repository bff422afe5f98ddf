package microlith.hw.cpu.translate;

import static org.objectweb.asm.Opcodes.*;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.decode.Insn;

/**
 * Operands in generated code: general registers at every width (kept in locals), effective
 * addresses, loads and stores.
 *
 * <p>A load or store is a call of the {@link Core} method the interpreter uses, so both
 * count TLB hits and fault alike. Its TLB hit path ({@link Core#hit}, a tag compare and an
 * array access) is small enough that the JIT inlines it into the block; a miss calls the
 * page walk out of line. The call is the only part that can fault, so it alone is covered
 * by the instruction's exception handler.
 */
final class Operands {
    /** Temporaries: the effective address and a value to store. */
    static final int ADDR = Gen.temp(0), VAL = Gen.temp(1);

    private final Gen g;
    /** Set by a store: the caller checks afterwards that the code page is still valid. */
    boolean stored;

    Operands(Gen g) {
        this.g = g;
    }

    // ---------------------------------------------------------------- registers

    /**
     * Pushes register r at {@code size} bytes, zero-extended to a long. Byte registers
     * 16-19 are AH, CH, DH, BH.
     */
    void readReg(int r, int size) {
        if (size == 1 && r >= 16) {
            g.loadReg(r - 16);
            g.iconst(8);
            g.insn(LUSHR);
            g.mask(1);
            return;
        }
        g.loadReg(r);
        g.mask(size);
    }

    /** Pops a long into register r at {@code size} bytes, as a write of that width does. */
    void writeReg(int r, int size) {
        switch (size) {
            case 8:
                g.storeReg(r);
                return;
            case 4:
                g.mask(4);
                g.storeReg(r);
                return;
            default: {
                int full = size == 1 && r >= 16 ? r - 16 : r;
                long field = size == 2 ? 0xffffL : r >= 16 ? 0xff00L : 0xffL;
                if (size == 1 && r >= 16) {
                    g.iconst(8);
                    g.insn(LSHL);
                }
                g.lconst(field);
                g.insn(LAND);
                g.loadReg(full);
                g.lconst(~field);
                g.insn(LAND);
                g.insn(LOR);
                g.storeReg(full);
            }
        }
    }

    // ---------------------------------------------------------------- addresses

    /**
     * Pushes the effective address of i's memory operand: disp + base + index * scale (or
     * the next instruction's address for RIP-relative), truncated for 32-bit addressing,
     * plus the FS or GS base unless {@code noSegment} (LEA).
     */
    void address(Insn i, boolean noSegment) {
        if (i.ripRel) {
            g.pcPlus(g.delta + g.len + i.disp);
        } else {
            boolean any = false;
            if (i.base >= 0 && i.base != Core.ZERO) {
                g.loadReg(i.base);
                any = true;
            }
            if (i.index >= 0 && i.index != Core.ZERO) {
                g.loadReg(i.index);
                if (i.scale != 0) {
                    g.iconst(i.scale);
                    g.insn(LSHL);
                }
                if (any) {
                    g.insn(LADD);
                }
                any = true;
            }
            if (!any) {
                g.lconst(i.disp);
            } else if (i.disp != 0) {
                g.lconst(i.disp);
                g.insn(LADD);
            }
        }
        if (i.asz == 4) {
            g.mask(4);
        }
        if (i.seg >= 0 && !noSegment) {
            g.coreField(i.seg == 4 ? "fsBase" : "gsBase", "J");
            g.insn(LADD);
        }
    }

    /** Computes i's effective address into ADDR. */
    void addressToTemp(Insn i) {
        address(i, false);
        g.lstore(ADDR);
    }

    // ---------------------------------------------------------------- loads and stores

    /**
     * Pushes the {@code size}-byte value at ADDR as a long: zero-extended, or sign-extended
     * when {@code signed}. This is a call of the {@link Core} method the interpreter uses;
     * its TLB hit path is a few bytecodes that the JIT inlines here.
     */
    void load(int size, boolean signed) {
        g.mayFault(() -> {
            g.aload(Gen.CORE);
            g.lload(ADDR);
            g.invokeCore("read" + size * 8, size == 8 ? "(J)J" : "(J)I");
        });
        extend(size, signed);
    }

    private void extend(int size, boolean signed) {
        switch (size) {
            case 1: if (signed) g.insn(I2B); g.insn(I2L); return;
            case 2: if (signed) g.insn(I2S); g.insn(I2L); return;
            case 4: g.insn(I2L); if (!signed) g.mask(4); return;
            default:
        }
    }

    /** Loads register or memory operand rm of i; a memory address is left in ADDR. */
    void readRm(Insn i, int size) {
        if (i.mem) {
            addressToTemp(i);
            load(size, false);
        } else {
            readReg(i.rm, size);
        }
    }

    /** Stores the long in slot {@code value} to the {@code size} bytes at ADDR (see {@link #load}). */
    void store(int size, int value) {
        stored = true;
        g.mayFault(() -> {
            g.aload(Gen.CORE);
            g.lload(ADDR);
            g.lload(value);
            if (size != 8) {
                g.insn(L2I);
            }
            g.invokeCore("write" + size * 8, size == 8 ? "(JJ)V" : "(JI)V");
        });
    }

    /** Writes the long in slot {@code value} to rm: a register, or memory at ADDR. */
    void writeRm(Insn i, int size, int value) {
        if (i.mem) {
            store(size, value);
        } else {
            g.lload(value);
            writeReg(i.rm, size);
        }
    }

    // ---------------------------------------------------------------- the stack

    /** PUSH of the long in slot {@code value}: the store first (it may fault), then RSP. */
    void push(int value, int size) {
        g.loadReg(microlith.hw.cpu.Cpu.RSP);
        g.lconst(size);
        g.insn(LSUB);
        g.lstore(ADDR);
        store(size, value);
        g.lload(ADDR);
        g.storeReg(microlith.hw.cpu.Cpu.RSP);
    }

    /** POP: pushes the value read at RSP, and RSP has moved past it. */
    void pop(int size) {
        g.loadReg(microlith.hw.cpu.Cpu.RSP);
        g.lstore(ADDR);
        load(size, false);
        g.lload(ADDR);
        g.lconst(size);
        g.insn(LADD);
        g.storeReg(microlith.hw.cpu.Cpu.RSP);
    }
}
