package microlith.hw.cpu.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Vectors;
import microlith.hw.cpu.decode.DecodedPage;
import microlith.hw.mmu.Mmu;
import org.junit.jupiter.api.Test;

/**
 * Translated blocks against the interpreter: the same code runs on two CPUs, one
 * translating as soon as an entry is jumped to twice, one never, and after every slice
 * (of random length, so slices end at every point inside blocks and loops) the two must
 * agree on every register, flag, counter and byte of memory the code can reach.
 */
class TranslatorTest {
    /** Registers a random instruction may write: not RSP, not the data base R13, not the loop counter R15. */
    private static final int[] DST = {0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14};
    private static final int DATA_BASE = 13, COUNTER = 15;
    private static final long FUNCTION = CpuFixture.CODE + 0x800;
    /** A second function with a branch inside: add rax, rsi; inc rsi; cmp rsi, 7; jb +3; xor rsi, rsi; ret. */
    private static final long FUNCTION2 = CpuFixture.CODE + 0x900;
    private static final String FUNCTION2_CODE = "48 01 F0 48 FF C6 48 83 FE 07 72 03 48 31 F6 C3";
    /** Jump tables for indirect jumps and calls: out of reach of the [r13 + disp8] operands. */
    private static final int TABLE = 0x400;

    /** One CPU of the pair. */
    private static CpuFixture machine(boolean translate) {
        CpuFixture f = new CpuFixture();
        f.installDescriptorTables();
        f.cpu.setTranslation(translate);
        f.core.setTranslationThreshold(2);
        return f;
    }

    private static void load(CpuFixture f, byte[] code, long at, Random init) {
        f.mem.writeBytes(at, code, 0, code.length);
        f.core.rip = at;
        for (int r = 0; r < 16; r++) {
            f.core.r[r] = init.nextLong();
        }
        f.core.r[Cpu.RSP] = CpuFixture.KERNEL_STACK - 512;
        f.core.r[DATA_BASE] = CpuFixture.DATA;
        f.core.r[COUNTER] = 40;
        for (int i = 0; i < 32; i++) {
            f.core.xmm[i] = init.nextLong();
        }
        for (int i = 0; i < 256; i += 8) {
            f.mem.write64(CpuFixture.DATA + i, init.nextLong());
        }
    }

    /** A rich generator's program with the two functions it calls and its jump table. */
    private static void loadWithFunctions(CpuFixture f, Gen gen, byte[] code, Random init) {
        load(f, code, CpuFixture.CODE, init);
        byte[] fn = {0x48, 0x01, (byte) 0xF0, (byte) 0xC3};
        f.mem.writeBytes(FUNCTION, fn, 0, fn.length);
        byte[] fn2 = CpuFixture.bytes(FUNCTION2_CODE);
        f.mem.writeBytes(FUNCTION2, fn2, 0, fn2.length);
        for (int[] e : gen.table) {
            f.mem.write64(CpuFixture.DATA + TABLE + 8L * e[0], CpuFixture.CODE + e[1]);
        }
    }

    /** Runs both CPUs in the same random slices, comparing them after each. */
    private static void runBoth(CpuFixture interp, CpuFixture trans, long seed, int maxSlice) {
        Random slices = new Random(seed);
        for (int guard = 0; guard < 100_000 && !(interp.cpu.halted() && trans.cpu.halted()); guard++) {
            int n = 1 + slices.nextInt(maxSlice);
            interp.cpu.run(n);
            trans.cpu.run(n);
            assertSame(interp, trans, "seed " + seed + " after slice " + guard);
        }
        assertThat(interp.cpu.halted()).as("program ran to its HLT").isTrue();
        assertSame(interp, trans, "seed " + seed + " at the end");
    }

    static void assertSame(CpuFixture a, CpuFixture b, String where) {
        Core x = a.core;
        Core y = b.core;
        assertThat(y.rip).as(where + ": rip").isEqualTo(x.rip);
        assertThat(y.perf.instructions).as(where + ": instructions").isEqualTo(x.perf.instructions);
        assertThat(y.r).as(where + ": registers").containsExactly(x.r);
        assertThat(Long.toHexString(y.cpu.rflags())).as(where + ": rflags").isEqualTo(Long.toHexString(x.cpu.rflags()));
        assertThat(y.xmm).as(where + ": xmm").containsExactly(x.xmm);
        assertThat(y.cr2).as(where + ": cr2").isEqualTo(x.cr2);
        assertThat(y.cpu.halted()).as(where + ": halted").isEqualTo(x.cpu.halted());
        assertThat(y.perf.exceptions).as(where + ": exceptions").isEqualTo(x.perf.exceptions);
        assertThat(y.perf.tlbHits).as(where + ": TLB hits").isEqualTo(x.perf.tlbHits);
        assertThat(y.perf.pageWalks).as(where + ": page walks").isEqualTo(x.perf.pageWalks);
        assertThat(bytes(b, CpuFixture.DATA, 0x1000)).as(where + ": data").isEqualTo(bytes(a, CpuFixture.DATA, 0x1000));
        assertThat(bytes(b, CpuFixture.KERNEL_STACK - 0x1000, 0x1000)).as(where + ": stack")
            .isEqualTo(bytes(a, CpuFixture.KERNEL_STACK - 0x1000, 0x1000));
    }

