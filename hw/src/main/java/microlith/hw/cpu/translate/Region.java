package microlith.hw.cpu.translate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.decode.DecodedPage;
import microlith.hw.cpu.decode.Fuse;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.decode.Op;

/**
 * The code one block covers: the predecoded entries of one page reachable from a hot entry
 * through fall-through edges, conditional branches (both ways), jumps and calls, until an
 * entry that was never decoded, cannot be translated, lies in another page, or the size
 * limit. Loops inside the page become loops of the block, and calls inside the page stay
 * inside it: a CALL jumps to its callee's code, a RET compares the address it pops with
 * the region's return points, and an indirect jump compares its target with the nearby
 * entries that have been jump targets (a switch's cases); an address that matches none
 * leaves the block. A block that keeps leaving for addresses of its own page is formed
 * again with those addresses as seeds: entries reached only through returns and indirect
 * jumps and calls (a function pointer's functions, the caller a function returns to).
 * Forming a region reads no memory, so it cannot fault or change any counter.
 *
 * <p>The entries are grouped into basic blocks (a leader, then entries reached only by
 * falling through from the one before). Checkpoints (see {@link #checkpoints}) test that
 * the instructions up to the next checkpoint fit in the slice, so a block stops exactly
 * where the interpreter would. A backward pass works out where the arithmetic flags are
 * live: a flag-setting instruction whose flags every path overwrites before anything can
 * read them (a condition, a fault, an exit) records nothing.
 */
final class Region {
    /** How an entry ends: falls through, may branch, or leaves the block. */
    static final int INLINE = 0, GENERIC = 1, JCC = 2, FUSED = 3, JMP = 4, CALL = 5, RET = 6, JUMP_RM = 7, CALL_RM = 8;

    /** One entry of the region. */
    static final class Node {
        final int off;
        final Insn insn;
        final int kind;
        /** Where it falls through to (page offset), and that entry if it is in the region. */
        int nextOff;
        Node next;
        /** Branch target (JCC, FUSED, JMP, CALL) as a page offset, and its node if inside. */
        int targetOff;
        Node target;
        /** RET, JUMP_RM, CALL_RM: the region's entries the computed target may be. */
        List<Node> dynamicTargets = List.of();
        int predecessors;
        /** First entry of its basic block; the block's instruction count is in bbLength. */
        boolean leader;
        int bbLength;
        /**
         * A leader where the slice is checked: the start, loop heads and targets of returns
         * and indirect jumps. {@code reach} is the most instructions any path from here
         * retires before the next checkpoint or exit.
         */
        boolean checkpoint;
        int reach = -1;
        /** Instructions retired in the basic block before this entry. */
        int bbIndex;
        /** Whether the flags this entry leaves may still be read (see {@link #flagsLiveIn}). */
        boolean flagsLiveOut;
        boolean flagsLiveIn;
        /** Emission order. */
        int order;

        Node(int off, Insn insn, int kind) {
            this.off = off;
            this.insn = insn;
            this.kind = kind;
        }

        /** Instructions this entry retires: a fused compare-and-branch is two. */
        int weight() {
            return kind == FUSED ? 2 : 1;
        }

        /** Whether the entry ends its basic block (it transfers control). */
        boolean terminal() {
            return kind != INLINE && kind != GENERIC;
        }
    }

    final DecodedPage page;
    final int start;
    /** Nodes in emission order: the start first, the rest by address. */
    final List<Node> nodes = new ArrayList<>();
    private final Node[] byOffset = new Node[PhysicalMemory.PAGE_SIZE];

    /** Addresses an earlier block from the same start left for (see {@link Translator#reform}). */
    private final int[] seeds;

    private Region(DecodedPage page, int start, int[] seeds) {
        this.page = page;
        this.start = start;
        this.seeds = seeds;
    }

    /** Whether one of the offsets (or none is given) is an entry of the region. */
    boolean hasAny(int[] offsets) {
        for (int off : offsets) {
            if (at(off) != null) {
                return true;
            }
        }
        return offsets.length == 0;
    }

