package microlith.kernel.fs;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import microlith.hw.PhysicalMemory;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.task.File;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.kernel.task.WaitQueue;
import microlith.module.api.Errno;

/**
 * AF_UNIX sockets (Linux's net/unix/af_unix.c), stream and datagram. A connected stream
 * pair is two pipes, one each way, so its bytes live in pipe buffers in simulated memory
 * and a closed peer reads as end of file or EPIPE exactly as a pipe does. Datagrams keep
 * their boundaries in a per-socket queue (kernel bookkeeping). Names are paths in the
 * filesystem (a socket inode made by bind) or, starting with a NUL byte, abstract.
 */
public final class UnixSocket implements File {
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2;
    private static final int MAX_DGRAMS = 64, MAX_DGRAM = 212992 - 64;

    /** What sockets share: the name registry and what pipes need. */
    public static final class Family {
        private final PhysicalMemory mem;
        private final PageAllocator pages;
        private final Scheduler sched;
        private final Map<String, UnixSocket> bound = new HashMap<>();
        /** Inode numbers for fstat and /proc/PID/fd, counted per machine so runs repeat. */
        private long nextIno = 1000;

        public Family(PhysicalMemory mem, PageAllocator pages, Scheduler sched) {
            this.mem = mem;
            this.pages = pages;
            this.sched = sched;
        }

        public UnixSocket create(int type, boolean nonblock) {
            return new UnixSocket(this, type, nonblock);
        }

        /** socketpair: two connected sockets, or null when no memory is left for the pipes. */
        public UnixSocket[] pair(int type, boolean nonblock) {
            UnixSocket a = create(type, nonblock), b = create(type, nonblock);
            if (!a.connectTo(b)) {
                return null;
            }
            return new UnixSocket[] {a, b};
        }

        /** The socket bound to a name key (see {@link #key}), or null. */
        public UnixSocket boundTo(String key) {
            return bound.get(key);
        }
    }

    private final Family fam;
    public final int type;
    public boolean nonblock;
    private final long ino;
    private int refs = 1;
    /** The name this socket is bound to (as getsockname reports it), and its registry key. */
    public String name;
    private String key;
    /** The connected peer's name (getpeername), once connected. */
    public UnixSocket peer;
    private Pipe.End in;
    private Pipe.End out;
    private boolean listening;
    private int backlog;
    private final ArrayDeque<UnixSocket> pending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> dgrams = new ArrayDeque<>();
    private final ArrayDeque<UnixSocket> senders = new ArrayDeque<>();
    /** Each queued datagram's files in flight (null for none). */
    private final ArrayDeque<java.util.Optional<ScmRights>> dgramRights = new ArrayDeque<>();
    /**
     * Stream: files in flight, each with the stretch of the byte stream it came with
     * (bytes at .. at+len, counted from the stream's start): a read that reaches a
     * stretch takes its files and ends with that stretch, so no read takes two sets.
     */
    private record Stretch(long at, int len, ScmRights rights) {
    }

    private final ArrayDeque<Stretch> inflight = new ArrayDeque<>();
    /** Bytes this socket has written into its stream, and read out of the other one. */
    private long written;
    private long read;
    /** The files the last receive took (recvmsg installs them; read(2) lets them go). */
    public ScmRights received;
    private final WaitQueue readWait = new WaitQueue();
    private boolean shutRead;
    private boolean shutWrite;
    /** The pid, uid and gid of whoever connected (SO_PEERCRED). */
    public int[] peerCred = {0, 0, 0};
    public int[] ownCred = {0, 0, 0};

    private UnixSocket(Family fam, int type, boolean nonblock) {
        this.fam = fam;
        this.ino = fam.nextIno++;
        this.type = type;
        this.nonblock = nonblock;
    }

    /** The registry key of a name: the socket inode for a path, "@" + name for an abstract one. */
    public static String key(Inode n) {
        return n.mnt.dev + ":" + n.ino;
    }

    public boolean connected() {
        return peer != null;
    }

    public boolean isListening() {
        return listening;
    }

    /** bind: the name is taken (its key registered); EADDRINUSE if another socket has it. */
    public int bind(String name, String key) {
        if (this.key != null) {
            return -Errno.EINVAL;
        }
        if (fam.bound.containsKey(key)) {
            return -Errno.EADDRINUSE;
        }
        this.name = name;
        this.key = key;
        fam.bound.put(key, this);
        return 0;
    }

    public int listen(int backlog) {
        if (type != SOCK_STREAM) {
            return -Errno.EOPNOTSUPP;
        }
        if (key == null || connected()) {
            return -Errno.EINVAL;
        }
        listening = true;
        this.backlog = Math.max(1, Math.min(backlog, 128));
        return 0;
    }

