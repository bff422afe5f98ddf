package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import microlith.kernel.fs.Inode;
import microlith.kernel.fs.ScmRights;
import microlith.kernel.fs.UnixSocket;
import microlith.kernel.mm.IoVec;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * The socket calls for AF_UNIX (stream and datagram): socket, socketpair, bind, listen,
 * accept(4), connect, getsockname, getpeername, shutdown, send/recv in all their forms,
 * and the SOL_SOCKET options programs ask for. Other families get EAFNOSUPPORT.
 *
 * <pre>
 * struct sockaddr_un { sa_family_t sun_family (AF_UNIX = 1); char sun_path[108]; }
 * struct msghdr { void *name; socklen_t namelen; (pad) struct iovec *iov; size_t iovlen;
 *                 void *control; size_t controllen; int flags; }                   56 bytes
 * </pre>
 */
final class SysSocket {
    private static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    private static final int MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100;
    private static final int MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SOL_SOCKET = 1, SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8;
    private static final int SO_PEERCRED = 17, SO_ACCEPTCONN = 30, SO_DOMAIN = 39, SO_PROTOCOL = 38;
    private static final int SUN_PATH = 108, CHUNK = 1 << 16;

    private final Services k;
    private UnixSocket.Family family;

    SysSocket(Services k) {
        this.k = k;
    }

    private UnixSocket.Family family() {
        if (family == null) {
            family = new UnixSocket.Family(k.mem, k.pages, k.sched);
        }
        return family;
    }

    void register(SyscallTable t) {
        t.register("socket", (task, dom, type, proto, d, e, f) -> socket(task, dom, type, proto));
        t.register("socketpair", (task, dom, type, proto, sv, e, f) -> socketpair(task, dom, type, proto, sv));
        t.register("bind", (task, fd, addr, len, d, e, f) -> bind(task, fd, addr, len));
        t.register("listen", (task, fd, backlog, c, d, e, f) -> {
            UnixSocket s = sock(task, fd);
            return s == null ? notSock(task, fd) : s.listen((int) backlog);
        });
        t.register("accept", (task, fd, addr, len, d, e, f) -> accept(task, fd, addr, len, 0));
        t.register("accept4", (task, fd, addr, len, flags, e, f) -> accept(task, fd, addr, len, flags));
        t.register("connect", (task, fd, addr, len, d, e, f) -> connect(task, fd, addr, len));
        t.register("getsockname", (task, fd, addr, len, d, e, f) -> name(task, fd, addr, len, false));
        t.register("getpeername", (task, fd, addr, len, d, e, f) -> name(task, fd, addr, len, true));
        t.register("shutdown", (task, fd, how, c, d, e, f) -> {
            UnixSocket s = sock(task, fd);
            if (s == null) {
                return notSock(task, fd);
            }
            return how < 0 || how > 2 ? -Errno.EINVAL : s.shutdown((int) how);
        });
        t.register("sendto", (task, fd, buf, len, flags, addr, alen) -> sendto(task, fd, buf, len, flags, addr, alen));
        t.register("recvfrom", (task, fd, buf, len, flags, addr, alen) -> recvfrom(task, fd, buf, len, flags, addr, alen));
        t.register("sendmsg", (task, fd, msg, flags, d, e, f) -> sendmsg(task, fd, msg, flags));
        t.register("recvmsg", (task, fd, msg, flags, d, e, f) -> recvmsg(task, fd, msg, flags));
        t.register("setsockopt", (task, fd, level, opt, val, len, f) -> {
            UnixSocket s = sock(task, fd);
            if (s == null) {
                return notSock(task, fd);
            }
            return level == SOL_SOCKET ? 0 : -Errno.ENOPROTOOPT;
        });
        t.register("getsockopt", (task, fd, level, opt, val, len, f) -> getsockopt(task, fd, level, opt, val, len));
    }

    private UnixSocket sock(Task t, long fd) {
        File f = fd < 0 || fd > Integer.MAX_VALUE ? null : t.files.get((int) fd);
        return f instanceof UnixSocket ? (UnixSocket) f : null;
    }

    /** EBADF for a closed descriptor, ENOTSOCK for one that is not a socket. */
    private long notSock(Task t, long fd) {
        return fd < 0 || fd > Integer.MAX_VALUE || t.files.get((int) fd) == null ? -Errno.EBADF : -Errno.ENOTSOCK;
    }