    /**
     * The region from the decoded entry at page offset {@code start} and, reached only
     * through returns and indirect jumps, the seeds; at most maxNodes entries.
     */
    static Region form(DecodedPage page, int start, int[] seeds, int maxNodes) {
        Region r = new Region(page, start, seeds);
        r.explore(maxNodes);
        if (r.nodes.isEmpty()) {
            return r;
        }
        r.link();
        r.blocks();
        r.checkpoints();
        r.liveness();
        return r;
    }

    Node at(int off) {
        return off >= 0 && off < PhysicalMemory.PAGE_SIZE ? byOffset[off] : null;
    }

    Node first() {
        return nodes.get(0);
    }

    /**
     * Trace first: from each starting point the path of fall-throughs, jumps and calls is
     * followed to its end before anything else, so that a size limit keeps the likely path
     * (compilers lay the likely way out as the fall-through) rather than every branch's
     * other side. A call's return point is the next start (it runs as soon as the callee
     * returns), other branches' targets wait in line after everything found before them.
     */
    private void explore(int maxNodes) {
        Deque<Integer> work = new ArrayDeque<>();
        work.add(start);
        for (int seed : seeds) {
            work.add(seed);
        }
        List<Node> found = new ArrayList<>();
        while (!work.isEmpty() && found.size() < maxNodes) {
            int off = work.removeFirst();
            while (off >= 0 && off < PhysicalMemory.PAGE_SIZE && byOffset[off] == null && found.size() < maxNodes) {
                Insn i = page.insns[off];
                int kind = i == null ? -1 : kindOf(i);
                if (kind < 0) {
                    break;
                }
                Node n = new Node(off, i, kind);
                byOffset[off] = n;
                found.add(n);
                n.nextOff = off + i.len + (kind == FUSED ? i.jlen : 0);
                switch (kind) {
                    case FUSED: n.targetOff = (int) (n.nextOff + i.jdisp); break;
                    case JCC: case JMP: case CALL: n.targetOff = (int) (n.nextOff + i.imm); break;
                    default: break;
                }
                switch (kind) {
                    case JCC: case FUSED:
                        work.addLast(n.targetOff);
                        off = n.nextOff;
                        break;
                    case JMP:
                        off = n.targetOff;
                        break;
                    case CALL:
                        work.addFirst(n.nextOff);
                        off = n.targetOff;
                        break;
                    case CALL_RM:
                        work.addFirst(n.nextOff);
                        off = -1;
                        break;
                    case JUMP_RM:
                        for (int t : jumpTargets(off)) {
                            work.addLast(t);
                        }
                        off = -1;
                        break;
                    case RET:
                        off = -1;
                        break;
                    default:
                        off = n.nextOff;
                }
            }
        }
        found.sort((a, b) -> a.off == start ? -1 : b.off == start ? 1 : Integer.compare(a.off, b.off));
        nodes.addAll(found);
        for (int k = 0; k < nodes.size(); k++) {
            nodes.get(k).order = k;
        }
    }

