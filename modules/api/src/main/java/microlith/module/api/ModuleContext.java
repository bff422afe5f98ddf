package microlith.module.api;

/**
 * Everything the kernel offers a module, and the only reference to the kernel a module
 * ever holds. Names follow the Linux functions they stand for. Where the module runs (ring
 * 0 in the kernel, or a ring-3 server) is the kernel's business: nothing here depends on it.
 *
 * <p>Kernel memory is addressed by 64-bit kernel virtual addresses, as in C. Reading or
 * writing memory the module does not own has the consequences it has on real hardware.
 */
public interface ModuleContext {
    /** Log levels, as Linux's KERN_EMERG .. KERN_DEBUG. */
    int EMERG = 0, ALERT = 1, CRIT = 2, ERR = 3, WARNING = 4, NOTICE = 5, INFO = 6, DEBUG = 7;

    // ------------------------------------------------------------------ identity and log

    /** The module's name from its manifest. */
    String name();

    /** printk: one line in the kernel log at the given level ({@link String#format} syntax). */
    void printk(int level, String format, Object... args);

    /** The kernel release the module was loaded into, as uname -r reports. */
    String kernelRelease();

    /**
     * Where this module runs, for printing only: "kernel" (ring 0, in the kernel's address
     * space) or "server" (a ring-3 server process of its own). Code must not depend on it.
     */
    default String placement() {
        return "kernel";
    }

    // ------------------------------------------------------------------ parameters

    /** module_param(name, long, perm): the value from the insmod command line, or the default. */
    ModuleParam<Long> paramLong(String name, long defaultValue, int perm, String description);

    /** module_param(name, charp, perm). */
    ModuleParam<String> paramString(String name, String defaultValue, int perm, String description);

    /** module_param(name, bool, perm): accepts 1/0, y/n, Y/N. */
    ModuleParam<Boolean> paramBool(String name, boolean defaultValue, int perm, String description);

    // ------------------------------------------------------------------ kernel memory

    /** kmalloc: size bytes of kernel memory, or 0 when none is left. */
    long kmalloc(long size);

    /** kzalloc: kmalloc, zero-filled. */
    long kzalloc(long size);

    /** kfree of a kmalloc'd address (0 is ignored). */
    void kfree(long addr);

    int read8(long addr);

    int read16(long addr);

    int read32(long addr);

    long read64(long addr);

    void write8(long addr, int value);

    void write16(long addr, int value);

    void write32(long addr, int value);

    void write64(long addr, long value);

    void readBytes(long addr, byte[] dst, int off, int len);

    void writeBytes(long addr, byte[] src, int off, int len);

    // ------------------------------------------------------------------ user memory

    /** access_ok: whether [addr, addr+len) lies in user space. */
    boolean accessOk(long userAddr, long len);

    /** copy_from_user: returns the number of bytes that could NOT be copied (0 on success). */
    long copyFromUser(byte[] dst, int off, long userAddr, long len);

    /** copy_to_user: returns the number of bytes that could NOT be copied (0 on success). */
    long copyToUser(long userAddr, byte[] src, int off, long len);

    /**
     * strncpy_from_user: copies a NUL-terminated string of at most count bytes into dst.
     * Returns its length without the NUL, count if it did not fit, or -EFAULT.
     */
    long strncpyFromUser(byte[] dst, long userAddr, long count);

    // ------------------------------------------------------------------ character devices

    /**
     * register_chrdev: claims a major number (0 asks for a free one) and creates
     * /dev/NAME for minor 0. Returns the major number, or a negative errno.
     */
    int registerChrdev(int major, String name, FileOperations fops);

    void unregisterChrdev(int major, String name);

    /**
     * __register_chrdev: claims a major for fops without creating any /dev node; the
     * driver names its minors with {@link #deviceCreate}. Returns the major or -errno.
     */
    int registerChrdevRegion(int major, String name, FileOperations fops);

    /** device_create: the node /dev/NAME for (major, minor), mode 0600 unless given. 0 or -errno. */
    int deviceCreate(String name, int major, int minor, int mode);

    /** device_destroy: removes /dev/NAME. */
    void deviceDestroy(String name);

    // ------------------------------------------------------------------ /proc

    /** proc_create: a read-only file /proc/NAME whose text show() produces at open. */
    int procCreate(String name, ProcShow show);

    void procRemove(String name);

    // ------------------------------------------------------------------ port I/O

    /** request_region: claims ports [start, start+n); false if another driver holds one. */
    boolean requestRegion(int start, int n, String name);

    void releaseRegion(int start, int n);

    int inb(int port);

