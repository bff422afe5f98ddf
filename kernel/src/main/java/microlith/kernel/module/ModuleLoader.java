package microlith.kernel.module;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import microlith.hw.cpu.Cpu;
import microlith.kernel.arch.KernelText;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.Kmalloc;
import microlith.kernel.task.Scheduler;
import microlith.kernel.uts.Utsname;
import microlith.kernel.arch.IndirectCall;
import microlith.kernel.mm.Layout;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;
import microlith.module.api.KernelFunction;

/**
 * Loads and unloads modules (Linux's kernel/module/main.c): checks the image, links its
 * classes against what modules may use, places its text and data in the module area,
 * runs its init through the entry point's address, and undoes everything if any step
 * fails, so nothing half-loaded remains.
 */
public final class ModuleLoader {
    /** Simulated cycles a module call may run before the watchdog stops it (1 s). */
    public static final long DEFAULT_BUDGET = 1_000_000_000L;
    /** Linux's taint flags shown by /proc/sys/kernel/tainted. */
    public static final int TAINT_PROPRIETARY_MODULE = 1, TAINT_DIE = 1 << 7;

    /**
     * Where a module's code runs (the placement layer, DESIGN.md invariant 5): in ring 0
     * in the kernel, or as a ring-3 server. The loader parses, checks and links; the
     * placement constructs the module, gives it its ModuleContext, and runs init and exit.
     */
    public interface Placement {
        /** "kernel" or "server", as /sys/module/NAME/placement and /proc/modules say. */
        String name();

        /** Constructs the module and runs its init: 0, or a negative errno with everything undone. */
        int start(LoadedModule m, Map<String, byte[]> linked);

        /** Runs the module's exit (rmmod). */
        void stop(LoadedModule m);

        /** Releases what the placement itself holds for m (after exit, or after a failed start). */
        void release(LoadedModule m);
    }

    private final Printk log;
    private final Cpu cpu;
    private final KernelText text;
    final ModuleArea area;
    private final Kmalloc kmalloc;
    private final Scheduler sched;
    public final Symbols symbols;
    final Watchdog watchdog;
    public final IndirectCall indirect;
    private final Map<String, LoadedModule> modules = new LinkedHashMap<>();
    private final long budget;
    private java.util.function.Function<LoadedModule, Placement> policy;
    private int taint;

    public ModuleLoader(Printk log, Cpu cpu, KernelText text, ModuleArea area, Kmalloc kmalloc, Scheduler sched,
                        long budget, java.util.function.LongPredicate isKernelText) {
        this.log = log;
        this.cpu = cpu;
        this.text = text;
        this.area = area;
        this.kmalloc = kmalloc;
        this.sched = sched;
        this.symbols = new Symbols(text.symbols());
        this.watchdog = new Watchdog(cpu.perf, cpu::cpl);
        this.budget = budget;
        this.indirect = new IndirectCall(cpu, text, a -> area.isText(a) || isKernelText.test(a),
            text.symbol("x86_call_return"), budget);
    }

    private java.util.function.Function<KoFile, String> resourceCheck = ko -> null;

    /**
     * What refuses a module whose manifest declares a port or IRQ another already holds:
     * returns the reason, or null when the declaration is free.
     */
    public void setResourceCheck(java.util.function.Function<KoFile, String> check) {
        this.resourceCheck = check;
    }

    /** Which placement each module gets (the OS model decides). */
    public void setPolicy(java.util.function.Function<LoadedModule, Placement> policy) {
        this.policy = policy;
    }

    public Printk log() {
        return log;
    }

    public long budget() {
        return budget;
    }

    /** Publishes a function of the kernel's own text (EXPORT_SYMBOL in kernel code). */
    public void exportKernelSymbol(String name, boolean gplOnly) {
        symbols.export(new Symbols.Export(name, text.symbol(name), gplOnly, null));
    }

    /** kallsyms_lookup_name. */
    public long lookupSymbol(String name) {
        return symbols.lookup(name);
    }

    public Collection<LoadedModule> list() {
        return modules.values();
    }