    /**
     * Where an indirect jump at {@code off} may go, as far as the interpreter has seen:
     * decoded entries near it that have been reached by a control transfer (a switch's
     * cases lie close to its jump), and the seeds. An indirect call's targets are the seeds
     * only: functions lie anywhere.
     */
    private int[] jumpTargets(int off) {
        int lo = Math.max(0, off - TARGET_REACH);
        int hi = Math.min(PhysicalMemory.PAGE_SIZE, off + TARGET_REACH);
        int[] found = java.util.Arrays.copyOf(seeds, seeds.length + 64);
        int count = seeds.length;
        for (int t = lo; t < hi && count < found.length; t++) {
            Insn i = page.insns[t];
            if (i != null && i.heat > 0) {
                found[count++] = t;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    /** How far from an indirect jump its possible targets are looked for. */
    private static final int TARGET_REACH = 512;

    private void link() {
        List<Node> returnPoints = new ArrayList<>();
        for (Node n : nodes) {
            if (n.kind != JMP && n.kind != RET && n.kind != JUMP_RM) {
                n.next = at(n.nextOff);
                if (n.next != null) {
                    n.next.predecessors++;
                    if (n.kind == CALL || n.kind == CALL_RM) {
                        n.next.leader = true;
                        returnPoints.add(n.next);
                    }
                }
            }
            if (n.kind == JCC || n.kind == FUSED || n.kind == JMP || n.kind == CALL) {
                n.target = at(n.targetOff);
                if (n.target != null) {
                    n.target.predecessors++;
                    n.target.leader = true;
                }
            }
        }
        for (Node n : nodes) {
            if (n.kind == RET) {
                List<Node> targets = new ArrayList<>(returnPoints);
                for (int t : seeds) {
                    Node m = at(t);
                    if (m != null && !targets.contains(m)) {
                        m.leader = true;
                        targets.add(m);
                    }
                }
                n.dynamicTargets = targets;
            } else if (n.kind == JUMP_RM || n.kind == CALL_RM) {
                List<Node> targets = new ArrayList<>();
                // The region's own start is where such a call most likely comes back to.
                targets.add(first());
                for (int t : n.kind == JUMP_RM ? jumpTargets(n.off) : seeds) {
                    Node m = at(t);
                    if (m != null) {
                        m.leader = true;
                        targets.add(m);
                    }
                }
                n.dynamicTargets = targets;
            }
        }
    }

    /** Leaders: the start, branch targets, and entries with several ways in. */
    private void blocks() {
        first().leader = true;
        for (Node n : nodes) {
            if (n.predecessors > 1) {
                n.leader = true;
            }
            if (n.terminal() && n.next != null) {
                n.next.leader = true;
            }
        }
        for (Node n : nodes) {
            if (!n.leader) {
                continue;
            }
            int count = 0;
            for (Node m = n;; m = m.next) {
                m.bbIndex = count;
                count += m.weight();
                if (m.terminal() || m.next == null || m.next.leader) {
                    break;
                }
            }
            n.bbLength = count;
        }
    }

    /**
     * Checkpoints: every cycle of the region passes one (a cycle has an edge that does not
     * go forward in the page, or goes through a return or indirect jump), so the code
     * between two checkpoints runs at most {@code reach} instructions, and one test at the
     * checkpoint keeps the whole stretch inside the slice.
     */
    private void checkpoints() {
        first().checkpoint = true;
        for (Node n : nodes) {
            if (n.target != null && n.target.off <= n.off) {
                n.target.checkpoint = true;
            }
            if (n.kind == CALL && n.next != null || n.kind == CALL_RM && n.next != null) {
                n.next.checkpoint = true;
            }
            for (Node t : n.dynamicTargets) {
                t.checkpoint = true;
            }
        }
        for (Node n : nodes) {
            if (n.checkpoint) {
                reach(n);
            }
        }
    }

    /** Instructions along the longest path from leader l to a checkpoint or exit. */
    private int reach(Node l) {
        if (l.reach >= 0) {
            return l.reach;
        }
        Node last = l;
        while (!last.terminal() && last.next != null && !last.next.leader) {
            last = last.next;
        }
        int most = 0;
        for (Node s : new Node[] {last.kind == CALL || last.kind == CALL_RM ? null : last.next, last.target}) {
            if (s != null && !s.checkpoint) {
                most = Math.max(most, reach(s));
            }
        }
        l.reach = l.bbLength + most;
        return l.reach;
    }

    /** Backward data flow of "the flags may still be read", to a fixed point. */
    private void liveness() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int k = nodes.size() - 1; k >= 0; k--) {
                Node n = nodes.get(k);
                boolean out = liveOut(n);
                // A checkpoint may be left before it runs (the slice ends there): all is live.
                boolean in = n.checkpoint || FlagUse.reads(n.insn, n.kind) || out && !FlagUse.writesAll(n.insn, n.kind);
                if (out != n.flagsLiveOut || in != n.flagsLiveIn) {
                    n.flagsLiveOut = out;
                    n.flagsLiveIn = in;
                    changed = true;
                }
            }
        }
    }

