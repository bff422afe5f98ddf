package microlith.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.JavaCallGate;
import microlith.module.api.BlockDevice;
import microlith.module.api.DirEntry;
import microlith.module.api.Errno;
import microlith.module.api.FileOperations;
import microlith.module.api.FileSystemType;
import microlith.module.api.InodeAttr;
import microlith.module.api.KernelModule;
import microlith.module.api.PollTable;
import microlith.module.api.SuperBlock;
import microlith.server.abi.Ipc;

/**
 * What a server process runs: the Java routines behind the KCALLs of its text page, at
 * CPL 3. {@link Ipc#HANDLE} takes the request from the IPC buffer, calls the module and
 * writes the reply; the text's x86 loop then replies and waits with SYS_IPC_REPLY_RECV.
 *
 * <p>A failure in module code is a failure of this process only: a CPU fault (a bad
 * pointer, a port outside the I/O bitmap) leaves the KCALL as the hardware exception it
 * is; a Java exception, or the watchdog's deadline passing, is reported to the core and
 * then raised as #UD (the way a C server's abort() or __builtin_trap would end it).
 */
public final class ServerRuntime implements JavaCallGate.Routines {
    /** The request's deadline passed while module code ran (the watchdog). */
    private static final class Expired extends Error {
        Expired() {
            super("soft lockup", null, false, false);
        }
    }

    private final Cpu cpu;
    private final String name;
    private final Callable<KernelModule> constructor;
    private final UserMemory mem;
    private final Syscalls sys;
    private final Message msg;
    private final KernelCalls k;
    private final Heap heap;
    private final ServerContext ctx;
    private final FunctionPointers pointers;
    private final Map<Long, RemoteOpenFile> files = new HashMap<>();
    private final List<SuperBlock> supers = new java.util.ArrayList<>();
    private KernelModule module;
    private long deadline;
    private boolean expired;

    /**
     * A runtime for one server. The constructor makes the module's object (its classes were
     * loaded and linked by the kernel's module loader) and runs inside the server at INIT.
     */
    public ServerRuntime(Cpu cpu, String name, String release, int hz, Callable<KernelModule> constructor) {
        this.cpu = cpu;
        this.name = name;
        this.constructor = constructor;
        this.mem = new UserMemory(cpu);
        this.sys = new Syscalls(cpu);
        this.msg = new Message(cpu, mem);
        this.k = new KernelCalls(cpu, sys, msg, mem);
        this.heap = new Heap(sys);
        this.pointers = new FunctionPointers(cpu, this, () -> deadline, () -> {
            expired = true;
            return new Expired();
        });
        this.ctx = new ServerContext(name, release, hz, cpu, k, mem, heap, pointers);
    }

    /** The module's bytecode meter: charges simulated time and enforces the request's deadline. */
    public IntConsumer meter() {
        return n -> {
            cpu.perf.moduleBytecodes += n;
            if (cpu.cpl() == 0) {
                cpu.perf.moduleBytecodesRing0 += n;
            }
            if (expired || deadline != 0 && cpu.perf.cycles() > deadline) {
                expired = true;
                throw new Expired();
            }
        };
    }

    /** Bytes of kmalloc memory the module holds. */
    public long heapBytes() {
        return heap.bytesInUse();
    }

    @Override
    public void call(int id, Cpu c) {
        if (id == Ipc.RESUME) {
            sys.resume();
        } else if (id == Ipc.HANDLE) {
            handle();
        } else if (id == Ipc.FN_RETURN) {
            pointers.returned(c);
        } else if (id >= Ipc.FN_BASE && id < Ipc.FN_BASE + Ipc.FN_STUBS) {
            pointers.stub(id - Ipc.FN_BASE, c);
        } else {
            throw CpuException.ud();
        }
    }

