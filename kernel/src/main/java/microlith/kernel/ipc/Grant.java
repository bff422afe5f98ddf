package microlith.kernel.ipc;

import microlith.kernel.mm.AddressSpace;

/**
 * A grant (MINIX 3's safecopy grant): permission for one server to copy to or from one
 * range of another address space for the duration of one request. The core makes it when
 * it forwards a request (a client's user buffer, a kernel bounce buffer, a server's copy
 * window) and revokes it when the reply comes.
 */
public final class Grant {
    final int id;
    /** The grantor's address space, or null for kernel memory (direct-map addresses). */
    final AddressSpace mm;
    final long base;
    final long length;
    final boolean readable;
    final boolean writable;
    /** The only server that may use it (set when the request is delivered). */
    ServerProcess grantee;
    boolean revoked;

    Grant(int id, AddressSpace mm, long base, long length, boolean readable, boolean writable) {
        this.id = id;
        this.mm = mm;
        this.base = base;
        this.length = length;
        this.readable = readable;
        this.writable = writable;
    }

    public int id() {
        return id;
    }

    public long base() {
        return base;
    }

    public long length() {
        return length;
    }
}
