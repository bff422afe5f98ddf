package microlith.server;

import java.nio.charset.StandardCharsets;
import microlith.hw.cpu.Cpu;
import microlith.module.api.Errno;
import microlith.server.abi.Ipc;

/**
 * Requests from the server to the core (MINIX 3's kernel calls): the operation and its
 * registers go in the IPC buffer, then SYS_IPC_CALL to the CORE endpoint; the answer
 * comes back in the same buffer. The request being served is read out of the buffer
 * before any kernel call is made, since a call overwrites it.
 */
final class KernelCalls {
    private final Cpu cpu;
    private final Syscalls sys;
    private final Message msg;
    private final UserMemory mem;

    KernelCalls(Cpu cpu, Syscalls sys, Message msg, UserMemory mem) {
        this.cpu = cpu;
        this.sys = sys;
        this.msg = msg;
        this.mem = mem;
    }

    Message message() {
        return msg;
    }

    /** Calls the core with op and registers; returns MR0 of the answer. */
    long call(int op, long... mrs) {
        msg.setLabel(op);
        for (int i = 0; i < mrs.length; i++) {
            msg.setMr(i, mrs[i]);
        }
        return sys.call(Ipc.SYS_IPC_CALL, Ipc.CORE);
    }

    /** The same, with strings (NUL-separated) in the byte area. */
    long callWith(int op, String[] strings, long... mrs) {
        msg.setStrings(strings);
        return call(op, mrs);
    }

    /** The byte area of the last answer, as a string. */
    String answerString() {
        return new String(msg.bytes(), StandardCharsets.UTF_8);
    }

    long syscall(long nr, long... args) {
        return sys.call(nr, args);
    }

    /**
     * Copies len bytes between a grant and Java memory through the copy window: the core
     * copies between the grantor's memory and the window, the server between the window
     * and the module's arrays. Returns the bytes moved before the first failure.
     */
    long copy(boolean toGrant, long grant, long offset, byte[] buf, int off, int len) {
        int done = 0;
        while (done < len) {
            int chunk = Math.min(len - done, Ipc.WINDOW_SIZE);
            if (toGrant) {
                mem.write(Ipc.WINDOW, buf, off + done, chunk);
            }
            long r = call(toGrant ? Ipc.K_COPY_TO_GRANT : Ipc.K_COPY_FROM_GRANT, grant, offset + done, Ipc.WINDOW, chunk);
            if (r != chunk) {
                return done;
            }
            if (!toGrant) {
                mem.read(Ipc.WINDOW, buf, off + done, chunk);
            }
            done += chunk;
        }
        return done;
    }

    /** An errno result as a failed module operation would see it. */
    static int errno(long r) {
        return r < 0 ? (int) r : -Errno.EIO;
    }

    Cpu cpu() {
        return cpu;
    }
}