    private void handle() {
        Request r = new Request(msg);
        deadline = r.deadline;
        expired = false;
        ctx.current = r;
        long[] reply;
        String fault = null;
        int kind = 0;
        try {
            reply = dispatch(r);
        } catch (CpuException e) {
            throw e;
        } catch (Syscalls.Stopped e) {
            return;
        } catch (ServerContext.LoadError e) {
            reply = new long[] {e.errno};
        } catch (Expired e) {
            kind = 2;
            fault = where(r.label) + " ran past its deadline";
            reply = null;
        } catch (Exception | StackOverflowError | AssertionError | LinkageError e) {
            kind = 1;
            fault = where(r.label) + " threw " + e;
            reply = null;
        } finally {
            ctx.current = null;
            deadline = 0;
        }
        if (fault != null) {
            expired = false;
            k.callWith(Ipc.K_FAULT, new String[] {fault}, kind);
            throw CpuException.ud();
        }
        for (int i = 0; i < reply.length; i++) {
            msg.setMr(i, reply[i]);
        }
        msg.setLabel(r.label);
    }

    /** The module entry a request runs, named as the kernel names module entry points. */
    private String where(int label) {
        switch (label) {
            case Ipc.INIT: return name + "_init";
            case Ipc.EXIT: return name + "_exit";
            case Ipc.NOTIFY: return name + "_notify";
            case Ipc.FN_CALL: return name + "_export";
            case Ipc.PROC_SHOW: return name + "_proc_show";
            case Ipc.FS_MOUNT: return name + "_mount";
            default:
                if (label >= Ipc.FOP_OPEN && label <= Ipc.FOP_RELEASE) {
                    return name + "_fop" + (label - Ipc.FOP_OPEN);
                }
                return name + (label >= Ipc.SB_ROOT ? "_sb" : "_blk") + label;
        }
    }

    private static long[] result(long v) {
        return new long[] {v};
    }

    private long[] dispatch(Request r) throws Exception {
        switch (r.label) {
            case Ipc.INIT: {
                module = constructor.call();
                if (module == null) {
                    return result(-Errno.ENOEXEC);
                }
                return result(module.init(ctx));
            }
            case Ipc.EXIT:
                module.exit(ctx);
                return result(0);
            case Ipc.NOTIFY:
                notify(r.mr[0], r.mr[1]);
                return result(0);
            case Ipc.FN_CALL:
                return result(ctx.functions.get((int) r.mr[0]).call(r.mr[1], r.mr[2], r.mr[3], r.mr[4], r.mr[5],
                    r.mr[6]));
            case Ipc.PROC_SHOW: {
                StringBuilder sb = new StringBuilder();
                ctx.procs.get((int) r.mr[0]).show(sb);
                return result(toGrant(r.withGrant(1), sb.toString().getBytes(StandardCharsets.UTF_8)));
            }
            case Ipc.FS_MOUNT:
                return mount(r);
            default:
                break;
        }
        if (r.label >= Ipc.FOP_OPEN && r.label <= Ipc.FOP_RELEASE) {
            return fop(r);
        }
        if (r.label >= Ipc.BLK_SECTORS && r.label <= Ipc.BLK_FLUSH) {
            return result(blk(r));
        }
        if (r.label >= Ipc.SB_ROOT && r.label <= Ipc.SB_STATFS) {
            return SuperBlocks.dispatch(this, supers.get((int) r.mr[0]), r);
        }
        return result(-Errno.ENOSYS);
    }

    /** IRQs (acknowledged after the handler ran, which unmasks the line) and expired timers. */
    private void notify(long irqMask, long timerMask) {
        for (int irq = 0; irq < 16; irq++) {
            if ((irqMask & 1L << irq) != 0) {
                if (ctx.irqs[irq] != null) {
                    ctx.irqs[irq].handle(irq);
                }
                k.call(Ipc.K_IRQ_ACK, irq);
            }
        }
        for (int t = 0; t < ctx.timerCallbacks.size(); t++) {
            if ((timerMask & 1L << t) != 0) {
                ctx.timerPending.get(t)[0] = false;
                ctx.timerCallbacks.get(t).run();
            }
        }
    }

    /** Copies data to the request's grant from offset 0; the bytes written, or -EFAULT. */
    long toGrant(Request r, byte[] data) {
        int n = (int) Math.min(data.length, r.grantLength);
        return k.copy(true, r.grant, 0, data, 0, n) == n ? n : -Errno.EFAULT;
    }

    /** Reads len bytes from the request's grant, or null. */
    byte[] fromGrant(Request r, int len) {
        if (len < 0 || len > r.grantLength) {
            return null;
        }
        byte[] b = new byte[len];
        return k.copy(false, r.grant, 0, b, 0, len) == len ? b : null;
    }