    private int[] cred(Task t) {
        return new int[] {t.tgid(), t.uid(), t.gid()};
    }

    /** The type's base and a refusal for what is not built: 0 when fine, else a negative errno. */
    private long checkType(Task t, long domain, long type, long proto) {
        if (domain != AF_UNIX) {
            k.log.info("%s[%d]: socket: address family %d is not supported (only AF_UNIX), returning -EAFNOSUPPORT",
                t.comm, t.pid, domain);
            return -Errno.EAFNOSUPPORT;
        }
        if ((type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return -Errno.EINVAL;
        }
        int base = (int) type & 0xf;
        if (base == SOCK_SEQPACKET) {
            k.log.info("%s[%d]: socket: SOCK_SEQPACKET is not supported, returning -ESOCKTNOSUPPORT", t.comm, t.pid);
            return -Errno.ESOCKTNOSUPPORT;
        }
        if (base != UnixSocket.SOCK_STREAM && base != UnixSocket.SOCK_DGRAM) {
            return -Errno.ESOCKTNOSUPPORT;
        }
        if (proto != 0 && proto != AF_UNIX) {
            return -Errno.EPROTONOSUPPORT;
        }
        return 0;
    }

    private long install(Task t, File f, long flags) {
        int fd = t.files.install(f);
        if (fd < 0) {
            f.close();
            return fd;
        }
        t.files.setCloexec(fd, (flags & SOCK_CLOEXEC) != 0);
        return fd;
    }

    private long socket(Task t, long domain, long type, long proto) {
        long err = checkType(t, domain, type, proto);
        if (err != 0) {
            return err;
        }
        UnixSocket s = family().create((int) type & 0xf, (type & SOCK_NONBLOCK) != 0);
        s.ownCred = cred(t);
        return install(t, s, type);
    }

    private long socketpair(Task t, long domain, long type, long proto, long sv) {
        long err = checkType(t, domain, type, proto);
        if (err != 0) {
            return err;
        }
        UnixSocket[] p = family().pair((int) type & 0xf, (type & SOCK_NONBLOCK) != 0);
        if (p == null) {
            return -Errno.ENOMEM;
        }
        p[0].ownCred = p[1].ownCred = p[0].peerCred = p[1].peerCred = cred(t);
        long a = install(t, p[0], type);
        if (a < 0) {
            p[1].close();
            return a;
        }
        long b = install(t, p[1], type);
        if (b < 0) {
            t.files.close((int) a);
            return b;
        }
        if (!k.uaccess.putUser32(t.mm, sv, (int) a) || !k.uaccess.putUser32(t.mm, sv + 4, (int) b)) {
            t.files.close((int) a);
            t.files.close((int) b);
            return -Errno.EFAULT;
        }
        return 0;
    }

    /** A sockaddr_un's name: a path, or "\0name" for the abstract namespace; null with errno. */
    private String readName(Task t, long addr, long len, long[] err) {
        if (len < 2 || len > 2 + SUN_PATH) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        byte[] b = new byte[(int) len];
        if (!k.uaccess.copyFromUser(t.mm, addr, b, 0, b.length)) {
            err[0] = -Errno.EFAULT;
            return null;
        }
        if ((b[0] & 0xff | (b[1] & 0xff) << 8) != AF_UNIX) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        if (len == 2) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        if (b[2] == 0) {
            return new String(b, 2, b.length - 2, StandardCharsets.ISO_8859_1);
        }
        int n = 2;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 2, n - 2, StandardCharsets.UTF_8);
    }

    /** The socket bound to name, or null with ENOENT / ECONNREFUSED in err. */
    private UnixSocket lookup(Task t, String name, long[] err) {
        if (name.charAt(0) == 0) {
            UnixSocket s = family().boundTo("@" + name);
            if (s == null) {
                err[0] = -Errno.ECONNREFUSED;
            }
            return s;
        }
        int[] e = new int[1];
        Inode n = k.vfs.lookup(t, null, name, true, e);
        if (n == null) {
            err[0] = e[0];
            return null;
        }
        UnixSocket s = family().boundTo(UnixSocket.key(n));
        if (s == null) {
            err[0] = -Errno.ECONNREFUSED;
        }
        return s;
    }