    public LoadedModule find(String name) {
        return modules.get(name);
    }

    public int taint() {
        return taint;
    }

    // ------------------------------------------------------------------ load

    /** init_module: 0, or a negative errno with the reason in the kernel log. */
    public int load(byte[] image, String params, Task caller) {
        return load(image, params, false);
    }

    /** Loads a driver built into the kernel image (its parameters from the command line). */
    public int loadBuiltin(byte[] image, String params) {
        return load(image, params, true);
    }

    private int load(byte[] image, String params, boolean builtin) {
        KoFile ko;
        try {
            ko = KoFile.parse(image);
        } catch (KoFile.Invalid e) {
            log.err("%s", e.getMessage());
            return -e.errno;
        }
        if (!ko.vermagic.equals(Utsname.RELEASE)) {
            log.err("%s: version magic '%s' should be '%s'", ko.name, ko.vermagic, Utsname.RELEASE);
            return -Errno.ENOEXEC;
        }
        if (modules.containsKey(ko.name)) {
            return -Errno.EEXIST;
        }
        for (String dep : ko.depends) {
            LoadedModule d = modules.get(dep);
            if (d == null || state(d) != LoadedModule.LIVE) {
                log.warn("%s: Unknown symbol in module: depends on %s, which is not loaded (err -2)", ko.name, dep);
                return -Errno.ENOENT;
            }
        }
        String taken = resourceCheck.apply(ko);
        if (taken != null) {
            log.err("%s: %s (err -16)", ko.name, taken);
            return -Errno.EBUSY;
        }
        if (!ko.gplCompatible()) {
            addTaint(TAINT_PROPRIETARY_MODULE, String.format("%s: module license '%s' taints kernel.", ko.name, ko.license));
        }
        Map<String, byte[]> linked;
        try {
            linked = ModuleVerifier.link(ko.classes);
        } catch (ModuleVerifier.UnknownSymbol e) {
            log.warn("%s: Unknown symbol %s (err -2)", ko.name, e.getMessage());
            return -Errno.ENOENT;
        }
        LoadedModule m = new LoadedModule(ko);
        m.builtin = builtin;
        m.given.putAll(parseParams(params));
        int err = place(m);
        if (err != 0) {
            return err;
        }
        modules.put(m.name, m);
        m.placement = policy.apply(m);
        err = m.placement.start(m, linked);
        if (err != 0) {
            discard(m);
            return err;
        }
        for (String p : m.given.keySet()) {
            if (!m.params.containsKey(p)) {
                log.warn("%s: unknown parameter '%s' ignored", m.name, p);
            }
        }
        setState(m, LoadedModule.LIVE);
        log.info("%s: loaded at 0x%x (%s %s, %s) in the %s", m.name, m.textBase, m.name,
            ko.version.isEmpty() ? "-" : ko.version, ko.license,
            m.serverPid > 0 ? "server [" + m.serverPid + "]" : "kernel");
        return 0;
    }