    /** Joins this socket and other with a pipe each way (stream) or as datagram peers. */
    private boolean connectTo(UnixSocket other) {
        if (type == SOCK_STREAM) {
            Pipe.End[] ab = Pipe.create(fam.mem, fam.pages, fam.sched, false);
            Pipe.End[] ba = ab == null ? null : Pipe.create(fam.mem, fam.pages, fam.sched, false);
            if (ba == null) {
                if (ab != null) {
                    ab[0].close();
                    ab[1].close();
                }
                return false;
            }
            out = ab[1];
            other.in = ab[0];
            other.out = ba[1];
            in = ba[0];
        }
        peer = other;
        other.peer = this;
        return true;
    }

    /**
     * connect to the socket bound at target: a stream socket gets a fresh server-side
     * socket queued on the listener for accept; a datagram socket just remembers its peer.
     */
    public int connect(UnixSocket target, int[] cred) {
        if (type != target.type) {
            return -Errno.EPROTOTYPE;
        }
        if (type == SOCK_DGRAM) {
            peer = target;
            return 0;
        }
        if (connected()) {
            return -Errno.EISCONN;
        }
        if (!target.listening) {
            return -Errno.ECONNREFUSED;
        }
        if (target.pending.size() >= target.backlog) {
            return -Errno.EAGAIN;
        }
        UnixSocket server = fam.create(SOCK_STREAM, false);
        if (!connectTo(server)) {
            return -Errno.ENOMEM;
        }
        server.name = target.name;
        server.peerCred = cred.clone();
        server.ownCred = target.ownCred;
        peerCred = target.ownCred;
        target.pending.add(server);
        target.readWait.wakeAll(fam.sched);
        return 0;
    }

    /** accept: the next connection, or null having queued the caller (or EAGAIN in err). */
    public UnixSocket accept(Task t, int[] err) {
        if (!listening) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        UnixSocket s = pending.poll();
        if (s == null) {
            if (nonblock) {
                err[0] = -Errno.EAGAIN;
            } else {
                readWait.add(t);
                fam.sched.sleep(t);
                err[0] = -Errno.EINTR;
            }
        }
        return s;
    }

    /**
     * A datagram to this socket from sender, with files in flight (rights, or null) that go
     * with it when it is queued; EAGAIN (or parked) when the queue is full.
     */
    public int deliver(Task t, UnixSocket sender, byte[] data, int len, boolean dontWait, ScmRights rights) {
        if (len > MAX_DGRAM) {
            return -Errno.EMSGSIZE;
        }
        if (dgrams.size() >= MAX_DGRAMS) {
            if (dontWait || sender.nonblock) {
                return -Errno.EAGAIN;
            }
            sender.readWait.add(t);
            fam.sched.sleep(t);
            return WOULD_BLOCK;
        }
        dgrams.add(java.util.Arrays.copyOf(data, len));
        senders.add(sender);
        dgramRights.add(java.util.Optional.ofNullable(rights));
        readWait.wakeAll(fam.sched);
        return len;
    }

    /** The sender of the datagram read last (recvfrom's address). */
    public UnixSocket lastSender;

    /** Reads like read(2); dontWait is MSG_DONTWAIT, peek MSG_PEEK. */
    public int receive(Task t, byte[] buf, int len, boolean dontWait, boolean peek) {
        received = null;
        if (type == SOCK_STREAM) {
            if (in == null) {
                return -Errno.EINVAL;
            }
            if (shutRead) {
                return 0;
            }
            in.nonblock = nonblock || dontWait;
            Stretch next = inflight.peek();
            if (next != null) {
                // A read may run into a stretch with files but ends with it (unix_stream_read_generic).
                len = (int) Math.min(len, next.at + next.len - read);
            }
            int n = peek ? in.peek(t, buf, len) : in.read(t, buf, len);
            if (n > 0 && next != null && read + n > next.at) {
                received = peek ? next.rights.copy() : inflight.poll().rights;
            }
            if (n > 0 && !peek) {
                read += n;
            }
            return n;
        }
        byte[] d = peek ? dgrams.peek() : dgrams.poll();
        if (d == null) {
            if (shutRead) {
                return 0;
            }
            if (nonblock || dontWait) {
                return -Errno.EAGAIN;
            }
            readWait.add(t);
            fam.sched.sleep(t);
            return WOULD_BLOCK;
        }
        lastSender = peek ? senders.peek() : senders.poll();
        ScmRights r = (peek ? dgramRights.peek() : dgramRights.poll()).orElse(null);
        received = r == null ? null : peek ? r.copy() : r;
        if (!peek && lastSender != null) {
            lastSender.readWait.wakeAll(fam.sched);
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, 0, n);
        return n;
    }

