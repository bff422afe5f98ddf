package microlith.server.abi;

/**
 * The ABI between the ring-0 core and ring-3 servers (what Linux keeps in its uapi
 * headers): the system calls only servers may make, a server's address-space layout, the
 * IPC buffer's layout, and the message labels both sides use.
 *
 * <h2>System calls (numbers above Linux's range, refused to ordinary processes)</h2>
 * <pre>
 * SYS_IPC_REPLY_RECV  reply to the request being served (label and registers in the IPC
 *                     buffer), then wait for the next request or notification; returns 0
 *                     with it in the IPC buffer
 * SYS_IPC_CALL        RDI = endpoint: CORE for a kernel call (MINIX 3's SYSTASK), whose
 *                     answer comes back in the IPC buffer; returns the result (MR0)
 * </pre>
 *
 * <h2>A server's address space (user half)</h2>
 * <pre>
 * 0x0000000000400000  text: the server loop and its Java entry points (one page, R-X)
 * 0x0000000000500000  IPC buffer (one page, RW-): the message registers
 * 0x0000000000600000  copy window (WINDOW_SIZE, RW-): bytes moved through grants
 * 0x0000000010000000  heap: kmalloc memory, mapped (and populated) as the module needs it
 * 0x00007fffffffe000  stack top (one page)
 * </pre>
 *
 * <h2>The server loop (x86 code in the text page)</h2>
 * <pre>
 * server_entry:                  ; every request starts here with its message in the IPC buffer
 *     KCALL HANDLE               ; Java at CPL 3: dispatch to the module, write the reply
 *     mov eax, SYS_IPC_REPLY_RECV
 *     syscall                    ; reply and wait; returns with the next message
 *     jmp server_entry
 * syscall_trampoline:            ; how Java at CPL 3 makes a system call
 *     syscall
 *     KCALL RESUME               ; back to the Java code that asked
 * fn_return:                     ; where code called through a function pointer returns
 *     KCALL FN_RETURN
 * fn_stub_k:                     ; k = 0 .. FN_STUBS-1, 16 bytes each from FN_STUB_BASE:
 *     KCALL FN_BASE + k          ; the module's k-th functionAddress()
 *     ret
 * </pre>
 *
 * <h2>IPC buffer (seL4's IPC buffer, one page)</h2>
 * <pre>
 * 0x000 u64 label      request or reply label; a notification's is NOTIFY
 * 0x008 u64 badge      who asks: the client's pid (the caller's identity travels here)
 * 0x010 u64 deadline   simulated cycle by which the server must reply (the watchdog)
 * 0x018 u64 length     bytes used in the byte area
 * 0x020 u64 mr[64]     message registers
 * 0x220 u8  bytes[]    names, text and small payloads (BYTES_MAX bytes)
 * </pre>
 */
public final class Ipc {
    public static final int SYS_IPC_REPLY_RECV = 512, SYS_IPC_CALL = 513;
    /** The endpoint of the core's own services. */
    public static final long CORE = 0;

    public static final long TEXT = 0x40_0000L, IPC_BUFFER = 0x50_0000L, WINDOW = 0x60_0000L;
    public static final int WINDOW_SIZE = 64 * 1024;
    public static final long HEAP = 0x1000_0000L, HEAP_END = 0x7000_0000_0000L;
    public static final long STACK_TOP = 0x7fff_ffff_e000L;

    /** Offsets in the text page, and the ids of the Java routines its KCALLs run. */
    public static final int ENTRY = 0x00, TRAMPOLINE = 0x20, FN_RETURN_AT = 0x30, FN_STUB_BASE = 0x100;
    public static final int HANDLE = 1, RESUME = 2, FN_RETURN = 3, FN_BASE = 16;
    /** Function stubs in the text page (16 bytes each), so functionAddress() gives at most this many. */
    public static final int FN_STUBS = (4096 - FN_STUB_BASE) / 16;

    public static final int LABEL = 0x000, BADGE = 0x008, DEADLINE = 0x010, LENGTH = 0x018, MR = 0x020;
    public static final int MR_COUNT = 64, BYTES = 0x220, BYTES_MAX = 4096 - BYTES;

    // ------------------------------------------------------------------ requests (core to server)