    private static Map<String, String> parseParams(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            StringBuilder tok = new StringBuilder();
            boolean quoted = false;
            while (i < s.length() && (quoted || s.charAt(i) != ' ')) {
                char c = s.charAt(i++);
                if (c == '"') {
                    quoted = !quoted;
                } else {
                    tok.append(c);
                }
            }
            if (tok.length() > 0) {
                int eq = tok.indexOf("=");
                out.put((eq < 0 ? tok.toString() : tok.substring(0, eq)).replace('-', '_'),
                    eq < 0 ? "" : tok.substring(eq + 1));
            }
        }
        return out;
    }

    /** Maps struct module and the first text page. */
    private int place(LoadedModule m) {
        m.data = area.map(1, false);
        if (m.data == 0) {
            return -Errno.ENOMEM;
        }
        m.textBase = area.map(1, true);
        if (m.textBase == 0) {
            area.unmap(m.data, 1);
            return -Errno.ENOMEM;
        }
        m.textPages.add(m.textBase);
        byte[] name = m.name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        cpu.memory().writeBytes(area.physical(m.data + LoadedModule.OFF_NAME), name, 0, Math.min(name.length, 55));
        cpu.write64(m.data + LoadedModule.OFF_TEXT, m.textBase);
        setState(m, LoadedModule.COMING);
        return 0;
    }

    /**
     * Defines m's linked classes in a class loader of their own, their bytecode meter
     * reporting to meter (the watchdog in the kernel, the server's own meter in a server).
     */
    public void defineClasses(LoadedModule m, Map<String, byte[]> linked, java.util.function.IntConsumer meter) {
        m.loader = new ModuleClassLoader(m.name, linked);
        try {
            Class<?> c = m.loader.loadClass(ModuleVerifier.METER);
            c.getField("sink").set(null, meter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kernel's meter: charges bytecode and enforces the watchdog's budget. */
    public java.util.function.IntConsumer kernelMeter() {
        return watchdog;
    }

    /**
     * Constructs the module's class (which must be a KernelModule with a public no-argument
     * constructor): 0, or -ENOEXEC with the reason logged. What the constructor throws
     * propagates, as a fault in module code.
     */
    public long instantiate(LoadedModule m) {
        try {
            Class<?> cls = m.loader.loadClass(m.ko.className);
            if (!microlith.module.api.KernelModule.class.isAssignableFrom(cls)) {
                log.err("%s: %s is not a KernelModule", m.name, m.ko.className);
                return -Errno.ENOEXEC;
            }
            m.instance = (microlith.module.api.KernelModule) cls.getConstructor().newInstance();
            return 0;
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | InstantiationException
            | LinkageError e) {
            log.err("%s: cannot instantiate %s: %s", m.name, m.ko.className, e);
            return -Errno.ENOEXEC;
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        }
    }

    /** Runs a module's init through the entry point stored in struct module. */
    public int runInit(LoadedModule m) {
        long r = callPointer(cpu.read64(m.data + LoadedModule.OFF_INIT), 0, 0, 0);
        if (r > 0) {
            log.warn("%s: 'init' suspiciously returned %d, it should follow 0/-E convention", m.name, r);
            return 0;
        }
        return (int) r;
    }

    /** Runs a module's exit through the entry point stored in struct module. */
    public void runExit(LoadedModule m) {
        callPointer(cpu.read64(m.data + LoadedModule.OFF_EXIT), 0, 0, 0);
    }

    /** Points struct module's init and exit at the given entry points. */
    public void setEntryPoints(LoadedModule m, long init, long exit) {
        cpu.write64(m.data + LoadedModule.OFF_INIT, init);
        cpu.write64(m.data + LoadedModule.OFF_EXIT, exit);
    }

    /** Calls a function pointer with arguments; a bad pointer is an oops and -EFAULT. */
    public long callPointer(long fn, long a0, long a1, long a2) {
        return callThrough(null, fn, a0, a1, a2, 0, 0, 0);
    }

    /** A call through a function pointer made by module caller (ModuleContext.functionAt). */
    public long callFrom(LoadedModule caller, long fn, long a0, long a1, long a2, long a3, long a4, long a5) {
        return callThrough(caller, fn, a0, a1, a2, a3, a4, a5);
    }

    /** The one place a function pointer is called; caller is blamed in the oops, if known. */
    private long callThrough(LoadedModule caller, long fn, long a0, long a1, long a2, long a3, long a4, long a5) {
        try {
            return indirect.call(fn, a0, a1, a2, a3, a4, a5);
        } catch (IndirectCall.Fault f) {
            reportFault(f, caller);
            return -Errno.EFAULT;
        }
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Places an entry point in m's text: a stub whose routine runs body under the
     * watchdog. An exception escaping module code is an oops in that module: logged, and
     * the call returns failure.
     */
    public long stub(LoadedModule m, String symbol, char type, long failure, java.util.function.Function<Cpu, Long> body) {
        if (m.textUsed + ModuleArea.STUB > Layout.PAGE_SIZE) {
            long page = area.map(1, true);
            if (page == 0) {
                throw new OutOfMemoryError("module area exhausted");
            }
            m.textPages.add(page);
            m.textUsed = 0;
        }
        long addr = m.textPages.get(m.textPages.size() - 1) + m.textUsed;
        m.textUsed += ModuleArea.STUB;
        int id = text.addRoutine(symbol, c -> c.setReg(Cpu.RAX, guarded(m, symbol, failure, () -> body.apply(c))));
        m.routines.add(id);
        area.writeStub(addr, id);
        symbols.addModuleSymbol(addr, type, symbol, m.name);
        return addr;
    }

    /** Runs module code with the watchdog armed; failures become oopses. */
    public long guarded(LoadedModule m, String where, long failure, LongSupplier body) {
        watchdog.enter(budget);
        try {
            return body.getAsLong();
        } catch (Watchdog.Expired e) {
            if (!watchdog.depthIsOne()) {
                throw e; // unwind to the call that armed the watchdog, which reports it once
            }
            Task t = sched.current();
            log.emerg("watchdog: BUG: soft lockup - CPU#0 stuck for %ds! [%s:%d]", Math.max(1, budget / 1_000_000_000L),
                t == null ? "swapper/0" : t.comm, t == null ? 0 : t.pid);
            log.emerg("RIP: 0010:%s [%s]", where, m.name);
            return -Errno.ETIME;
        } catch (IndirectCall.Fault f) {
            reportFault(f, m);
            return failure;
        } catch (microlith.hw.cpu.CpuException e) {
            oops(String.format("BUG: unable to handle page fault for address: %016x", e.faultAddress), m);
            return failure;
        } catch (BadParameter e) {
            return -Errno.EINVAL;
        } catch (UnresolvedSymbol e) {
            log.warn("%s: Unknown symbol %s (err -2)", m.name, e.getMessage());
            return -Errno.ENOENT;
        } catch (RuntimeException | StackOverflowError | AssertionError | LinkageError e) {
            oops("BUG: " + where + " threw " + e, m);
            if (Boolean.getBoolean("microlith.debug")) {
                for (StackTraceElement s : e.getStackTrace()) {
                    log.emerg("    at %s", s);
                }
            }
            return failure;
        } finally {
            watchdog.leave();
        }
    }

    /** {@link #guarded} for calls that return an object; failure if the module's code failed. */
    @SuppressWarnings("unchecked")
    public <T> T guardedCall(LoadedModule m, String where, T failure, java.util.function.Supplier<T> body) {
        Object[] out = {failure};
        guarded(m, where, 0, () -> {
            out[0] = body.get();
            return 0;
        });
        return (T) out[0];
    }

    /** A parameter value that does not parse fails the load with EINVAL, as Linux does. */
    public static final class BadParameter extends RuntimeException {
        public BadParameter() {
            super("bad parameter", null, false, false);
        }
    }

    /** symbol() of an unknown or forbidden name: the load fails as an undefined symbol does. */
    public static final class UnresolvedSymbol extends RuntimeException {
        public UnresolvedSymbol(String name) {
            super(name, null, false, false);
        }
    }

    /** An oops in a call through a pointer: logged here, unless the trap handler logged it already. */
    private void reportFault(IndirectCall.Fault f, LoadedModule m) {
        if (f.reported) {
            addTaint(TAINT_DIE, null);
        } else {
            oops(f.getMessage(), m);
        }
    }

    public void oops(String what, LoadedModule m) {
        log.emerg("%s", what);
        Task t = sched.current();
        log.emerg("Oops: 0000 [#1] PREEMPT SMP");
        log.emerg("CPU: 0 PID: %d Comm: %s Tainted: %s %s #1", t == null ? 0 : t.pid, t == null ? "swapper/0" : t.comm,
            taintString(), Utsname.RELEASE);
        if (m != null) {
            log.emerg("Modules linked in: %s", m.name);
        }
        addTaint(TAINT_DIE, null);
    }

    private void addTaint(int flag, String message) {
        if (message != null) {
            log.warn("%s", message);
        }
        if (taint == 0 && message != null) {
            log.warn("Disabling lock debugging due to kernel taint");
        }
        taint |= flag;
    }

    /** Linux's print_tainted(): "G" when clean, else the flag letters. */
    String taintString() {
        if (taint == 0) {
            return "G  ";
        }
        return ((taint & TAINT_PROPRIETARY_MODULE) != 0 ? "P" : "G") + "   " + ((taint & TAINT_DIE) != 0 ? "D" : " ");
    }

    // ------------------------------------------------------------------ symbols

    public KernelFunction resolve(LoadedModule user, String name) {
        long addr = resolveAddress(user, name);
        return (a, b, c, d, f, g) -> callThrough(user, addr, a, b, c, d, f, g);
    }

    /** The address of an export user may use (recording the use), or UnresolvedSymbol. */
    public long resolveAddress(LoadedModule user, String name) {
        Symbols.Export e = symbols.find(name);
        if (e == null || e.gplOnly() && !user.ko.gplCompatible()) {
            throw new UnresolvedSymbol(name);
        }
        if (e.owner() != null && e.owner() != user && user.uses.add(e.owner())) {
            e.owner().usedBy.add(user);
        }
        return e.address();
    }

    // ------------------------------------------------------------------ references

    int state(LoadedModule m) {
        return cpu.read32(m.data + LoadedModule.OFF_STATE);
    }

    private void setState(LoadedModule m, int s) {
        cpu.write32(m.data + LoadedModule.OFF_STATE, s);
    }

    /** /sys/module/NAME/placement: "kernel", or "server PID". */
    public String placementName(LoadedModule m) {
        return m.serverPid > 0 ? "server " + m.serverPid : "kernel";
    }

    /** Records something m registered, with how to undo it at unload. */
    public void registered(LoadedModule m, String what, Runnable undo) {
        m.registrations.add(new LoadedModule.Registration(what, undo));
    }

    public void unregistered(LoadedModule m, String what) {
        m.registrations.removeIf(r -> r.what().equals(what));
    }

    /** /sys/module/NAME/initstate. */
    public String stateName(LoadedModule m) {
        int s = state(m);
        return s == LoadedModule.LIVE ? "live" : s == LoadedModule.COMING ? "coming" : "going";
    }

    public int refcount(LoadedModule m) {
        return cpu.read32(m.data + LoadedModule.OFF_REFCNT);
    }

    /** try_module_get: false while the module is going away. */
    public boolean get(LoadedModule m) {
        if (m == null) {
            return true;
        }
        if (state(m) == LoadedModule.GOING) {
            return false;
        }
        cpu.write32(m.data + LoadedModule.OFF_REFCNT, refcount(m) + 1);
        return true;
    }

    public void put(LoadedModule m) {
        if (m != null && modules.get(m.name) == m) {
            cpu.write32(m.data + LoadedModule.OFF_REFCNT, Math.max(0, refcount(m) - 1));
        }
    }

    // ------------------------------------------------------------------ unload

    /** delete_module: 0 or a negative errno, with Linux's checks in Linux's order (no forced unload). */
    public int unload(String name) {
        LoadedModule m = modules.get(name);
        if (m == null || m.builtin) {
            if (m != null) {
                log.err("Module %s is builtin", name);
            }
            return -Errno.ENOENT;
        }
        if (!m.usedBy.isEmpty()) {
            return -Errno.EAGAIN;
        }
        if (state(m) != LoadedModule.LIVE) {
            return -Errno.EBUSY;
        }
        if (refcount(m) != 0) {
            return -Errno.EBUSY;
        }
        setState(m, LoadedModule.GOING);
        m.placement.stop(m);
        discard(m);
        log.info("%s: unloaded", name);
        return 0;
    }

    /** Undoes registrations, frees memory and text, and forgets the module. */
    private void discard(LoadedModule m) {
        List<LoadedModule.Registration> regs = new ArrayList<>(m.registrations);
        java.util.Collections.reverse(regs);
        for (LoadedModule.Registration r : regs) {
            r.undo().run();
        }
        m.registrations.clear();
        if (m.placement != null) {
            m.placement.release(m);
        }
        long leaked = kmalloc.freeAll(m);
        if (leaked > 0 && state(m) == LoadedModule.GOING) {
            log.warn("%s: freed %d bytes of kmalloc memory the module did not free", m.name, leaked);
        }
        for (LoadedModule u : m.uses) {
            u.usedBy.remove(m);
        }
        symbols.removeModule(m);
        for (int id : m.routines) {
            text.removeRoutine(id);
        }
        for (long page : m.textPages) {
            area.unmap(page, 1);
        }
        area.unmap(m.data, 1);
        modules.remove(m.name);
        m.instance = null;
        m.loader = null;
    }

    // ------------------------------------------------------------------ reports

    /**
     * /proc/modules: name size refcount users state address taint, then where the module
     * runs in brackets ([kernel], or [server:PID] for a ring-3 server).
     */
    public String procModules(boolean showAddresses) {
        StringBuilder sb = new StringBuilder();
        List<LoadedModule> all = new ArrayList<>(modules.values());
        java.util.Collections.reverse(all);
        for (LoadedModule m : all) {
            if (m.builtin) {
                continue;
            }
            StringBuilder users = new StringBuilder();
            for (LoadedModule u : m.usedBy) {
                users.append(u.name).append(',');
            }
            int st = state(m);
            sb.append(String.format("%s %d %d %s %s 0x%016x%s [%s]%n", m.name, size(m), refcount(m) + m.usedBy.size(),
                users.length() == 0 ? "-" : users, st == LoadedModule.LIVE ? "Live" : st == LoadedModule.COMING
                    ? "Loading" : "Unloading", showAddresses ? m.textBase : 0L, m.ko.gplCompatible() ? "" : " (P)",
                m.serverPid > 0 ? "server:" + m.serverPid : "kernel"));
        }
        return sb.toString();
    }

    /** Bytes the module occupies: its image rounded to pages plus text and data pages. */
    public long size(LoadedModule m) {
        return Layout.pageUp(m.ko.size) + (m.textPages.size() + 1) * Layout.PAGE_SIZE;
    }

    /** /proc/kallsyms; addresses are zero unless the reader may see them (kptr_restrict). */
    public String kallsyms(boolean showAddresses) {
        StringBuilder sb = new StringBuilder();
        for (Symbols.Sym s : symbols.all()) {
            sb.append(String.format("%016x %c %s", showAddresses ? s.address() : 0L, s.type(), s.name()));
            if (s.module() != null) {
                sb.append("\t[").append(s.module()).append(']');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** /sys/module/NAME/parameters/PARAM, or null. */
    public String paramValue(String module, String param) {
        LoadedModule m = modules.get(module);
        LoadedModule.Param p = m == null ? null : m.params.get(param);
        return p == null ? null : p.show() + "\n";
    }

    public List<String> paramNames(String module) {
        LoadedModule m = modules.get(module);
        return m == null ? List.of() : new ArrayList<>(m.params.keySet());
    }

    /**
     * A write to /sys/module/NAME/parameters/PARAM (mode 0644 and the like): parses the
     * value as the parameter's type. 0 or -EINVAL.
     */
    public int setParam(String module, String param, String text) {
        LoadedModule m = modules.get(module);
        LoadedModule.Param p = m == null ? null : m.params.get(param);
        if (p == null) {
            return -Errno.ENOENT;
        }
        String v = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        try {
            switch (p.type) {
                case "long": p.value = Long.decode(v.trim()); break;
                case "bool": {
                    String b = v.trim();
                    if (b.equals("1") || b.equalsIgnoreCase("y")) {
                        p.value = true;
                    } else if (b.equals("0") || b.equalsIgnoreCase("n")) {
                        p.value = false;
                    } else {
                        return -Errno.EINVAL;
                    }
                    break;
                }
                default: p.value = v; break;
            }
        } catch (NumberFormatException e) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    public int paramPerm(String module, String param) {
        LoadedModule.Param p = modules.get(module).params.get(param);
        return p.perm;
    }
}
