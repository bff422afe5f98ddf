package microlith.server;

import java.nio.charset.StandardCharsets;
import microlith.hw.cpu.Cpu;
import microlith.server.abi.Ipc;

/**
 * The server's IPC buffer as its code sees it: user memory at {@link Ipc#IPC_BUFFER},
 * read and written through the CPU at CPL 3 like any other access of the server's.
 */
final class Message {
    private final Cpu cpu;
    private final UserMemory mem;

    Message(Cpu cpu, UserMemory mem) {
        this.cpu = cpu;
        this.mem = mem;
    }

    int label() {
        return (int) cpu.read64(Ipc.IPC_BUFFER + Ipc.LABEL);
    }

    void setLabel(long label) {
        cpu.write64(Ipc.IPC_BUFFER + Ipc.LABEL, label);
    }

    long badge() {
        return cpu.read64(Ipc.IPC_BUFFER + Ipc.BADGE);
    }

    long deadline() {
        return cpu.read64(Ipc.IPC_BUFFER + Ipc.DEADLINE);
    }

    long mr(int i) {
        return cpu.read64(Ipc.IPC_BUFFER + Ipc.MR + 8L * i);
    }

    void setMr(int i, long v) {
        cpu.write64(Ipc.IPC_BUFFER + Ipc.MR + 8L * i, v);
    }

    /** The byte area's contents. */
    byte[] bytes() {
        int n = (int) Math.min(Ipc.BYTES_MAX, Math.max(0, cpu.read64(Ipc.IPC_BUFFER + Ipc.LENGTH)));
        byte[] b = new byte[n];
        mem.read(Ipc.IPC_BUFFER + Ipc.BYTES, b, 0, n);
        return b;
    }

    void setBytes(byte[] b) {
        int n = Math.min(b.length, Ipc.BYTES_MAX);
        mem.write(Ipc.IPC_BUFFER + Ipc.BYTES, b, 0, n);
        cpu.write64(Ipc.IPC_BUFFER + Ipc.LENGTH, n);
    }

    /** The byte area as NUL-separated strings. */
    String[] strings() {
        return new String(bytes(), StandardCharsets.UTF_8).split("\0", -1);
    }

    void setStrings(String... parts) {
        setBytes(String.join("\0", parts).getBytes(StandardCharsets.UTF_8));
    }
}