    private static byte[] bytes(CpuFixture f, long pa, int len) {
        byte[] b = new byte[len];
        f.mem.readBytes(pa, b, 0, len);
        return b;
    }

    /** Whether the entry at {@code at} has a translated block. */
    private static boolean translated(CpuFixture f, long at) {
        DecodedPage page = f.mem.codeCache[(int) (at >>> 12)];
        return page != null && page.insns[(int) at & 0xfff] != null && page.insns[(int) at & 0xfff].block != null;
    }

    @Test
    void randomLoopsMatchTheInterpreter() {
        int loopsTranslated = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Random rnd = new Random(seed);
            byte[] code = new Gen(rnd).loop(4 + rnd.nextInt(30));
            CpuFixture interp = machine(false);
            CpuFixture trans = machine(true);
            load(interp, code, CpuFixture.CODE, new Random(seed * 31));
            load(trans, code, CpuFixture.CODE, new Random(seed * 31));
            byte[] fn = {0x48, 0x01, (byte) 0xF0, (byte) 0xC3}; // add rax, rsi; ret
            interp.mem.writeBytes(FUNCTION, fn, 0, fn.length);
            trans.mem.writeBytes(FUNCTION, fn, 0, fn.length);
            runBoth(interp, trans, seed, seed % 3 == 0 ? 400 : 37);
            loopsTranslated += translated(trans, CpuFixture.CODE) ? 1 : 0;
            assertThat(translated(interp, CpuFixture.CODE)).isFalse();
        }
        assertThat(loopsTranslated).as("loops whose start was translated").isGreaterThan(250);
    }

    /**
     * The rich generator's programs: calls to two functions from many sites (returns
     * dispatched inside blocks), indirect jumps and calls through a table, inner loops,
     * frames, pushes and one-operand multiplies; blocks are formed again after a few exits
     * to code they lack, so re-formed blocks run too.
     */
    @Test
    void controlFlowInsideBlocksMatchesTheInterpreter() {
        int translated = 0;
        for (long seed = 1; seed <= 250; seed++) {
            Random rnd = new Random(seed);
            Gen gen = new Gen(rnd, true);
            byte[] code = gen.loop(6 + rnd.nextInt(40));
            CpuFixture interp = machine(false);
            CpuFixture trans = machine(true);
            trans.core.setReformThreshold(4);
            for (CpuFixture f : new CpuFixture[] {interp, trans}) {
                loadWithFunctions(f, gen, code, new Random(seed * 17));
            }
            runBoth(interp, trans, seed, seed % 3 == 0 ? 500 : 41);
            translated += translated(trans, CpuFixture.CODE) ? 1 : 0;
        }
        assertThat(translated).as("programs whose start was translated").isGreaterThan(150);
    }

    @Test
    void loopsRunInsideOneBlockCall() {
        // add rax, rsi; sub r15, 1; jnz -9; hlt: one block that loops on itself.
        byte[] code = CpuFixture.bytes("48 01 F0 49 83 EF 01 75 F7 F4");
        CpuFixture interp = machine(false);
        CpuFixture trans = machine(true);
        load(interp, code, CpuFixture.CODE, new Random(7));
        load(trans, code, CpuFixture.CODE, new Random(7));
        interp.core.r[COUNTER] = trans.core.r[COUNTER] = 100_000;
        runBoth(interp, trans, 7, 70_000);
        assertThat(trans.cpu.perf.instructions).isEqualTo(300_001);
        assertThat(translated(trans, CpuFixture.CODE)).isTrue();
    }

    @Test
    void aFaultInsideABlockIsPreciseAndCounted() {
        // loop: add rax, rsi; mov rdx, [r13 + r8*8]; add r8, 1; xor rdi, rdx; cmp [r13 + r8*8 - 8], rdx; jne out;
        //       sub r15, 1; jnz loop; out: hlt
        byte[] code = CpuFixture.bytes("48 01 F0 4B 8B 54 C5 00 49 83 C0 01 48 31 D7 4B 39 54 C5 F8 75 06 49 83 EF 01 75 E4 F4");
        for (long firstIndex : new long[] {480, 490, 500, 505}) {
            CpuFixture interp = machine(false);
            CpuFixture trans = machine(true);
            for (CpuFixture f : new CpuFixture[] {interp, trans}) {
                load(f, code, CpuFixture.CODE, new Random(11));
                f.core.r[8] = firstIndex;
                f.core.r[COUNTER] = 100;
                // The data page after DATA is not present: r8 = 512 faults.
                f.setPte(CpuFixture.DATA + 0x1000, 0);
            }
            runBoth(interp, trans, firstIndex, 50);
            assertThat(trans.cpu.perf.exceptions).isEqualTo(1);
            assertThat(trans.core.cr2).isEqualTo(CpuFixture.DATA + 0x1000);
            assertThat(trans.core.rip).isEqualTo(CpuFixture.handler(Vectors.PF) + 1);
        }
    }

    @Test
    void faultsAtRandomPointsInsideBlocksMatchTheInterpreter() {
        int faultedTranslated = 0;
        for (long seed = 1; seed <= 200; seed++) {
            faultedTranslated += faultAtRandomPoint(seed) ? 1 : 0;
        }
        assertThat(faultedTranslated).as("programs that faulted after their start was translated").isGreaterThan(100);
    }

    /**
     * The block's shared fault handler is what makes a fault inside a block precise: with
     * either bug planted in it (no state written back; one instruction too many counted)
     * the comparison of {@link #faultAtRandomPoint} must fail within a few programs.
     */
    @Test
    void bugsPlantedInTheFaultHandlerAreCaught() {
        for (Planted bug : new Planted[] {Planted.FAULT_WITHOUT_WRITE_BACK, Planted.FAULT_COUNTS_ONE_MORE}) {
            Planted.active = bug;
            long firstCaught = 0;
            int caught = 0;
            try {
                for (long seed = 1; seed <= 20; seed++) {
                    try {
                        faultAtRandomPoint(seed);
                    } catch (AssertionError expected) {
                        caught++;
                        firstCaught = firstCaught == 0 ? seed : firstCaught;
                    }
                }
            } finally {
                Planted.active = Planted.NONE;
            }
            assertThat(caught).as("programs in which " + bug + " was caught").isGreaterThan(5);
            // Without the bug the same program agrees again: the plant, nothing else, failed it.
            faultAtRandomPoint(firstCaught);
        }
    }

    /**
     * One random program, the data page all memory operands use unmapped on both CPUs
     * (and its TLB entry dropped) after a random number of slices, so that the next load,
     * store, read-modify-write, push of memory, SSE or x87 access or generic handler
     * touching it faults, wherever in a translated block it is. The #PF handler is a HLT:
     * what the CPUs pushed for the fault (RIP, RFLAGS) is on the compared stack, and the
     * registers, flags, counters and data must be exactly the interpreter's. Returns
     * whether it faulted after its start was translated.
     */
    private static boolean faultAtRandomPoint(long seed) {
        Random rnd = new Random(seed);
        Gen gen = new Gen(rnd, seed % 2 == 0);
        byte[] code = gen.loop(6 + rnd.nextInt(40));
        CpuFixture interp = machine(false);
        CpuFixture trans = machine(true);
        for (CpuFixture f : new CpuFixture[] {interp, trans}) {
            loadWithFunctions(f, gen, code, new Random(seed * 13));
        }
        Random slices = new Random(seed);
        int unmapAfter = 2 + slices.nextInt(30);
        for (int k = 0; k < 100_000 && !(interp.cpu.halted() && trans.cpu.halted()); k++) {
            if (k == unmapAfter) {
                for (CpuFixture f : new CpuFixture[] {interp, trans}) {
                    f.setPte(CpuFixture.DATA, 0);
                    f.cpu.invlpg(CpuFixture.DATA);
                }
            }
            int n = 1 + slices.nextInt(seed % 3 == 0 ? 300 : 29);
            interp.cpu.run(n);
            trans.cpu.run(n);
            assertSame(interp, trans, "seed " + seed + " after slice " + k);
        }
        assertThat(interp.cpu.halted()).as("seed " + seed + " ran to a HLT").isTrue();
        return trans.cpu.perf.exceptions > 0 && translated(trans, CpuFixture.CODE);
    }

    /**
     * A fault in a block another block chained to: the first block (64 of the 70 ADDs,
     * the region's size limit) leaves for the rest of its page, where the second block (the
     * last ADDs, a jump to B, B's load and an indirect jump back) starts, so it calls that
     * block directly. The load faults once R8 reaches the unmapped page: the retired count
     * must include the first block's instructions.
     */
    @Test
    void aFaultInAChainedBlockCountsTheCallersInstructions() {
        StringBuilder hex = new StringBuilder();
        for (int k = 0; k < 70; k++) {
            hex.append("48 01 F0 ");
        }
        int jmp = 70 * 3;
        int rel = 0x800 - (jmp + 5);
        hex.append(String.format("E9 %02X %02X %02X %02X", rel & 0xff, rel >>> 8 & 0xff, rel >>> 16 & 0xff, rel >>> 24 & 0xff));
        byte[] a = CpuFixture.bytes(hex.toString());
        // B: mov rdx, [r13 + r8*8]; add r8, 1; jmp [r13 + TABLE]
        byte[] b = CpuFixture.bytes("4B 8B 54 C5 00 49 83 C0 01 41 FF A5 00 04 00 00");
        for (long seed = 1; seed <= 6; seed++) {
            CpuFixture interp = machine(false);
            CpuFixture trans = machine(true);
            for (CpuFixture f : new CpuFixture[] {interp, trans}) {
                load(f, a, CpuFixture.CODE, new Random(seed));
                f.mem.writeBytes(CpuFixture.CODE + 0x800, b, 0, b.length);
                f.mem.write64(CpuFixture.DATA + TABLE, CpuFixture.CODE);
                f.core.r[8] = 400;
                f.setPte(CpuFixture.DATA + 0x1000, 0);
            }
            runBoth(interp, trans, seed, 30 + (int) seed * 40);
            assertThat(trans.cpu.perf.exceptions).isEqualTo(1);
            assertThat(trans.core.cr2).isEqualTo(CpuFixture.DATA + 0x1000);
        }
    }

    /**
     * loop: add rsi, rax; mov r8, r11; test r15b, 31; cmovz r8, r12; STORE [r8]; ADD rax, imm;
     *       sub r15, 1; jnz loop; hlt. The store goes to the data page (r11), except on every
     * 32nd pass, when it goes to the immediate of the ADD right after it (r12): the block
     * stays translated between those passes, so the store that changes its own code runs
     * inside it.
     */
    private static void selfModifyingLoop(String store, String add, int immOffset, long seed) {
        int length = 14 + CpuFixture.bytes(store).length + CpuFixture.bytes(add).length + 6;
        byte[] code = CpuFixture.bytes("48 01 C6 4D 89 D8 41 F6 C7 1F 4D 0F 44 C4 " + store + " " + add
            + " 49 83 EF 01 75 " + String.format("%02X", -length & 0xff) + " F4");
        CpuFixture interp = machine(false);
        CpuFixture trans = machine(true);
        for (CpuFixture f : new CpuFixture[] {interp, trans}) {
            load(f, code, CpuFixture.CODE, new Random(seed));
            f.core.r[11] = CpuFixture.DATA;
            f.core.r[12] = CpuFixture.CODE + immOffset;
            f.core.r[COUNTER] = 300;
        }
        runBoth(interp, trans, seed, 64);
        assertThat(trans.mem.read8(CpuFixture.CODE + immOffset)).isNotEqualTo(1);
    }

    @Test
    void aByteStoreIntoTheBlocksOwnCodeTakesEffectAtTheNextInstruction() {
        // mov [r8], al (a generic handler); add rax, imm8
        selfModifyingLoop("41 88 00", "48 83 C0 01", 20, 3);
    }

    @Test
    void aWideStoreIntoTheBlocksOwnCodeTakesEffectAtTheNextInstruction() {
        // mov [r8], eax (a specialized store); add rax, imm32
        selfModifyingLoop("41 89 00", "48 05 01 00 00 00", 19, 4);
    }

    /**
     * loop: mov rax, [r8]; add rax, [r9]; add rax, [r8]; sub r15, 1; jnz loop; hlt, with r8
     * and r9 in two pages that share a TLB slot: from the second pass on, the first load
     * hits, the second misses and its walk evicts the first page, so the third misses too.
     * A block that still took the first page for present (it remembers recent pages, see
     * Operands) would count a hit the interpreter does not.
     */
    private static void pagesSharingATlbSlot(long seed) {
        long p = CpuFixture.DATA;
        long q = CpuFixture.DATA ^ 0x401000L;
        assertThat(Mmu.slot(q >>> 12)).as("the pages' TLB slots").isEqualTo(Mmu.slot(p >>> 12));
        byte[] code = CpuFixture.bytes("49 8B 00 49 03 01 49 03 00 49 83 EF 01 75 F1 F4");
        CpuFixture interp = machine(false);
        CpuFixture trans = machine(true);
        for (CpuFixture f : new CpuFixture[] {interp, trans}) {
            load(f, code, CpuFixture.CODE, new Random(seed));
            f.core.r[8] = p + 8 * (seed % 8);
            f.core.r[9] = q + 16 * (seed % 4);
            f.core.r[COUNTER] = 200;
        }
        runBoth(interp, trans, seed, 50);
        assertThat(translated(trans, CpuFixture.CODE)).as("the loop was translated").isTrue();
    }

    @Test
    void pagesSharingATlbSlotMatchTheInterpreter() {
        for (long seed = 1; seed <= 4; seed++) {
            pagesSharingATlbSlot(seed);
        }
    }

    @Test
    void aRecentPageKeptAfterAMissIsCaught() {
        Planted.active = Planted.RECENT_PAGES_KEPT_AFTER_MISS;
        try {
            assertThatThrownBy(() -> pagesSharingATlbSlot(1)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("TLB hits");
        } finally {
            Planted.active = Planted.NONE;
        }
        pagesSharingATlbSlot(1);
    }

    @Test
    void aPageMappedTwiceRunsAtEitherAddress() {
        long alias = 0x70000;
        Random rnd = new Random(99);
        byte[] code = new Gen(rnd).loop(20);
        CpuFixture interp = machine(false);
        CpuFixture trans = machine(true);
        for (CpuFixture f : new CpuFixture[] {interp, trans}) {
            f.setPte(alias, CpuFixture.CODE | CpuFixture.USER_PAGE);
            load(f, code, CpuFixture.CODE, new Random(5));
            byte[] fn = {0x48, 0x01, (byte) 0xF0, (byte) 0xC3};
            f.mem.writeBytes(FUNCTION, fn, 0, fn.length);
        }
        runBoth(interp, trans, 1, 23);
        for (CpuFixture f : new CpuFixture[] {interp, trans}) {
            f.core.halted = false;
            f.core.rip = alias;
            f.core.r[COUNTER] = 40;
        }
        runBoth(interp, trans, 2, 23);
    }

    /** Random loop bodies built from the forms the translator handles, and some it does not. */
    static final class Gen {
        private final Random rnd;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        /** How many kinds of instruction {@link #insn} picks from: 27, or 36 with control flow. */
        private final int kinds;
        /** Jump-table entries: the table slot and the code offset it holds. */
        final java.util.List<int[]> table = new java.util.ArrayList<>();
        private int nesting;
        /** Where the buffer {@link #out} starts in the program ({@link #sub} writes into a fresh one). */
        private int base;

        Gen(Random rnd) {
            this(rnd, false);
        }

        /**
         * A generator; {@code rich} adds one-operand multiplies, pushes of immediates and
         * memory, frames (PUSH RBP ... LEAVE), calls to a function with a branch, indirect
         * jumps and calls through a table, and inner loops.
         */
        Gen(Random rnd, boolean rich) {
            this.rnd = rnd;
            this.kinds = rich ? 36 : 27;
        }

        /** body; sub r15, 1; jnz start; hlt. */
        byte[] loop(int insns) {
            for (int i = 0; i < insns; i++) {
                insn();
            }
            emit(0x49, 0x83, 0xEF, 0x01);
            int back = -(out.size() + 6);
            emit(0x0F, 0x85);
            imm32(back);
            emit(0xF4);
            return out.toByteArray();
        }

        private void emit(int... b) {
            for (int x : b) {
                out.write(x);
            }
        }

        private void imm32(int v) {
            emit(v & 0xff, v >>> 8 & 0xff, v >>> 16 & 0xff, v >>> 24 & 0xff);
        }

        private int dst() {
            return DST[rnd.nextInt(DST.length)];
        }

        private int any() {
            return rnd.nextInt(16);
        }

        private int size() {
            return new int[] {1, 2, 4, 8, 8, 4}[rnd.nextInt(6)];
        }

        /** Prefixes and REX for a reg/rm pair; rm is a register unless mem. */
        private void prefix(int size, int reg, int rm, boolean mem) {
            if (size == 2) {
                emit(0x66);
            }
            int rex = (size == 8 ? 8 : 0) | (reg >= 8 ? 4 : 0) | (mem ? 1 : rm >= 8 ? 1 : 0);
            // Byte forms: with no REX, 4-7 mean AH..BH; a REX makes them SPL..DIL.
            if (rex != 0 || size == 1 && rnd.nextBoolean() && (reg & ~3) != 4 && (mem || (rm & ~3) != 4)) {
                emit(0x40 | rex);
            }
        }

        /** ModRM (and disp8) for a register rm, or for [r13 + disp8]. */
        private void modrm(int reg, int rm, boolean mem) {
            if (mem) {
                emit(0x40 | (reg & 7) << 3 | 5, rnd.nextInt(200));
            } else {
                emit(0xC0 | (reg & 7) << 3 | (rm & 7));
            }
        }

        /** A byte-size destination that is not the low byte of RSP, R13 or R15. */
        private int dst8() {
            int r = dst();
            return r;
        }

        private void insn() {
            int kind = rnd.nextInt(kinds);
            if (kind >= 27) {
                controlOrStack(kind);
                return;
            }
            int size = size();
            int op = rnd.nextInt(8);
            switch (kind) {
                case 0: case 1: case 2: { // ALU r/m, r (register or memory destination)
                    boolean mem = kind == 2;
                    int d = size == 1 && !mem ? dst8() : dst();
                    int s = any();
                    prefix(size, s, d, mem);
                    emit(op << 3 | (size == 1 ? 0 : 1));
                    modrm(s, d, mem);
                    return;
                }
                case 3: case 4: { // ALU r, r/m
                    boolean mem = kind == 4;
                    int d = dst();
                    int s = any();
                    prefix(size, d, s, mem);
                    emit(op << 3 | (size == 1 ? 2 : 3));
                    modrm(d, s, mem);
                    return;
                }
                case 5: case 6: { // ALU r/m, imm
                    boolean mem = kind == 6;
                    int d = dst();
                    prefix(size, 0, d, mem);
                    boolean imm8 = size == 1 || rnd.nextBoolean();
                    emit(size == 1 ? 0x80 : imm8 ? 0x83 : 0x81);
                    modrm(op, d, mem);
                    if (imm8) {
                        emit(rnd.nextInt(256));
                    } else if (size == 2) {
                        emit(rnd.nextInt(256), rnd.nextInt(256));
                    } else {
                        imm32(rnd.nextInt());
                    }
                    return;
                }
                case 7: { // MOV r/m, r and MOV r, r/m, TEST r/m, r
                    boolean mem = rnd.nextBoolean();
                    int a = dst();
                    int b = any();
                    int form = rnd.nextInt(3);
                    if (form == 0) {
                        prefix(size, b, a, mem);
                        emit(size == 1 ? 0x88 : 0x89);
                        modrm(b, a, mem);
                    } else if (form == 1) {
                        prefix(size, a, b, mem);
                        emit(size == 1 ? 0x8A : 0x8B);
                        modrm(a, b, mem);
                    } else {
                        prefix(size, b, a, mem);
                        emit(size == 1 ? 0x84 : 0x85);
                        modrm(b, a, mem);
                    }
                    return;
                }
                case 8: { // MOV r, imm
                    int d = dst();
                    if (rnd.nextBoolean()) {
                        emit(0x48 | (d >= 8 ? 1 : 0), 0xB8 | (d & 7));
                        imm32(rnd.nextInt());
                        imm32(rnd.nextInt());
                    } else {
                        if (d >= 8) {
                            emit(0x41);
                        }
                        emit(0xB8 | (d & 7));
                        imm32(rnd.nextInt());
                    }
                    return;
                }
                case 9: { // shifts and rotates by imm, 1 or CL
                    int d = dst();
                    int sub = new int[] {0, 1, 2, 3, 4, 5, 7}[rnd.nextInt(7)];
                    int form = rnd.nextInt(3);
                    boolean mem = rnd.nextInt(4) == 0;
                    prefix(size, 0, d, mem);
                    emit((size == 1 ? 0xC0 : 0xC1) + (form == 1 ? 0x10 : form == 2 ? 0x12 : 0));
                    modrm(sub, d, mem);
                    if (form == 0) {
                        emit(rnd.nextInt(70));
                    }
                    return;
                }
                case 10: { // IMUL r, r/m; IMUL r, r/m, imm
                    int d = dst();
                    int s = any();
                    int sz = size == 1 ? 4 : size;
                    boolean mem = rnd.nextInt(3) == 0;
                    prefix(sz, d, s, mem);
                    int form = rnd.nextInt(3);
                    if (form == 0) {
                        emit(0x0F, 0xAF);
                        modrm(d, s, mem);
                    } else if (form == 1) {
                        emit(0x6B);
                        modrm(d, s, mem);
                        emit(rnd.nextInt(256));
                    } else {
                        emit(0x69);
                        modrm(d, s, mem);
                        if (sz == 2) {
                            emit(rnd.nextInt(256), rnd.nextInt(256));
                        } else {
                            imm32(rnd.nextInt());
                        }
                    }
                    return;
                }
                case 11: { // INC, DEC, NOT, NEG
                    int d = dst();
                    boolean mem = rnd.nextInt(3) == 0;
                    prefix(size, 0, d, mem);
                    int form = rnd.nextInt(4);
                    emit(form < 2 ? (size == 1 ? 0xFE : 0xFF) : (size == 1 ? 0xF6 : 0xF7));
                    modrm(form < 2 ? form : form, d, mem);
                    return;
                }
                case 12: { // CMOVcc, SETcc
                    int d = dst();
                    int s = any();
                    boolean mem = rnd.nextBoolean();
                    if (rnd.nextBoolean()) {
                        int sz = size == 1 ? 8 : size;
                        prefix(sz, d, s, mem);
                        emit(0x0F, 0x40 | rnd.nextInt(16));
                        modrm(d, s, mem);
                    } else {
                        prefix(1, 0, d, mem);
                        emit(0x0F, 0x90 | rnd.nextInt(16));
                        modrm(0, d, mem);
                    }
                    return;
                }
                case 13: { // LEA r, [base + index*scale + disp8]
                    int d = dst();
                    int base = any();
                    int index = any();
                    int sz = size == 1 ? 8 : size;
                    if (sz == 2) {
                        emit(0x66);
                    }
                    emit(0x40 | (sz == 8 ? 8 : 0) | (d >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0));
                    emit(0x8D, 0x44 | (d & 7) << 3, rnd.nextInt(4) << 6 | (index & 7) << 3 | (base & 7), rnd.nextInt(256));
                    return;
                }
                case 14: { // MOVZX, MOVSX, MOVSXD
                    int d = dst();
                    int s = any();
                    boolean mem = rnd.nextBoolean();
                    int sz = size == 1 ? 4 : size;
                    int form = rnd.nextInt(5);
                    if (form == 4) {
                        prefix(8, d, s, mem);
                        emit(0x63);
                    } else {
                        prefix(sz, d, s, mem);
                        emit(0x0F, new int[] {0xB6, 0xB7, 0xBE, 0xBF}[form]);
                    }
                    modrm(d, s, mem);
                    return;
                }
                case 15: { // PUSH r; POP r
                    int s = any();
                    int d = dst();
                    emit(s >= 8 ? 0x41 : 0x40, 0x50 | (s & 7));
                    insnNoStack();
                    emit(d >= 8 ? 0x41 : 0x40, 0x58 | (d & 7));
                    return;
                }
                case 16: case 17: { // a compare or test fused with a Jcc that skips the next instruction
                    int a = any();
                    int b = any();
                    int form = rnd.nextInt(4);
                    int sz = size == 1 ? 8 : size;
                    if (form == 0) {
                        prefix(sz, b, a, false);
                        emit(0x39);
                        modrm(b, a, false);
                    } else if (form == 1) {
                        prefix(sz, b, a, false);
                        emit(0x85);
                        modrm(b, a, false);
                    } else if (form == 2) {
                        int d = dst();
                        prefix(sz, 0, d, false);
                        emit(0x83);
                        modrm(rnd.nextBoolean() ? 7 : 5, d, false);
                        emit(rnd.nextInt(256));
                    } else {
                        prefix(sz, b, 0, true);
                        emit(0x39);
                        modrm(b, 0, true);
                    }
                    skip();
                    return;
                }
                case 18: { // a flag-setting instruction, then an unfused Jcc
                    int d = dst();
                    prefix(8, 0, d, false);
                    emit(0xFF);
                    modrm(rnd.nextInt(2), d, false);
                    skip();
                    return;
                }
                case 19: { // JMP over an instruction
                    ByteArrayOutputStream saved = new ByteArrayOutputStream();
                    byte[] skipped = sub();
                    emit(0xEB, skipped.length);
                    out.write(skipped, 0, skipped.length);
                    saved.reset();
                    return;
                }
                case 20: { // CALL to a function that returns
                    long fn = kinds > 27 && rnd.nextBoolean() ? FUNCTION2 : FUNCTION;
                    int rel = (int) (fn - (CpuFixture.CODE + out.size() + 5));
                    emit(0xE8);
                    imm32(rel);
                    return;
                }
                case 21: { // SSE: PADDQ / PXOR / MOVQ between XMM and general registers
                    int x = rnd.nextInt(8);
                    int y = rnd.nextInt(8);
                    int form = rnd.nextInt(3);
                    if (form == 0) {
                        emit(0x66, 0x0F, rnd.nextBoolean() ? 0xD4 : 0xEF, 0xC0 | x << 3 | y);
                    } else if (form == 1) {
                        int s = any();
                        emit(0x66, 0x48 | (s >= 8 ? 1 : 0), 0x0F, 0x6E, 0xC0 | x << 3 | (s & 7));
                    } else {
                        int d = dst();
                        emit(0x66, 0x48 | (d >= 8 ? 1 : 0), 0x0F, 0x7E, 0xC0 | x << 3 | (d & 7));
                    }
                    return;
                }
                case 22: { // BSF, BSR, BT, XCHG, XADD, CMPXCHG, BSWAP
                    int d = dst();
                    int s = dst();
                    int sz = size == 1 ? 4 : size;
                    boolean mem = rnd.nextInt(3) == 0;
                    int form = rnd.nextInt(6);
                    prefix(sz, s, d, mem);
                    switch (form) {
                        case 0: emit(0x0F, 0xBC); modrm(s, d, mem); return;
                        case 1: emit(0x0F, 0xBD); modrm(s, d, mem); return;
                        case 2: emit(0x0F, 0xA3); modrm(s, d, mem); return;
                        case 3: emit(0x87); modrm(s, d, mem); return;
                        case 4: emit(0x0F, 0xC1); modrm(s, d, mem); return;
                        default: emit(0x0F, 0xB1); modrm(s, d, mem); return;
                    }
                }
                case 23: { // CMP [mem], r at 16, 32 or 64 bits, unfused
                    int b = any();
                    prefix(size == 1 ? 8 : size, b, 0, true);
                    emit(0x39);
                    modrm(b, 0, true);
                    emit(0x90);
                    return;
                }
                case 24: { // CWD/CQO, CBW/CDQE, LAHF, SAHF, CLC, STC, CMC
                    emit(new int[] {0x99, 0x98, 0x9F, 0x9E, 0xF8, 0xF9, 0xF5}[rnd.nextInt(7)]);
                    return;
                }
                case 25: { // RIP-relative: MOV r, [rip + disp32] into the data area, or LEA
                    int d = dst();
                    boolean lea = rnd.nextBoolean();
                    emit(0x48 | (d >= 8 ? 4 : 0), lea ? 0x8D : 0x8B, 0x05 | (d & 7) << 3);
                    imm32((int) (CpuFixture.DATA + rnd.nextInt(200) - (CpuFixture.CODE + out.size() + 4)));
                    return;
                }
                default: { // an instruction the translator leaves to the interpreter: CPUID
                    emit(0x0F, 0xA2);
                }
            }
        }

        /** The rich generator's kinds 27-33. */
        private void controlOrStack(int kind) {
            switch (kind) {
                case 27: { // MUL / IMUL with one operand (RDX:RAX = RAX * r/m)
                    int s = any();
                    boolean mem = rnd.nextInt(3) == 0;
                    int size = size();
                    prefix(size, 0, s, mem);
                    emit(size == 1 ? 0xF6 : 0xF7);
                    modrm(rnd.nextBoolean() ? 4 : 5, s, mem);
                    return;
                }
                case 28: { // PUSH imm8 / imm32, then POP r
                    if (rnd.nextBoolean()) {
                        emit(0x6A, rnd.nextInt(256));
                    } else {
                        emit(0x68);
                        imm32(rnd.nextInt());
                    }
                    int d = dst();
                    emit(d >= 8 ? 0x41 : 0x40, 0x58 | (d & 7));
                    return;
                }
                case 29: { // PUSH [r13 + disp8], then POP r
                    emit(0x41, 0xFF);
                    modrm(6, 0, true);
                    int d = dst();
                    emit(d >= 8 ? 0x41 : 0x40, 0x58 | (d & 7));
                    return;
                }
                case 30: { // a stack frame: push rbp; mov rbp, rsp; leave
                    emit(0x55, 0x48, 0x89, 0xE5, 0xC9);
                    return;
                }
                case 31: { // JMP [r13 + TABLE + 8k] over one instruction, to the next
                    if (base != 0) {
                        // Inside a skipped instruction the target's offset is not known yet.
                        emit(0x90);
                        return;
                    }
                    int slot = table.size();
                    emit(0x41, 0xFF, 0xA5);
                    imm32(TABLE + 8 * slot);
                    byte[] skipped = sub();
                    out.write(skipped, 0, skipped.length);
                    table.add(new int[] {slot, out.size()});
                    return;
                }
                case 32: { // CALL [r13 + TABLE + 8k], the table holding a function
                    int slot = table.size();
                    emit(0x41, 0xFF, 0x95);
                    imm32(TABLE + 8 * slot);
                    table.add(new int[] {slot, (int) ((rnd.nextBoolean() ? FUNCTION : FUNCTION2) - CpuFixture.CODE)});
                    return;
                }
                case 33: { // SSE through memory: MOVDQU/MOVAPS loads and stores, MOVSD, ADDSD/MULSD
                    int x = rnd.nextInt(8);
                    int disp = rnd.nextInt(8) * 16;
                    switch (rnd.nextInt(6)) {
                        case 0: emit(0xF3, 0x41, 0x0F, 0x6F, 0x45 | x << 3, disp); return; // movdqu xmm, [r13+d]
                        case 1: emit(0xF3, 0x41, 0x0F, 0x7F, 0x45 | x << 3, disp); return; // movdqu [r13+d], xmm
                        case 2: emit(0x41, 0x0F, 0x29, 0x45 | x << 3, disp); return;       // movaps [r13+d], xmm
                        case 3: emit(0xF2, 0x41, 0x0F, 0x10, 0x45 | x << 3, disp); return; // movsd xmm, [r13+d]
                        case 4: emit(0xF2, 0x41, 0x0F, 0x58, 0x45 | x << 3, disp); return; // addsd xmm, [r13+d]
                        default: emit(0xF2, 0x0F, 0x59, 0xC0 | x << 3 | rnd.nextInt(8)); return; // mulsd xmm, xmm
                    }
                }
                case 34: { // x87 through a register changed just before: lea r, [r13+d]; fld; fstp
                    int d = dst();
                    int disp = rnd.nextInt(8) * 8;
                    emit(0x49 | (d >= 8 ? 4 : 0), 0x8D, 0x45 | (d & 7) << 3, disp); // lea rD, [r13+disp]
                    emit(d >= 8 ? 0x41 : 0x40, 0xDD, 0x00 | (d & 7));               // fld qword [rD]
                    emit(d >= 8 ? 0x41 : 0x40, 0xDD, 0x58 | (d & 7), 8);            // fstp qword [rD+8]
                    return;
                }
                default: { // an inner loop: push r15; mov r15d, k; L: body; sub r15, 1; jnz L; pop r15
                    if (nesting > 0) {
                        emit(0x90);
                        return;
                    }
                    nesting++;
                    emit(0x41, 0x57, 0x41, 0xBF);
                    imm32(1 + rnd.nextInt(5));
                    int body = out.size();
                    for (int k = rnd.nextInt(3); k >= 0; k--) {
                        byte[] b = sub();
                        out.write(b, 0, b.length);
                    }
                    emit(0x49, 0x83, 0xEF, 0x01);
                    int back = body - (out.size() + 2);
                    if (back < -128) {
                        // Too long for a rel8: jnz rel32.
                        back = body - (out.size() + 6);
                        emit(0x0F, 0x85);
                        imm32(back);
                    } else {
                        emit(0x75, back & 0xff);
                    }
                    emit(0x41, 0x5F);
                    nesting--;
                    return;
                }
            }
        }

        /** A Jcc (rel8) over one instruction. */
        private void skip() {
            byte[] skipped = sub();
            emit(0x70 | rnd.nextInt(16), skipped.length);
            out.write(skipped, 0, skipped.length);
        }

        /** One random instruction that does not touch the stack, as bytes. */
        private byte[] sub() {
            byte[] before = out.toByteArray();
            out.reset();
            base += before.length;
            insnNoStack();
            base -= before.length;
            byte[] body = out.toByteArray();
            out.reset();
            out.write(before, 0, before.length);
            return body;
        }

        private void insnNoStack() {
            for (;;) {
                int mark = out.size();
                insn();
                byte[] all = out.toByteArray();
                boolean stack = false;
                for (int i = mark; i < all.length; i++) {
                    // PUSH/POP/CALL/jumps need their own bookkeeping; retry with another form.
                    int b = all[i] & 0xff;
                    stack |= i == mark && (b == 0xE8 || b == 0xEB);
                }
                if (!stack && !containsPushPop(all, mark)) {
                    return;
                }
                byte[] keep = java.util.Arrays.copyOf(all, mark);
                out.reset();
                out.write(keep, 0, keep.length);
            }
        }

        private static boolean containsPushPop(byte[] all, int from) {
            for (int i = from; i + 1 < all.length; i++) {
                int rex = all[i] & 0xff;
                int b = all[i + 1] & 0xff;
                if ((rex == 0x40 || rex == 0x41) && (b & 0xF0) == 0x50 && i == from) {
                    return true;
                }
            }
            return false;
        }
    }
}