    private long bind(Task t, long fd, long addr, long len) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        long[] err = new long[1];
        String name = readName(t, addr, len, err);
        if (name == null) {
            return err[0];
        }
        if (s.name != null) {
            return -Errno.EINVAL;
        }
        if (name.charAt(0) == 0) {
            return s.bind(name, "@" + name);
        }
        int r = k.vfs.mknod(t, null, name, Inode.S_IFSOCK | 0777, 0);
        if (r < 0) {
            return r == -Errno.EEXIST ? -Errno.EADDRINUSE : r;
        }
        int[] e = new int[1];
        Inode n = k.vfs.lookup(t, null, name, false, e);
        return n == null ? e[0] : s.bind(name, UnixSocket.key(n));
    }

    private long connect(Task t, long fd, long addr, long len) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        long[] err = new long[1];
        String name = readName(t, addr, len, err);
        if (name == null) {
            return err[0];
        }
        UnixSocket target = lookup(t, name, err);
        if (target == null) {
            return err[0];
        }
        return s.connect(target, cred(t));
    }

    private long accept(Task t, long fd, long addr, long len, long flags) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        UnixSocket c = s.accept(t, err);
        if (c == null) {
            return err[0];
        }
        c.nonblock = (flags & SOCK_NONBLOCK) != 0;
        long nfd = install(t, c, flags);
        if (nfd >= 0 && addr != 0 && putName(t, addr, len, c.peer == null ? null : c.peer.name) < 0) {
            t.files.close((int) nfd);
            return -Errno.EFAULT;
        }
        return nfd;
    }

    /** Stores a sockaddr_un for name (null: unnamed, the family alone) and its length. */
    private long putName(Task t, long addr, long ulen, String name) {
        Integer cap = k.uaccess.getUser32(t.mm, ulen);
        if (cap == null) {
            return -Errno.EFAULT;
        }
        if (cap < 0) {
            return -Errno.EINVAL;
        }
        byte[] path = name == null ? new byte[0] : name.charAt(0) == 0 ? name.getBytes(StandardCharsets.ISO_8859_1)
            : (name + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[2 + path.length];
        b[0] = AF_UNIX;
        System.arraycopy(path, 0, b, 2, path.length);
        int n = Math.min(cap, b.length);
        if (n > 0 && !k.uaccess.copyToUser(t.mm, addr, b, 0, n)) {
            return -Errno.EFAULT;
        }
        return k.uaccess.putUser32(t.mm, ulen, b.length) ? 0 : -Errno.EFAULT;
    }

    private long name(Task t, long fd, long addr, long len, boolean peer) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        if (peer && s.peer == null) {
            return -Errno.ENOTCONN;
        }
        return putName(t, addr, len, peer ? s.peer.name : s.name);
    }

    private long getsockopt(Task t, long fd, long level, long opt, long val, long ulen) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        if (level != SOL_SOCKET) {
            return -Errno.ENOPROTOOPT;
        }
        Integer cap = k.uaccess.getUser32(t.mm, ulen);
        if (cap == null) {
            return -Errno.EFAULT;
        }
        if (cap < 0) {
            return -Errno.EINVAL;
        }
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        int size = 4;
        switch ((int) opt) {
            case SO_TYPE: b.putInt(0, s.type); break;
            case SO_ERROR: b.putInt(0, 0); break;
            case SO_SNDBUF: case SO_RCVBUF: b.putInt(0, 212992); break;
            case SO_ACCEPTCONN: b.putInt(0, s.isListening() ? 1 : 0); break;
            case SO_DOMAIN: b.putInt(0, AF_UNIX); break;
            case SO_PROTOCOL: b.putInt(0, 0); break;
            case SO_PEERCRED:
                b.putInt(0, s.peerCred[0]).putInt(4, s.peerCred[1]).putInt(8, s.peerCred[2]);
                size = 12;
                break;
            default:
                return -Errno.ENOPROTOOPT;
        }
        int n = Math.min(cap, size);
        if (!k.uaccess.copyToUser(t.mm, val, b.array(), 0, n) || !k.uaccess.putUser32(t.mm, ulen, n)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    /**
     * Sends count bytes gathered by src; a datagram goes whole to target (or the peer).
     * Files in flight (rights, or null) go with the datagram or the first bytes taken;
     * when nothing is sent, their references are let go here.
     */
    private long send(Task t, UnixSocket s, UnixSocket target, long count, long flags, Gather src, ScmRights rights) {
        boolean dontWait = (flags & MSG_DONTWAIT) != 0;
        if (s.type == UnixSocket.SOCK_DGRAM) {
            byte[] b = count > CHUNK * 4L ? null : new byte[(int) count];
            int r = b == null ? -Errno.EMSGSIZE : !src.copy(0, b, b.length) ? -Errno.EFAULT
                : target != null ? target.deliver(t, s, b, b.length, dontWait, rights)
                : s.send(t, b, b.length, dontWait, rights);
            if (r < 0 && rights != null) {
                rights.release();
            }
            return r == File.WOULD_BLOCK ? -Errno.EINTR : r;
        }
        long done = 0;
        while (done < count) {
            int len = (int) Math.min(count - done, CHUNK);
            byte[] b = new byte[len];
            if (!src.copy(done, b, len)) {
                releaseUnsent(done, rights);
                return done > 0 ? done : -Errno.EFAULT;
            }
            int n = s.send(t, b, len, dontWait, done == 0 ? rights : null);
            if (n <= 0) {
                releaseUnsent(done, rights);
            }
            if (n == File.WOULD_BLOCK) {
                if (done > 0) {
                    k.sched.wake(t);
                    return done;
                }
                return -Errno.EINTR;
            }
            if (n == -Errno.EPIPE && (flags & MSG_NOSIGNAL) == 0) {
                k.process.sendSignal(t, microlith.kernel.task.Signals.SIGPIPE);
            }
            if (n < 0) {
                return done > 0 ? done : n;
            }
            done += n;
            if (n < len) {
                break;
            }
        }
        if (count == 0) {
            releaseUnsent(0, rights); // no bytes, nothing to carry them (unix_stream_sendmsg)
        }
        return done;
    }

    private static void releaseUnsent(long done, ScmRights rights) {
        if (done == 0 && rights != null) {
            rights.release();
        }
    }

    private interface Gather {
        boolean copy(long off, byte[] b, int len);
    }

    private long sendto(Task t, long fd, long buf, long len, long flags, long addr, long alen) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        if (len < 0) {
            return -Errno.EINVAL;
        }
        UnixSocket target = null;
        if (addr != 0 && s.type == UnixSocket.SOCK_DGRAM) {
            long[] err = new long[1];
            String name = readName(t, addr, alen, err);
            if (name == null) {
                return err[0];
            }
            target = lookup(t, name, err);
            if (target == null) {
                return err[0];
            }
        } else if (addr != 0 && s.connected()) {
            return -Errno.EISCONN;
        }
        return send(t, s, target, len, flags, (off, b, n) -> k.uaccess.copyFromUser(t.mm, buf + off, b, 0, n), null);
    }

    /** Receives into at most len bytes; the data comes back in out[0]. */
    private long receive(Task t, UnixSocket s, long len, long flags, byte[][] out) {
        int n = (int) Math.min(len, CHUNK * 4L);
        byte[] b = new byte[n];
        int r = s.receive(t, b, n, (flags & MSG_DONTWAIT) != 0, (flags & MSG_PEEK) != 0);
        if (r == File.WOULD_BLOCK) {
            return -Errno.EINTR;
        }
        out[0] = b;
        return r;
    }

    private long recvfrom(Task t, long fd, long buf, long len, long flags, long addr, long alen) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        if (len < 0) {
            return -Errno.EINVAL;
        }
        int full = s.type == UnixSocket.SOCK_DGRAM ? s.nextDgramLength() : 0;
        byte[][] data = new byte[1][];
        long r = receive(t, s, len, flags, data);
        s.dropReceived(); // recv and recvfrom have no room for files: they are closed
        if (r < 0) {
            return r;
        }
        if (r > 0 && !k.uaccess.copyToUser(t.mm, buf, data[0], 0, (int) r)) {
            return -Errno.EFAULT;
        }
        if (addr != 0) {
            String from = s.type == UnixSocket.SOCK_DGRAM ? (s.lastSender == null ? null : s.lastSender.name)
                : s.peer == null ? null : s.peer.name;
            long e = putName(t, addr, alen, from);
            if (e < 0) {
                return e;
            }
        }
        return (flags & MSG_TRUNC) != 0 && s.type == UnixSocket.SOCK_DGRAM ? full : r;
    }

    /** A struct msghdr (56 bytes) from user memory, or null on EFAULT. */
    private ByteBuffer msghdr(Task t, long msg) {
        byte[] h = new byte[56];
        if (!k.uaccess.copyFromUser(t.mm, msg, h, 0, 56)) {
            return null;
        }
        return ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The msghdr's iovecs (msg_iov, msg_iovlen), imported as readv's are; null with the errno in err[0]. */
    private IoVec msgIovec(Task t, ByteBuffer m, long[] err) {
        int[] e = new int[1];
        IoVec v = IoVec.fromUser(k.uaccess, t.mm, m.getLong(16), m.getLong(24), e);
        err[0] = e[0];
        return v;
    }

    private long sendmsg(Task t, long fd, long msg, long flags) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        ByteBuffer m = msghdr(t, msg);
        if (m == null) {
            return -Errno.EFAULT;
        }
        long[] err = new long[1];
        IoVec v = msgIovec(t, m, err);
        if (v == null) {
            return err[0];
        }
        ScmRights rights = null;
        if (m.getLong(40) != 0) {
            rights = ScmMessages.parse(k, t, m.getLong(32), m.getLong(40), err);
            if (err[0] != 0) {
                return err[0];
            }
        }
        long total = v.total;
        UnixSocket target = null;
        if (m.getLong(0) != 0 && s.type == UnixSocket.SOCK_DGRAM) {
            String name = readName(t, m.getLong(0), m.getInt(8), err);
            if (name == null) {
                return err[0];
            }
            target = lookup(t, name, err);
            if (target == null) {
                if (rights != null) {
                    rights.release();
                }
                return err[0];
            }
        }
        return send(t, s, target, total, flags, (off, b, n) -> v.gather(k.uaccess, t.mm, off, b, n), rights);
    }

    private long recvmsg(Task t, long fd, long msg, long flags) {
        UnixSocket s = sock(t, fd);
        if (s == null) {
            return notSock(t, fd);
        }
        ByteBuffer m = msghdr(t, msg);
        if (m == null) {
            return -Errno.EFAULT;
        }
        long[] err = new long[1];
        IoVec v = msgIovec(t, m, err);
        if (v == null) {
            return err[0];
        }
        long total = v.total;
        int full = s.type == UnixSocket.SOCK_DGRAM ? s.nextDgramLength() : 0;
        byte[][] data = new byte[1][];
        long r = receive(t, s, total, flags & ~MSG_CMSG_CLOEXEC, data);
        if (r < 0) {
            return r;
        }
        if (!v.scatter(k.uaccess, t.mm, data[0], (int) r)) {
            s.dropReceived();
            return -Errno.EFAULT;
        }
        int outFlags = s.type == UnixSocket.SOCK_DGRAM && full > r ? MSG_TRUNC : 0;
        long controlUsed = 0;
        if (s.received != null) {
            long[] used = {0};
            outFlags |= ScmMessages.deliver(k, t, s.received, m.getLong(32), m.getLong(40),
                (flags & MSG_CMSG_CLOEXEC) != 0, used);
            s.received = null;
            controlUsed = used[0];
        }
        if (m.getLong(0) != 0) {
            long e = putNameMsg(t, msg, m, s);
            if (e < 0) {
                return e;
            }
        }
        if (!k.uaccess.putUser64(t.mm, msg + 40, controlUsed) || !k.uaccess.putUser32(t.mm, msg + 48, outFlags)) {
            return -Errno.EFAULT;
        }
        return (flags & MSG_TRUNC) != 0 && s.type == UnixSocket.SOCK_DGRAM ? full : r;
    }

    /** recvmsg's msg_name and msg_namelen (a socklen_t inside the msghdr at +8). */
    private long putNameMsg(Task t, long msg, ByteBuffer m, UnixSocket s) {
        String from = s.type == UnixSocket.SOCK_DGRAM ? (s.lastSender == null ? null : s.lastSender.name)
            : s.peer == null ? null : s.peer.name;
        return putName(t, m.getLong(0), msg + 8, from);
    }
}
