package microlith.kernel.ipc;

import microlith.kernel.task.Task;

/**
 * A ring-3 server: the process a module runs in under the microkernel model, with the
 * physical pages of its IPC buffer and text, the request it is serving, and the
 * notifications waiting for it.
 */
public final class ServerProcess {
    public final Task task;
    public final String name;
    final long ipcBufferPhys;
    final long textPhys;
    /** What the module's deadline counts from: the watchdog's budget per request. */
    final long budget;
    boolean alive = true;
    /** The synchronous request being served, or null. */
    Call serving;
    long pendingIrqs;
    long pendingTimers;
    /** Why it failed, when it reported a fault before dying. */
    String fault;

    ServerProcess(Task task, String name, long ipcBufferPhys, long textPhys, long budget) {
        this.task = task;
        this.name = name;
        this.ipcBufferPhys = ipcBufferPhys;
        this.textPhys = textPhys;
        this.budget = budget;
    }

    public boolean alive() {
        return alive;
    }

    /** The client of the request being served (the task whose call led here), or null. */
    public Task client() {
        return serving == null ? null : serving.client;
    }

    @Override
    public String toString() {
        return name + "[" + task.pid + "]";
    }
}