    /** The length of the next datagram (MSG_TRUNC reports it). */
    public int nextDgramLength() {
        byte[] d = dgrams.peek();
        return d == null ? 0 : d.length;
    }

    public int send(Task t, byte[] buf, int len, boolean dontWait) {
        return send(t, buf, len, dontWait, null);
    }

    /**
     * A write with files in flight (rights, or null): they go with the bytes when any are
     * taken (the caller keeps them, to let them go, when none are).
     */
    public int send(Task t, byte[] buf, int len, boolean dontWait, ScmRights rights) {
        if (shutWrite) {
            return -Errno.EPIPE;
        }
        if (type == SOCK_STREAM) {
            if (out == null) {
                return -Errno.ENOTCONN;
            }
            out.nonblock = nonblock || dontWait;
            int n = out.write(t, buf, len);
            if (n > 0) {
                if (rights != null && peer != null) {
                    peer.inflight.add(new Stretch(written, n, rights));
                }
                written += n;
            }
            return n;
        }
        if (peer == null) {
            return -Errno.ENOTCONN;
        }
        if (peer.refs == 0) {
            return -Errno.ECONNREFUSED;
        }
        return peer.deliver(t, this, buf, len, dontWait, rights);
    }

    /** shutdown(2): SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2. */
    public int shutdown(int how) {
        if (!connected() && type == SOCK_STREAM) {
            return -Errno.ENOTCONN;
        }
        if (how == 0 || how == 2) {
            shutRead = true;
            readWait.wakeAll(fam.sched);
        }
        if ((how == 1 || how == 2) && !shutWrite) {
            shutWrite = true;
            if (out != null) {
                out.close();
                out = null;
            }
        }
        return 0;
    }

    /** read(2) has no room for files: those the bytes came with are closed, as Linux does. */
    @Override
    public int read(Task task, byte[] buf, int len) {
        int n = receive(task, buf, len, false, false);
        dropReceived();
        return n;
    }

    /** Lets go of the files the last receive took and nobody installed. */
    public void dropReceived() {
        if (received != null) {
            received.release();
            received = null;
        }
    }

    @Override
    public int write(Task task, byte[] buf, int len) {
        return send(task, buf, len, false);
    }

    @Override
    public int poll(Task task, boolean register) {
        int mask = 0;
        if (listening) {
            mask = pending.isEmpty() ? 0 : 0x1;
        } else if (type == SOCK_STREAM) {
            if (in != null) {
                mask |= in.poll(task, false) & (0x1 | 0x10);
            }
            if (out != null) {
                int o = out.poll(task, false);
                mask |= (o & 0x4) | ((o & 0x8) != 0 ? 0x10 : 0);
            }
            if (shutRead) {
                mask |= 0x1;
            }
            if (in == null && out == null) {
                mask |= peer == null ? 0x4 | 0x10 : 0x10;
            }
            if (register && (mask & 0x5) == 0) {
                if (in != null) {
                    in.poll(task, true);
                }
                if (out != null) {
                    out.poll(task, true);
                }
            }
            return mask;
        } else {
            mask = (dgrams.isEmpty() ? 0 : 0x1) | 0x4;
        }
        if (register && (mask & 0x1) == 0) {
            readWait.add(task);
        }
        return mask;
    }

    @Override
    public int statusFlags() {
        return 2 | (nonblock ? 04000 : 0);
    }

    @Override
    public void setStatusFlags(int flags) {
        nonblock = (flags & 04000) != 0;
    }

    @Override
    public long fionread() {
        if (type == SOCK_DGRAM) {
            return nextDgramLength();
        }
        return in == null ? 0 : in.size();
    }

    @Override
    public int mode() {
        return 0140777; // S_IFSOCK | 0777
    }

    @Override
    public long ino() {
        return ino;
    }

    @Override
    public void retain() {
        refs++;
    }

    @Override
    public void close() {
        if (--refs > 0) {
            return;
        }
        if (in != null) {
            in.close();
            in = null;
        }
        if (out != null) {
            out.close();
            out = null;
        }
        if (key != null && fam.bound.get(key) == this) {
            fam.bound.remove(key);
        }
        for (UnixSocket s : pending) {
            s.close();
        }
        pending.clear();
        for (Stretch s : inflight) {
            s.rights.release();
        }
        inflight.clear();
        dgramRights.forEach(r -> r.ifPresent(ScmRights::release));
        dgramRights.clear();
        readWait.wakeAll(fam.sched);
    }
}
