package microlith.kernel.ipc;

import microlith.hw.PhysicalMemory;
import microlith.server.abi.Ipc;

/**
 * A server's IPC buffer as the core reaches it: through its physical page (the direct
 * map), whatever address space is loaded. See {@link Ipc} for the layout.
 */
final class IpcBuffer {
    private IpcBuffer() {
    }

    static void write(PhysicalMemory mem, long page, long label, long badge, long deadline, long[] mrs, byte[] bytes) {
        mem.write64(page + Ipc.LABEL, label);
        mem.write64(page + Ipc.BADGE, badge);
        mem.write64(page + Ipc.DEADLINE, deadline);
        for (int i = 0; i < mrs.length; i++) {
            mem.write64(page + Ipc.MR + 8L * i, mrs[i]);
        }
        writeBytes(mem, page, bytes);
    }

    static void writeBytes(PhysicalMemory mem, long page, byte[] bytes) {
        int n = bytes == null ? 0 : Math.min(bytes.length, Ipc.BYTES_MAX);
        if (n > 0) {
            mem.writeBytes(page + Ipc.BYTES, bytes, 0, n);
        }
        mem.write64(page + Ipc.LENGTH, n);
    }

    static long label(PhysicalMemory mem, long page) {
        return mem.read64(page + Ipc.LABEL);
    }

    static long[] mrs(PhysicalMemory mem, long page, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = mem.read64(page + Ipc.MR + 8L * i);
        }
        return out;
    }

    static void setMrs(PhysicalMemory mem, long page, long[] mrs) {
        for (int i = 0; i < mrs.length; i++) {
            mem.write64(page + Ipc.MR + 8L * i, mrs[i]);
        }
    }

    static byte[] bytes(PhysicalMemory mem, long page) {
        int n = (int) Math.min(Ipc.BYTES_MAX, Math.max(0, mem.read64(page + Ipc.LENGTH)));
        byte[] b = new byte[n];
        if (n > 0) {
            mem.readBytes(page + Ipc.BYTES, b, 0, n);
        }
        return b;
    }
}
