package microlith.server;

import java.nio.charset.StandardCharsets;
import microlith.server.abi.Ipc;

/**
 * The request being served, copied out of the IPC buffer when the server starts on it
 * (kernel calls made while serving it reuse the buffer). The grant a request carries,
 * if any, is the only client memory the server may touch while serving it.
 */
final class Request {
    final int label;
    /** The client's pid. */
    final long badge;
    final long deadline;
    final long[] mr = new long[Ipc.MR_COUNT];
    final byte[] bytes;
    /** The request's grant: id, the address it starts at in the client's view, its length (id 0: none). */
    long grant;
    long grantBase;
    long grantLength;

    Request(Message m) {
        label = m.label();
        badge = m.badge();
        deadline = m.deadline();
        for (int i = 0; i < 16; i++) {
            mr[i] = m.mr(i);
        }
        bytes = m.bytes();
    }

    String[] strings() {
        return new String(bytes, StandardCharsets.UTF_8).split("\0", -1);
    }

    String string(int i) {
        String[] s = strings();
        return i < s.length ? s[i] : "";
    }

    /** Takes the grant descriptor from registers i, i+1, i+2. */
    Request withGrant(int i) {
        grant = mr[i];
        grantBase = mr[i + 1];
        grantLength = mr[i + 2];
        return this;
    }

    /** Whether [addr, addr+len) lies inside the request's grant. */
    boolean granted(long addr, long len) {
        return grant != 0 && len >= 0 && Long.compareUnsigned(addr, grantBase) >= 0
            && Long.compareUnsigned(addr - grantBase + len, grantLength) <= 0
            && Long.compareUnsigned(addr - grantBase, grantLength) <= 0;
    }
}
