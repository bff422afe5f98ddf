package microlith.hw.cpu;

/**
 * Long-mode interrupt and exception delivery through the IDT (AMD64 APM vol. 2, 8.9).
 *
 * <pre>
 * 64-bit IDT gate (16 bytes)
 *  127          96 95                         64
 * +--------------+------------------------------+
 * |   reserved   |        offset 63:32          |
 * +--------------+------------------------------+
 *  63        48 47 46-45 44 43-40 39-35 34-32 31         16 15          0
 * +------------+--+-----+--+-----+-----+-----+-------------+-------------+
 * |offset 31:16|P | DPL |0 |type |  0  | IST |  selector   | offset 15:0 |
 * +------------+--+-----+--+-----+-----+-----+-------------+-------------+
 * type 0xE = interrupt gate (clears IF), 0xF = trap gate
 * </pre>
 *
 * A change to a more privileged level loads RSP from the TSS (RSP0-2, or IST1-7 when the
 * gate names one) and SS with a null selector; the CPU then pushes SS, RSP, RFLAGS, CS,
 * RIP and, for some exceptions, an error code, on a 16-byte aligned stack.
 * A fault while delivering becomes #DF; a fault while delivering #DF shuts the machine
 * down (triple fault).
 */
public final class InterruptDelivery {
    private final Core cpu;
    private int nesting;

    InterruptDelivery(Core cpu) {
        this.cpu = cpu;
    }

    public void deliver(int vector, boolean hasErr, long err, boolean software) {
        try {
            nesting++;
            doDeliver(vector, hasErr, err, software);
        } catch (CpuException e) {
            if (vector == Vectors.DF || nesting > 4) {
                cpu.requestStop("triple fault: " + Vectors.mnemonic(vector) + " could not be delivered ("
                    + e.getMessage() + ")");
                return;
            }
            if (e.vector == Vectors.PF) {
                cpu.cr2 = e.faultAddress;
            }
            cpu.perf.exceptions++;
            if (software) {
                // A fault raised by INT n itself points at the INT instruction.
                cpu.rip = cpu.insnStart;
            }
            if (doubleFault(vector, software, e.vector)) {
                deliver(Vectors.DF, true, 0, false);
            } else {
                deliver(e.vector, e.hasErrorCode, e.errorCode, false);
            }
        } finally {
            nesting--;
        }
    }

    private static boolean contributory(int v) {
        return v == Vectors.DE || v == Vectors.TS || v == Vectors.NP || v == Vectors.SS || v == Vectors.GP;
    }

    /**
     * AMD64 APM vol. 2, table 8-7: a second fault while delivering the first becomes #DF
     * only for contributory-then-contributory or #PF-then-(contributory or #PF); any other
     * pair delivers the second fault normally. A software INT is not a fault at all.
     */
    public static boolean doubleFault(int first, boolean software, int second) {
        if (software) {
            return false;
        }
        return contributory(first) && contributory(second)
            || first == Vectors.PF && (contributory(second) || second == Vectors.PF);
    }

    private void doDeliver(int vector, boolean hasErr, long err, boolean software) {
        int gateOff = vector * 16;
        if (gateOff + 15 > cpu.idtLimit) {
            throw CpuException.gp(vector * 8 + 2);
        }
        long lo = cpu.readSupervisor64(cpu.idtBase + gateOff);
        long hi = cpu.readSupervisor64(cpu.idtBase + gateOff + 8);
        int type = (int) (lo >>> 40) & 0xf;
        int dpl = (int) (lo >>> 45) & 3;
        boolean present = (lo & (1L << 47)) != 0;
        if (type != 0xE && type != 0xF) {
            throw CpuException.gp(vector * 8 + 2);
        }
        if (software && dpl < cpu.cpl) {
            throw CpuException.gp(vector * 8 + 2);
        }
        if (!present) {
            throw new CpuException(Vectors.NP, true, vector * 8 + 2, 0);
        }
        int selector = (int) (lo >>> 16) & 0xffff;
        int ist = (int) (lo >>> 32) & 7;
        long target = (lo & 0xffff) | (lo >>> 32 & 0xffff0000L) | (hi & 0xffffffffL) << 32;
        long csDesc = cpu.descriptor(selector);
        int newCpl = (int) (csDesc >>> 45) & 3;
        boolean codeSeg = (csDesc & (1L << 43)) != 0 && (csDesc & (1L << 44)) != 0;
        boolean longSeg = (csDesc & (1L << 53)) != 0;
        if (!codeSeg || !longSeg || newCpl > cpu.cpl) {
            throw CpuException.gp(selector & 0xfffc);
        }
        long oldRsp = cpu.r[Cpu.RSP];
        int oldSs = cpu.ss;
        int oldCs = cpu.cs;
        long oldFlags = cpu.flags.get();
        long rsp;
        if (ist != 0) {
            rsp = cpu.readSupervisor64(cpu.tssBase + 0x24 + (ist - 1) * 8L);
        } else if (newCpl < cpu.cpl) {
            rsp = cpu.readSupervisor64(cpu.tssBase + 4 + newCpl * 8L);
        } else {
            rsp = oldRsp;
        }
        rsp &= ~0xfL;
        // Push the frame with supervisor rights: the target stack belongs to the new level.
        long[] frame = hasErr
            ? new long[] {oldSs, oldRsp, oldFlags, oldCs, cpu.rip, err}
            : new long[] {oldSs, oldRsp, oldFlags, oldCs, cpu.rip};
        for (long v : frame) {
            rsp -= 8;
            cpu.writeSupervisor64(rsp, v);
        }
        cpu.r[Cpu.RSP] = rsp;
        if (newCpl < cpu.cpl) {
            cpu.ss = newCpl;
        }
        cpu.cs = (selector & 0xfffc) | newCpl;
        cpu.setCpl(newCpl);
        long f = oldFlags & ~(Flags.TF | Flags.NT | Flags.RF);
        if (type == 0xE) {
            f &= ~Flags.IF;
        }
        cpu.flags.set(f);
        cpu.rip = target;
        cpu.halted = false;
    }
}