    private long[] fop(Request r) {
        FileOperations ops = ctx.fops.get((int) r.mr[0]);
        long handle = r.mr[1];
        RemoteOpenFile f = files.get(handle);
        if (r.label == Ipc.FOP_OPEN) {
            f = new RemoteOpenFile();
        } else if (f == null) {
            return result(-Errno.EBADF);
        }
        f.update(r);
        r.withGrant(12);
        long res;
        switch (r.label) {
            case Ipc.FOP_OPEN:
                res = ops.open(f);
                if (res >= 0) {
                    files.put(handle, f);
                }
                break;
            case Ipc.FOP_READ: res = ops.read(f, r.mr[10], r.mr[11]); break;
            case Ipc.FOP_WRITE: res = ops.write(f, r.mr[10], r.mr[11]); break;
            case Ipc.FOP_LLSEEK: res = ops.llseek(f, r.mr[10], (int) r.mr[11]); break;
            case Ipc.FOP_IOCTL: res = ops.ioctl(f, (int) r.mr[10], r.mr[11]); break;
            case Ipc.FOP_POLL: {
                boolean register = r.mr[10] != 0;
                PollTable pt = q -> {
                    if (register && q instanceof ServerContext.RemoteWaitQueue) {
                        k.call(Ipc.K_WQ_POLL, ((ServerContext.RemoteWaitQueue) q).id);
                    }
                };
                res = ops.poll(f, pt);
                break;
            }
            default:
                files.remove(handle);
                res = ops.release(f);
        }
        return new long[] {res, f.pos};
    }

    private long blk(Request r) {
        BlockDevice d = ctx.disks.get((int) r.mr[0]);
        switch (r.label) {
            case Ipc.BLK_SECTORS:
                return d.sectors();
            case Ipc.BLK_FLUSH:
                return d.flush();
            case Ipc.BLK_READ: {
                int count = (int) r.mr[2];
                byte[] b = new byte[count * BlockDevice.SECTOR_SIZE];
                int n = d.read(r.mr[1], count, b, 0);
                if (n > 0) {
                    r.withGrant(3);
                    long w = toGrant(r, java.util.Arrays.copyOf(b, n * BlockDevice.SECTOR_SIZE));
                    if (w < 0) {
                        return w;
                    }
                }
                return n;
            }
            default: {
                int count = (int) r.mr[2];
                byte[] b = fromGrant(r.withGrant(3), count * BlockDevice.SECTOR_SIZE);
                return b == null ? -Errno.EFAULT : d.write(r.mr[1], count, b, 0);
            }
        }
    }

    private long[] mount(Request r) {
        FileSystemType type = ctx.filesystems.get((int) r.mr[0]);
        BlockDevice dev = r.mr[1] == 0 ? null : new RemoteBlockDevice(k, mem, r.mr[1]);
        try {
            SuperBlock sb = type.mount(dev, r.string(0), r.mr[2] != 0);
            if (sb == null) {
                return result(-Errno.EINVAL);
            }
            supers.add(sb);
            return result(supers.size() - 1);
        } catch (FileSystemType.MountException e) {
            msg.setStrings(e.getMessage() == null ? "" : e.getMessage());
            return result(-e.errno());
        }
    }

    // ------------------------------------------------------------------ for SuperBlocks

    Message message() {
        return msg;
    }

    /** Encodes directory entries: u64 ino, u16 name length, name; as many as fit in max bytes. */
    static byte[] encodeEntries(List<DirEntry> entries, int max) {
        ByteBuffer b = ByteBuffer.allocate(max).order(ByteOrder.LITTLE_ENDIAN);
        for (DirEntry e : entries) {
            byte[] n = e.name().getBytes(StandardCharsets.UTF_8);
            if (b.remaining() < 10 + n.length) {
                break;
            }
            b.putLong(e.ino()).putShort((short) n.length).put(n);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static long[] attr(InodeAttr a) {
        if (a == null) {
            return result(-Errno.ENOENT);
        }
        return new long[] {0, a.ino(), a.mode(), a.nlink(), a.uid(), a.gid(), a.size(), a.mtime(), a.rdev()};
    }

    @Override
    public String toString() {
        return "server " + name;
    }
}