    int inw(int port);

    int inl(int port);

    /** outb(value, port), in Linux's argument order. */
    void outb(int value, int port);

    void outw(int value, int port);

    void outl(int value, int port);

    // ------------------------------------------------------------------ interrupts and time

    /** request_irq: 0, or -EBUSY if the line is taken, -EINVAL for a bad line. */
    int requestIrq(int irq, IrqHandler handler, String name);

    void freeIrq(int irq);

    /** Timer ticks since boot; {@link #hz()} per second of simulated time. */
    long jiffies();

    int hz();

    /** timer_setup: a disarmed timer that calls callback when it fires. */
    Timer timerSetup(Runnable callback);

    /** init_waitqueue_head. */
    WaitQueue waitQueue();

    // ------------------------------------------------------------------ processes

    /**
     * kill_pgrp: sends signal sig to every process of process group pgrp, as a terminal
     * driver does for Ctrl-C. Returns 0, or -ESRCH if the group has no process.
     */
    int killProcessGroup(int pgrp, int sig);

    /**
     * session_of_pgrp: the session process group pgrp belongs to, or -ESRCH if the group
     * has no process (a terminal checks that tcsetpgrp names a group of the caller's session).
     */
    int sessionOfProcessGroup(int pgrp);

    /**
     * Whether process group pgrp is orphaned: none of its processes has a parent in another
     * group of the same session, so nobody is left to continue it once stopped. A terminal
     * refuses such a group's background access with EIO instead of stopping it, as Linux's
     * tty_check_change does.
     */
    boolean isOrphanedProcessGroup(int pgrp);

    /**
     * Whether the process whose call is being served blocks or ignores signal sig
     * (tty_jobctrl.c's is_ignored): a terminal lets such a background process write, or
     * fails its read, instead of sending it SIGTTOU or SIGTTIN.
     */
    boolean signalIgnored(int sig);

    // ------------------------------------------------------------------ symbols

    /**
     * EXPORT_SYMBOL: gives fn an address in this module's text and publishes it under name.
     * Returns the address.
     */
    long exportSymbol(String name, KernelFunction fn);

    /** EXPORT_SYMBOL_GPL: as {@link #exportSymbol}, usable only by GPL-compatible modules. */
    long exportSymbolGpl(String name, KernelFunction fn);

    /**
     * Resolves a symbol exported by the kernel or another module, and records that this
     * module uses the exporter (which then cannot be unloaded first). Call it from init:
     * an unknown symbol, or a GPL-only one used by a non-GPL module, makes this throw
     * and the load fail with ENOENT ("Unknown symbol"), as Linux resolves at load time.
     */
    KernelFunction symbol(String name);

    // ------------------------------------------------------------------ function pointers

    /**
     * &amp;fn: gives fn an address in this module's text, as taking a C function's address
     * does, without publishing a symbol. Store it in memory and call it through
     * {@link #functionAt}; whoever calls that address runs fn.
     */
    long functionAddress(KernelFunction fn);

    /**
     * A call through a function pointer, as C's {@code ((fn_t) address)(a0, ...)}: each call
     * executes whatever is at address now, through the CPU, at the module's privilege. An
     * address from {@link #functionAddress} (or, in ring 0, any kernel or module function)
     * runs that function; other machine code runs as it is; a bad address faults (an oops
     * in ring 0, the death of the server in a server). The result is RAX.
     */
    KernelFunction functionAt(long address);

    /**
     * The address of a symbol the kernel or another module exports, as C's {@code &name}
     * resolves at load time; records the use as {@link #symbol} does, and fails the same way
     * for an unknown name. In a server it is a number only: the server cannot run kernel code.
     */
    long symbolAddress(String name);

    // ------------------------------------------------------------------ credentials

    /**
     * current_cred(): the address of the calling process's credentials,
     * {@code struct cred { u32 uid; u32 gid; }}. In ring 0 that is the task's own struct
     * (at the bottom of its kernel stack); in a server, the server's copy of the identity its
     * request carried, so writing there changes nothing outside the server.
     */
    long currentCred();

    // ------------------------------------------------------------------ block devices and filesystems

    /** Registers a disk as /dev/NAME (a block device node). 0 or a negative errno. */
    int registerBlockDevice(String name, BlockDevice device);

    void unregisterBlockDevice(String name);

    /** register_filesystem: makes {@code mount -t NAME} work. 0 or -EBUSY if the name is taken. */
    int registerFilesystem(FileSystemType type);

    /** unregister_filesystem; -EBUSY while it is mounted. */
    int unregisterFilesystem(FileSystemType type);
}