    /**
     * Live after n: an exit (any successor outside the region) reads everything, and so
     * does the exit after a store that dropped the code page.
     */
    private boolean liveOut(Node n) {
        switch (n.kind) {
            case INLINE:
                return n.next == null || n.next.flagsLiveIn || InstructionCode.mayFault(n.insn, n.insn.op);
            case GENERIC:
                return n.next == null || n.next.flagsLiveIn;
            case JCC: case FUSED:
                return n.next == null || n.next.flagsLiveIn || n.target == null || n.target.flagsLiveIn;
            case JMP:
                return n.target == null || n.target.flagsLiveIn;
            case CALL:
                return n.target == null || n.target.flagsLiveIn;
            default:
                return true;
        }
    }

    /** How the translator handles an entry, or -1 if a region must stop before it. */
    static int kindOf(Insn i) {
        switch (i.op) {
            case Op.JCC: return JCC;
            case Op.JMP: return JMP;
            case Op.CALL: return CALL;
            case Op.RET: case Op.RET_I: return RET;
            case Op.JMP_RM: return JUMP_RM;
            case Op.CALL_RM: return CALL_RM;
            default:
                break;
        }
        if (Fuse.firstHalf(i.op) != i.op) {
            return InstructionCode.handles(i, Fuse.firstHalf(i.op)) ? FUSED : -1;
        }
        if (InstructionCode.handles(i, i.op)) {
            return INLINE;
        }
        return generic(i.op) ? GENERIC : -1;
    }

    /**
     * Handlers that only compute on registers, flags and memory: they leave CPL, CR3, the
     * interrupt flag, the instruction count and control flow alone (so not POPF, which may
     * set IF, nor RDTSC, which reads the count), and so may run inside a block.
     */
    private static boolean generic(int op) {
        switch (op) {
            case Op.ALU_RR_ANY: case Op.ALU_RI_ANY:
            case Op.ALU_RM_R: case Op.ALU_R_RM: case Op.ALU_RM_I: case Op.TEST_RM_R: case Op.TEST_RM_I:
            case Op.MOV_RM_R: case Op.MOV_R_RM: case Op.MOV_RM_I: case Op.MOV_R_I: case Op.LEA:
            case Op.MOVZX: case Op.MOVSX: case Op.MOVSXD: case Op.XCHG: case Op.XCHG_AX:
            case Op.PUSH_R: case Op.POP_R: case Op.PUSH_I: case Op.PUSH_RM: case Op.POP_RM:
            case Op.INC: case Op.DEC: case Op.NOT: case Op.NEG:
            case Op.MUL: case Op.IMUL1: case Op.DIV: case Op.IDIV: case Op.IMUL_R_RM: case Op.IMUL_R_RM_I:
            case Op.SHIFT_1: case Op.SHIFT_CL: case Op.SHIFT_I:
            case Op.SHLD_I: case Op.SHLD_CL: case Op.SHRD_I: case Op.SHRD_CL:
            case Op.SETCC: case Op.CMOVCC: case Op.CBW: case Op.CWD:
            case Op.SAHF: case Op.LAHF: case Op.CLC: case Op.STC: case Op.CMC: case Op.CLD: case Op.STD:
            case Op.MOVS: case Op.STOS: case Op.LODS: case Op.CMPS: case Op.SCAS:
            case Op.BT_R: case Op.BT_I: case Op.BSF: case Op.BSR: case Op.TZCNT: case Op.LZCNT:
            case Op.POPCNT: case Op.BSWAP: case Op.CMPXCHG: case Op.XADD: case Op.CMPXCHG16B:
            case Op.MOV_MOFFS_LOAD: case Op.MOV_MOFFS_STORE: case Op.LEAVE: case Op.ENTER: case Op.PUSHF:
            case Op.X87: case Op.SSE:
                return true;
            default:
                return false;
        }
    }
}
