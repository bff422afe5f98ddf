package microlith.kernel.syscall;

/**
 * The system calls only servers make (numbers above Linux's range; ENOSYS for any other
 * process): SYS_IPC_REPLY_RECV (512) and SYS_IPC_CALL (513). See ipc.IpcCore and the ABI
 * in microlith.server.abi.Ipc.
 */
final class SysIpc {
    private final Services k;

    SysIpc(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("ipc_reply_recv", (task, a, b, c, d, e, f) -> k.ipc.replyRecv(task));
        t.register("ipc_call", (task, endpoint, b, c, d, e, f) -> k.ipc.kernelCall(task, endpoint));
    }
}
