package microlith.hw.cpu.decode;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.Msr;
import microlith.hw.cpu.Vectors;
import org.junit.jupiter.api.Test;

/**
 * Decoder sanity: known encodings are checked for their length (RIP after one step) and
 * their operands (by executing them).
 */
class DecoderTest {
    private static final long CODE = CpuFixture.CODE;
    private static final long DATA = CpuFixture.DATA;
    private final CpuFixture fx = new CpuFixture();
    private final Cpu cpu = fx.cpu;

    /** Places hex at CODE, runs one instruction and checks its length. */
    private void run(String hex) {
        int len = fx.code(hex);
        cpu.stepRaw();
        assertThat(cpu.rip()).as("length of %s", hex).isEqualTo(CODE + len);
    }

    @Test
    void rexSelectsExtendedRegisters() {
        cpu.setReg(Cpu.RAX, 0x1111);
        run("49 89 c0"); // mov r8, rax
        assertThat(cpu.reg(Cpu.R8)).isEqualTo(0x1111);
        cpu.setReg(Cpu.R9, 0x2222);
        run("4d 01 c8"); // add r8, r9
        assertThat(cpu.reg(Cpu.R8)).isEqualTo(0x3333);
        run("41 ff c7"); // inc r15d
        assertThat(cpu.reg(Cpu.R15)).isEqualTo(1);
        cpu.setReg(Cpu.R12, DATA);
        fx.mem.write64(DATA, 0xabcdef);
        run("49 8b 04 24"); // mov rax, [r12] (r12 needs a SIB)
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0xabcdef);
        cpu.setReg(Cpu.R13, DATA);
        run("49 8b 45 00"); // mov rax, [r13+0] (r13 needs a displacement)
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0xabcdef);
    }

    @Test
    void operandSizePrefixAndRexW() {
        cpu.setReg(Cpu.RAX, 0xffffffff_ffffffffL);
        run("66 b8 34 12"); // mov ax, 0x1234
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0xffffffff_ffff1234L);
        run("66 48 b8 88 77 66 55 44 33 22 11"); // REX.W wins over 66: mov rax, imm64
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x1122334455667788L);
        run("48 66 b8 34 12"); // a REX before a legacy prefix is ignored: mov ax, imm16
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x1122334455661234L);
        run("b8 ff ff ff ff"); // mov eax, imm32 zero-extends
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0xffffffffL);
        run("48 c7 c0 00 00 00 80"); // mov rax, simm32
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0xffffffff_80000000L);
    }

    @Test
    void repPrefixedStringInstruction() {
        cpu.setReg(Cpu.RCX, 3);
        cpu.setReg(Cpu.RDI, DATA);
        cpu.setReg(Cpu.RAX, 0x0102030405060708L);
        run("f3 48 ab"); // rep stosq
        assertThat(cpu.reg(Cpu.RCX)).isZero();
        assertThat(cpu.reg(Cpu.RDI)).isEqualTo(DATA + 24);
        assertThat(fx.mem.read64(DATA + 16)).isEqualTo(0x0102030405060708L);
        assertThat(fx.mem.read64(DATA + 24)).isZero();
        cpu.setReg(Cpu.RCX, 5);
        cpu.setReg(Cpu.RSI, DATA);
        cpu.setReg(Cpu.RDI, DATA + 0x100);
        run("f3 a4"); // rep movsb
        assertThat(fx.mem.read64(DATA + 0x100)).isEqualTo(0x0000000405060708L);
        fx.mem.write64(DATA + 0x200, 0x0000_6c6c_6568L); // "hell"
        cpu.setReg(Cpu.RCX, 100);
        cpu.setReg(Cpu.RDI, DATA + 0x200);
        cpu.setReg(Cpu.RAX, 0);
        run("f2 ae"); // repne scasb: find the NUL
        assertThat(cpu.reg(Cpu.RDI)).isEqualTo(DATA + 0x200 + 5);
        assertThat(cpu.reg(Cpu.RCX)).isEqualTo(95);
        assertThat(cpu.rflags() & Flags.ZF).isEqualTo(Flags.ZF);
    }

    @Test
    void sibWithoutBaseAndWithoutIndex() {
        fx.mem.write64(DATA + 0x18, 0x55aa);
        cpu.setReg(Cpu.RCX, 3);
        run("48 8b 04 cd 00 00 02 00"); // mov rax, [rcx*8 + 0x20000]
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x55aa);
        run("4c 8b 2c 25 18 00 02 00"); // mov r13, [0x20018] (SIB base 101, mod 00: no base even with REX.B)
        assertThat(cpu.reg(Cpu.R13)).isEqualTo(0x55aa);
        fx.mem.write64(CpuFixture.KERNEL_STACK - 8, 0x77);
        cpu.setReg(Cpu.RSP, CpuFixture.KERNEL_STACK - 16);
        run("48 8b 44 24 08"); // mov rax, [rsp+8] (SIB index 100: none)
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x77);
    }

    @Test
    void ripRelativeCountsFromTheEndOfTheInstruction() {
        fx.mem.write64(DATA, 0x1234_5678_9abcL);
        run("48 8b 05 f9 ff 00 00"); // mov rax, [rip + 0xfff9] = [0x20000]
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x1234_5678_9abcL);
        run("c7 05 f6 ff 00 00 78 56 34 12"); // mov dword [rip + 0xfff6], imm32: rip is after the imm
        assertThat(fx.mem.read64(DATA)).isEqualTo(0x1234_1234_5678L);
        run("48 8d 05 00 01 00 00"); // lea rax, [rip + 0x100]
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(CODE + 7 + 0x100);
        run("41 c6 05 f8 ff 00 00 99"); // mov byte [rip+...], imm8 with a REX.B that must not turn it into r13
        assertThat(fx.mem.read8(DATA)).isEqualTo(0x99);
    }

    @Test
    void highByteRegistersWithoutRexLowByteRegistersWithRex() {
        cpu.setReg(Cpu.RAX, 0x1234);
        cpu.setReg(Cpu.RSP, 0x30000 + 0x56);
        run("88 e0"); // mov al, ah
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x1212);
        run("40 88 e0"); // mov al, spl
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x1256);
        cpu.setReg(Cpu.RBX, 0xab00);
        cpu.setReg(Cpu.RDI, 0xcd);
        run("88 f8"); // mov al, bh
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x12ab);
        run("40 88 f8"); // mov al, dil
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x12cd);
        run("88 c7"); // mov bh, al
        assertThat(cpu.reg(Cpu.RBX)).isEqualTo(0xcd00);
        run("40 88 c7"); // mov dil, al
        assertThat(cpu.reg(Cpu.RDI)).isEqualTo(0xcd);
        run("41 88 c0"); // mov r8b, al
        assertThat(cpu.reg(Cpu.R8)).isEqualTo(0xcd);
    }

    @Test
    void byteGroupOpcodesUseTheModrmDigitNotTheRegister() {
        // 80 /4, C0 /5, F6 /4, FE /1 with memory operands: the /digit 4-7 must not be
        // mistaken for AH..BH.
        cpu.setReg(Cpu.RAX, DATA);
        fx.mem.write8(DATA, 0xf3);
        run("80 20 0f"); // and byte [rax], 0x0f
        assertThat(fx.mem.read8(DATA)).isEqualTo(0x03);
        fx.mem.write8(DATA, 0x80);
        run("c0 28 04"); // shr byte [rax], 4
        assertThat(fx.mem.read8(DATA)).isEqualTo(0x08);
        run("c0 38 02"); // sar byte [rax], 2
        assertThat(fx.mem.read8(DATA)).isEqualTo(0x02);
        fx.mem.write8(DATA, 200);
        cpu.setReg(Cpu.RBX, DATA);
        cpu.setReg(Cpu.RAX, 3);
        run("f6 23"); // mul byte [rbx]
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(600);
        run("fe 0b"); // dec byte [rbx]
        assertThat(fx.mem.read8(DATA)).isEqualTo(199);
        fx.code("c6 e0 05"); // C6 /4 is undefined
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.UD);
        fx.code("fe f8"); // FE /7 is undefined
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.UD);
    }

    @Test
    void bitTestWithRegisterOffsetAddressesABitString() {
        cpu.setReg(Cpu.RBX, DATA + 0x40);
        cpu.setReg(Cpu.RAX, 100);
        run("48 0f ab 03"); // bts [rbx], rax: bit 100 = bit 4 of byte 12
        assertThat(fx.mem.read8(DATA + 0x40 + 12)).isEqualTo(0x10);
        assertThat(cpu.rflags() & Flags.CF).isZero();
        cpu.setReg(Cpu.RAX, -1);
        run("48 0f ab 03"); // bts [rbx], -1: bit 63 of the quadword below
        assertThat(fx.mem.read64(DATA + 0x38)).isEqualTo(Long.MIN_VALUE);
        cpu.setReg(Cpu.RAX, 100);
        run("48 0f a3 03"); // bt [rbx], rax
        assertThat(cpu.rflags() & Flags.CF).isEqualTo(Flags.CF);
        run("48 0f ba 23 64"); // bt qword [rbx], 100: an immediate is taken mod 64
        assertThat(cpu.rflags() & Flags.CF).isZero();
    }

    @Test
    void addressSizeAndSegmentPrefixes() {
        fx.mem.write64(DATA, 0x4444_3333_2222_1111L);
        cpu.setReg(Cpu.RBX, 0xffffffff_00000000L | DATA);
        run("67 8b 03"); // mov eax, [ebx]: the address is truncated to 32 bits
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x2222_1111L);
        cpu.wrmsr(Msr.FS_BASE, DATA - 0x10);
        cpu.setReg(Cpu.RBX, 0x10);
        run("64 48 8b 03"); // mov rax, fs:[rbx]
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x4444_3333_2222_1111L);
        cpu.setReg(Cpu.RBX, DATA);
        cpu.setReg(Cpu.RAX, 1);
        run("f0 48 01 03"); // lock add [rbx], rax
        assertThat(fx.mem.read64(DATA)).isEqualTo(0x4444_3333_2222_1112L);
        run("2e 3e 26 36 90"); // ignored segment prefixes on a NOP
    }

    @Test
    void instructionLongerThan15BytesIsGp() {
        run("66 66 66 66 66 66 66 66 66 66 66 66 66 66 90"); // 15 bytes: fine
        fx.code("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90");
        CpuException e = fx.stepCatching();
        assertThat(e.vector).isEqualTo(Vectors.GP);
        assertThat(cpu.rip()).isEqualTo(CODE);
    }

    @Test
    void branchesAndCalls() {
        cpu.setReg(Cpu.RSP, CpuFixture.KERNEL_STACK);
        fx.code("e8 10 00 00 00"); // call +0x10
        cpu.stepRaw();
        assertThat(cpu.rip()).isEqualTo(CODE + 5 + 0x10);
        assertThat(fx.mem.read64(CpuFixture.KERNEL_STACK - 8)).isEqualTo(CODE + 5);
        fx.code(CODE + 0x15, "c3");
        cpu.stepRaw();
        assertThat(cpu.rip()).isEqualTo(CODE + 5);
        cpu.setRflags(Flags.FIXED1 | Flags.ZF);
        fx.code("75 fe"); // jne $: not taken
        cpu.stepRaw();
        assertThat(cpu.rip()).isEqualTo(CODE + 2);
        fx.code("0f 84 f0 ff ff ff"); // je -0x10: taken
        cpu.stepRaw();
        assertThat(cpu.rip()).isEqualTo(CODE + 6 - 0x10);
    }

    @Test
    void sseMovesAndCompares() {
        fx.mem.write64(DATA, 0x0706050403020100L);
        fx.mem.write64(DATA + 8, 0x0f0e0d0c0b0a0900L);
        cpu.setReg(Cpu.RBX, DATA);
        run("66 0f 6f 03"); // movdqa xmm0, [rbx]
        assertThat(cpu.xmmLow(0)).isEqualTo(0x0706050403020100L);
        assertThat(cpu.xmmHigh(0)).isEqualTo(0x0f0e0d0c0b0a0900L);
        run("66 0f ef c9"); // pxor xmm1, xmm1
        run("66 0f 74 c8"); // pcmpeqb xmm1, xmm0: bytes equal to zero
        assertThat(cpu.xmmLow(1)).isEqualTo(0xffL);
        assertThat(cpu.xmmHigh(1)).isEqualTo(0xffL);
        run("66 0f d7 c1"); // pmovmskb eax, xmm1
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x0101);
        run("66 48 0f 7e c0"); // movq rax, xmm0
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x0706050403020100L);
        run("66 0f 70 d0 1b"); // pshufd xmm2, xmm0, 0x1b: reverse the dwords
        assertThat(cpu.xmmLow(2)).isEqualTo(0x0b0a09000f0e0d0cL);
        assertThat(cpu.xmmHigh(2)).isEqualTo(0x0302010007060504L);
        fx.code("66 0f 6f 43 01"); // movdqa from a misaligned address
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.GP);
    }
}
