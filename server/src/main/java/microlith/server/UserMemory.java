package microlith.server;

import microlith.hw.cpu.Cpu;
import microlith.hw.mmu.Mmu;

/**
 * Byte ranges of the server's own memory, moved a page at a time with each page
 * translated by the MMU as a user access under the current CR3: what a memcpy in a
 * ring-3 process does. A bad address faults in ring 3, as it would there.
 */
final class UserMemory {
    private final Cpu cpu;

    UserMemory(Cpu cpu) {
        this.cpu = cpu;
    }

    void read(long va, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        int done = 0;
        while (done < len) {
            long a = va + done;
            int chunk = (int) Math.min(len - done, 4096 - (a & 0xfff));
            cpu.memory().readBytes(cpu.mmu().translate(a, Mmu.READ, true), dst, off + done, chunk);
            done += chunk;
        }
    }

    void write(long va, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        int done = 0;
        while (done < len) {
            long a = va + done;
            int chunk = (int) Math.min(len - done, 4096 - (a & 0xfff));
            cpu.memory().writeBytes(cpu.mmu().translate(a, Mmu.WRITE, true), src, off + done, chunk);
            done += chunk;
        }
    }
}
