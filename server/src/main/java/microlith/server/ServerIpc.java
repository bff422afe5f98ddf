package microlith.server;

import microlith.hw.cpu.Cpu;

/**
 * What a Java program running in a server process has of the IPC ABI, for servers that
 * are not a module's (the reincarnation server): the message in its IPC buffer, kernel
 * calls to the core, and the trampoline's return. Everything goes through the CPU at
 * CPL 3, as for a module's server.
 */
public final class ServerIpc {
    private final Syscalls sys;
    private final Message msg;
    private final KernelCalls k;

    public ServerIpc(Cpu cpu) {
        UserMemory mem = new UserMemory(cpu);
        this.sys = new Syscalls(cpu);
        this.msg = new Message(cpu, mem);
        this.k = new KernelCalls(cpu, sys, msg, mem);
    }

    /** The trampoline's KCALL RESUME: a system call made through {@link #call} is back. */
    public void resume() {
        sys.resume();
    }

    public int label() {
        return msg.label();
    }

    /** The client's pid (whose call led to the request). */
    public long badge() {
        return msg.badge();
    }

    public long mr(int i) {
        return msg.mr(i);
    }

    /** The request's byte area as NUL-separated strings. */
    public String[] strings() {
        return msg.strings();
    }

    /** The reply: its label (the request's) and registers; text for the byte area, or null. */
    public void reply(int label, String text, long... mrs) {
        if (text != null) {
            msg.setStrings(text);
        }
        for (int i = 0; i < mrs.length; i++) {
            msg.setMr(i, mrs[i]);
        }
        msg.setLabel(label);
    }

    /** A kernel call with strings in the byte area; MR0 of the answer. */
    public long call(int op, String[] strings, long... mrs) {
        return k.callWith(op, strings, mrs);
    }

    /** The byte area of the last answer, as text. */
    public String answer() {
        return k.answerString();
    }
}
