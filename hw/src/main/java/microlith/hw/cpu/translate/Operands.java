package microlith.hw.cpu.translate;

import static org.objectweb.asm.Opcodes.*;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.mmu.Mmu;
import org.objectweb.asm.Label;

/**
 * Operands in generated code: general registers at every width (kept in locals), effective
 * addresses, loads and stores.
 *
 * <p>A load or store that hits the TLB inside one page does exactly what {@link Core}'s
 * fast path does, written out in the block's bytecode (so that it never depends on the
 * JIT choosing to inline a call): the tag arrays, frames and RAM are locals, the hit is
 * counted in a local, RAM is read and written through {@link RamView}, and a store to a
 * page with predecoded instructions goes through {@code PhysicalMemory}, which drops them.
 * A miss or a page-crossing access calls the same {@link Core} method the interpreter
 * calls, out of line. Only those calls can fault; each costs a site number, and the
 * block's one exception handler writes the state back if it does (see {@link Gen#mayFault}).
 */
final class Operands {
    /** Temporaries: the effective address, a value to store, and the TLB lookup's page and slot. */
    static final int ADDR = Gen.temp(0), VAL = Gen.temp(1), VPN = Gen.temp(7);
    /**
     * The TLB slot's element address in a long[] (see {@link #slot}), then, in the same
     * local once the tag matched, the frame of the hit.
     */
    private static final int SLOT = Gen.temp(6), FRAME = Gen.temp(6);
    /** A store's physical address: the page number's slot is free once the TLB has hit. */
    private static final int PA = VPN;

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
        stackAddress = !i.ripRel && i.base == microlith.hw.cpu.Cpu.RSP;
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
     * when {@code signed}.
     */
    void load(int size, boolean signed) {
        g.memoryUsed = true;
        Label slow = new Label();
        Label done = new Label();
        tlbLookup(Gen.RTAGS, size, slow, null);
        ramAddress();
        ramAccess(false, size);
        if (size == 1) {
            g.iconst(0xff);
            g.insn(IAND);
        } else if (size == 2) {
            g.iconst(0xffff);
            g.insn(IAND);
        }
        g.label(done);
        extend(size, signed);
        long[] at = g.position();
        g.coldCode.add(() -> {
            g.label(slow);
            g.mayFault(at, () -> {
                g.aload(Gen.CORE);
                g.lload(ADDR);
                g.invokeCore("read" + size * 8, size == 8 ? "(J)J" : "(J)I");
            });
            forgetAfterMiss();
            g.jump(GOTO, done);
        });
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

    /** Stores the long in slot {@code value} to the {@code size} bytes at ADDR. */
    void store(int size, int value) {
        g.memoryUsed = true;
        stored = true;
        long[] at = g.position();
        Label slow = new Label();
        Label done = new Label();
        Label plain = new Label();
        int way = tlbLookup(Gen.WTAGS, size, slow, plain);
        // A page with predecoded instructions is written through PhysicalMemory, which
        // drops them (self-modifying code); any other page directly, and from now on
        // without this test: nothing in a block predecodes a page (only the interpreter
        // loop does), so a page without entries keeps having none until the block ends.
        Label code = new Label();
        unsafe();
        g.aload(Gen.CODE_PAGES);
        g.lload(FRAME);
        g.iconst(12);
        g.insn(LUSHR);
        g.lconst(RamView.REFERENCE_SCALE);
        g.insn(LMUL);
        g.lconst(RamView.REFERENCES);
        g.insn(LADD);
        g.mv.visitMethodInsn(INVOKEVIRTUAL, RamView.UNSAFE_T, "getObject", "(Ljava/lang/Object;J)Ljava/lang/Object;", false);
        g.jump(IFNONNULL, code);
        remember(way);
        g.label(plain);
        frameAddress();
        g.lstore(PA);
        unsafe();
        g.aload(Gen.RAM);
        g.lload(PA);
        g.lconst(RamView.BYTES);
        g.insn(LADD);
        g.lload(value);
        if (size != 8) {
            g.insn(L2I);
        }
        if (size == 2) {
            g.insn(I2S);
        } else if (size == 1) {
            g.insn(I2B);
        }
        ramAccess(true, size);
        g.label(done);
        g.coldCode.add(() -> {
            g.label(code);
            frameAddress();
            g.lstore(PA);
            g.aload(Gen.MEM);
            g.lload(PA);
            g.lload(value);
            if (size != 8) {
                g.insn(L2I);
            }
            // PhysicalMemory has no unchecked 16-bit writer; its checks pass on a TLB hit.
            String write = size == 2 ? "write16" : "write" + size * 8 + "Fast";
            g.mv.visitMethodInsn(INVOKEVIRTUAL, Gen.MEM_T, write, size == 8 ? "(JJ)V" : "(JI)V", false);
            g.jump(GOTO, done);
        });
        g.coldCode.add(() -> {
            g.label(slow);
            g.mayFault(at, () -> {
                g.aload(Gen.CORE);
                g.lload(ADDR);
                g.lload(value);
                if (size != 8) {
                    g.insn(L2I);
                }
                g.invokeCore("write" + size * 8, size == 8 ? "(JJ)V" : "(JI)V");
            });
            forgetAfterMiss();
            g.jump(GOTO, done);
        });
    }

    /** After a miss's walk, which may have filled the slot of a remembered page. */
    private void forgetAfterMiss() {
        if (Planted.active != Planted.RECENT_PAGES_KEPT_AFTER_MISS) {
            g.forgetRecentPages();
        }
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

    /**
     * Recent pages: the block remembers, in locals, the last page each of four ways found
     * in the TLB with its frame. A way is a kind of access (read, write) and of address
     * (RSP-based, other), so that a loop reading both its stack frame and a list does not
     * keep replacing one with the other. An access to a remembered page skips the slot
     * fold and the tag compare: the TLB still holds that page, because nothing in a block
     * changes the TLB except a miss's walk and the handlers it calls, after which every
     * way is forgotten ({@link Gen#forgetRecentPages}), and each block call starts with
     * none. The hit is counted and the access checked for crossing the page as before, so
     * every counter is the interpreter's.
     */
    static final int WAYS = 4;

    /** The local of way w's page number (-1 when none), and of its frame. */
    static int recentPage(int way) {
        return Gen.RECENT + 4 * way;
    }

    private static int recentFrame(int way) {
        return Gen.RECENT + 4 * way + 2;
    }

    /** Whether the next access's address is RSP-based (chooses its way; see {@link #recentPage}). */
    private boolean stackAddress;

    /** Every way empty: the block's start. */
    void noRecentPages() {
        g.forgetRecentPages();
        for (int way = 0; way < WAYS; way++) {
            g.lconst(0);
            g.lstore(recentFrame(way));
        }
    }

    /**
     * The TLB hit test of {@link Core}'s fast path for the address in ADDR: the access
     * inside one page, and the page remembered by the access's way or else the tag for
     * the page in its slot. Jumps to {@code miss} if either fails, else counts the hit and
     * leaves the frame in FRAME. A load's page found through its slot becomes its way's
     * page; a store's does once the store has seen that the page has no predecoded entries,
     * and a store to its way's page goes straight to {@code recent}. Returns the way.
     */
    private int tlbLookup(int tags, int size, Label miss, Label recent) {
        int way = (tags == Gen.WTAGS ? 2 : 0) + (stackAddress ? 0 : 1);
        Label lookup = new Label();
        Label known = new Label();
        if (size > 1) {
            g.lload(ADDR);
            g.lconst(0xfff);
            g.insn(LAND);
            g.lconst(0x1000 - size);
            g.insn(LCMP);
            g.jump(IFGT, miss);
        }
        g.lload(ADDR);
        g.iconst(12);
        g.insn(LUSHR);
        g.insn(DUP2);
        g.lstore(VPN);
        g.lload(recentPage(way));
        g.insn(LCMP);
        g.jump(IFNE, lookup);
        g.lload(recentFrame(way));
        g.lstore(FRAME);
        if (recent != null) {
            countHit();
            g.jump(GOTO, recent);
        } else {
            g.jump(GOTO, known);
        }
        g.label(lookup);
        slot();
        g.lstore(SLOT);
        unsafe();
        g.aload(tags);
        g.lload(SLOT);
        g.mv.visitMethodInsn(INVOKEVIRTUAL, RamView.UNSAFE_T, "getLong", "(Ljava/lang/Object;J)J", false);
        g.lload(VPN);
        g.insn(LCMP);
        g.jump(IFNE, miss);
        unsafe();
        g.aload(Gen.FRAMES);
        g.lload(SLOT);
        g.mv.visitMethodInsn(INVOKEVIRTUAL, RamView.UNSAFE_T, "getLong", "(Ljava/lang/Object;J)J", false);
        g.lstore(FRAME);
        if (recent == null) {
            remember(way);
        }
        g.label(known);
        countHit();
        return way;
    }

    /** The page in VPN, with the frame in FRAME, becomes way w's. */
    private void remember(int way) {
        g.lload(FRAME);
        g.lstore(recentFrame(way));
        g.lload(VPN);
        g.lstore(recentPage(way));
    }

    private void countHit() {
        g.lload(Gen.HITS);
        g.lconst(1);
        g.insn(LADD);
        g.lstore(Gen.HITS);
    }

    /**
     * Mmu.slot of the page number in VPN, written out (the JIT inlines a call to it only
     * while the method's inlining budget lasts, which a large block's last accesses would
     * not get), as the address of that slot's element in a long[]: LONGS + slot * 8.
     */
    private void slot() {
        g.lload(VPN);
        for (int k = 1; k <= 3; k++) {
            g.lload(VPN);
            g.iconst(k * Mmu.TLB_BITS);
            g.insn(LUSHR);
            g.insn(LXOR);
        }
        g.iconst(3);
        g.insn(LSHL);
        g.lconst((long) Mmu.TLB_MASK << 3);
        g.insn(LAND);
        g.lconst(RamView.LONGS);
        g.insn(LADD);
    }

    /** FRAME | (ADDR & 0xfff): the physical address of a hit. */
    private void frameAddress() {
        g.lload(FRAME);
        g.lload(ADDR);
        g.lconst(0xfff);
        g.insn(LAND);
        g.insn(LOR);
    }

    /** Pushes the Unsafe instance, RAM and the offset of the hit's physical address in it. */
    private void ramAddress() {
        unsafe();
        g.aload(Gen.RAM);
        frameAddress();
        g.lconst(RamView.BYTES);
        g.insn(LADD);
    }

    private void unsafe() {
        g.mv.visitFieldInsn(GETSTATIC, RamView.T, "U", RamView.UNSAFE_D);
    }

    /**
     * Calls the Unsafe accessor of {@code size} bytes: a load leaves an int (a long for 8
     * bytes), sign-extended from a byte or short; a store takes that type. Guest memory is
     * little-endian: the value's bytes are reversed around the access on a big-endian host.
     */
    private void ramAccess(boolean put, int size) {
        String t = RamView.type(size);
        if (put && RamView.SWAP && size > 1) {
            g.invokeStatic(RamView.reverse(size)[0], "reverseBytes", RamView.reverse(size)[1]);
        }
        String desc = put ? "(Ljava/lang/Object;J" + t + ")V" : "(Ljava/lang/Object;J)" + t;
        g.mv.visitMethodInsn(INVOKEVIRTUAL, RamView.UNSAFE_T, RamView.accessor(put, size), desc, false);
        if (!put && RamView.SWAP && size > 1) {
            g.invokeStatic(RamView.reverse(size)[0], "reverseBytes", RamView.reverse(size)[1]);
        }
    }

    // ---------------------------------------------------------------- the stack

    /** PUSH of the long in slot {@code value}: the store first (it may fault), then RSP. */
    void push(int value, int size) {
        stackAddress = true;
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
        stackAddress = true;
        g.loadReg(microlith.hw.cpu.Cpu.RSP);
        g.lstore(ADDR);
        load(size, false);
        g.lload(ADDR);
        g.lconst(size);
        g.insn(LADD);
        g.storeReg(microlith.hw.cpu.Cpu.RSP);
    }
}
