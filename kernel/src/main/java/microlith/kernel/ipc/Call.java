package microlith.kernel.ipc;

import microlith.kernel.task.Task;

/**
 * One synchronous request being served: who it is for (the client whose system call led
 * here, whose identity the message carries), its grant, and the reply once it comes.
 */
final class Call {
    final ServerProcess server;
    final Task client;
    final Grant grant;
    boolean done;
    /** MR0.. of the reply; MR0 is the result. */
    long[] reply;
    byte[] replyBytes;

    Call(ServerProcess server, Task client, Grant grant) {
        this.server = server;
        this.client = client;
        this.grant = grant;
    }
}