    /** Construct the module and run its init; MR0 the result. */
    public static final int INIT = 1;
    /** Run the module's exit. */
    public static final int EXIT = 2;
    /** Asynchronous events: MR0 a mask of IRQ lines, MR1 a mask of timer ids (bit n = timer n). */
    public static final int NOTIFY = 3;
    /**
     * Character-device operations. MR0 fops id, MR1 file handle, MR2 pos, MR3 flags, MR4 minor,
     * MR5 uid, MR6 gid, MR7 pid, MR8 pgid, MR9 sid, MR10.. the operation's arguments. A user
     * buffer comes as a grant: MR12 grant id, MR13 base, MR14 length. Reply: MR0 result, MR1 pos.
     */
    public static final int FOP_OPEN = 10, FOP_READ = 11, FOP_WRITE = 12, FOP_LLSEEK = 13, FOP_IOCTL = 14,
        FOP_POLL = 15, FOP_RELEASE = 16;
    /** Block-device operations: MR0 device id, MR1 lba, MR2 count, MR3 grant id (the data). */
    public static final int BLK_SECTORS = 20, BLK_READ = 21, BLK_WRITE = 22, BLK_FLUSH = 23;
    /** mount: MR0 fs id, MR1 device handle (0: none), MR2 read-only; options in the bytes. MR0 = instance id. */
    public static final int FS_MOUNT = 30;
    /** Superblock operations: MR0 instance id, then the SuperBlock method's arguments. */
    public static final int SB_ROOT = 40, SB_GETATTR = 41, SB_LOOKUP = 42, SB_READDIR = 43, SB_CREATE = 44,
        SB_MKNOD = 45, SB_SYMLINK = 46, SB_READLINK = 47, SB_LINK = 48, SB_REMOVE = 49, SB_EVICT = 50,
        SB_RENAME = 51, SB_READ = 52, SB_WRITE = 53, SB_TRUNCATE = 54, SB_CHMOD = 55, SB_CHOWN = 56,
        SB_UTIMES = 57, SB_FSYNC = 58, SB_SYNC = 59, SB_UNMOUNT = 60, SB_STATFS = 61;
    /** A /proc file's text: MR0 entry id, MR1 grant id of a kernel buffer; reply MR0 = bytes written. */
    public static final int PROC_SHOW = 70;
    /** An exported function: MR0 function id, MR1..MR6 the arguments; reply MR0 = the result. */
    public static final int FN_CALL = 71;

    // ------------------------------------------------------------------ kernel calls (server to core)

    /** printk: MR0 level; the text in the bytes. */
    public static final int K_LOG = 100;
    /** Grant copies: MR0 grant id, MR1 offset in the grant, MR2 address in the server, MR3 length. */
    public static final int K_COPY_FROM_GRANT = 101, K_COPY_TO_GRANT = 102;
    /** module_param: MR0 type (0 long, 1 charp, 2 bool), MR1 perm; name, NUL, description, NUL, default in the bytes. */
    public static final int K_PARAM = 103;
    /** A parameter's current value: name in the bytes; the value comes back in the bytes. */
    public static final int K_PARAM_GET = 104;
    /** register_chrdev region: MR0 major, MR1 fops id; name in the bytes. */
    public static final int K_CHRDEV_REGION = 105, K_CHRDEV_UNREGISTER = 106;
    /** device_create: MR0 major, MR1 minor, MR2 mode; name in the bytes. */
    public static final int K_DEVICE_CREATE = 107, K_DEVICE_DESTROY = 108;
    /** proc_create: MR0 entry id; name in the bytes. */
    public static final int K_PROC_CREATE = 109, K_PROC_REMOVE = 110;
    /** request_region: MR0 start, MR1 n; name in the bytes. */
    public static final int K_REQUEST_REGION = 111, K_RELEASE_REGION = 112;
    /** request_irq: MR0 line; name in the bytes. */
    public static final int K_REQUEST_IRQ = 113, K_FREE_IRQ = 114, K_IRQ_ACK = 115;
    public static final int K_JIFFIES = 116;
    /** Timers: MR0 timer id (create returns it), MR1 expiry in jiffies. */
    public static final int K_TIMER_CREATE = 117, K_TIMER_MOD = 118, K_TIMER_DEL = 119;
    /** Wait queues: MR0 queue id (create returns it). */
    public static final int K_WQ_CREATE = 120, K_WQ_BLOCK = 121, K_WQ_WAKE = 122, K_WQ_WAITERS = 123, K_WQ_POLL = 124;
    /** kill_pgrp: MR0 group, MR1 signal. */
    public static final int K_KILL_PGRP = 125;
    /** EXPORT_SYMBOL: MR0 function id, MR1 GPL-only; name in the bytes. Returns the address. */
    public static final int K_EXPORT = 126;
    /** symbol(): name in the bytes; returns a symbol handle (or -ENOENT). */
    public static final int K_SYMBOL = 127;
    /** Calls a resolved symbol: MR0 handle, MR1..MR6 arguments. */
    public static final int K_SYM_CALL = 128;
    /** register_blkdev: MR0 device id, MR1 sectors; name in the bytes. */
    public static final int K_BLKDEV_REGISTER = 129, K_BLKDEV_UNREGISTER = 130;
    /** register_filesystem: MR0 fs id, MR1 requires a device; name in the bytes. */
    public static final int K_FS_REGISTER = 131, K_FS_UNREGISTER = 132;
    /** A mounted filesystem's device: MR0 device handle, MR1 lba, MR2 count, MR3 window address. */
    public static final int K_BLK_SECTORS = 133, K_BLK_READ = 134, K_BLK_WRITE = 135, K_BLK_FLUSH = 136;
    /** The server failed (MR0: 1 an exception, 2 the watchdog); the reason in the bytes. It dies next. */
    public static final int K_FAULT = 137;
    /**
     * Job control facts for a terminal: the session of group MR0 (or -ESRCH); whether group
     * MR0 is orphaned (1 or 0); whether the client being served blocks or ignores signal MR0
     * (1 or 0).
     */
    public static final int K_PGRP_SESSION = 138, K_PGRP_ORPHANED = 139, K_SIG_IGNORED = 140;
    /** The address of an exported symbol (symbolAddress): name in the bytes; the address or -ENOENT. */
    public static final int K_SYMBOL_ADDRESS = 141;

    private Ipc() {
    }
}
