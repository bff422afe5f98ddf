package microlith.hw.dev;

import microlith.hw.io.PortDevice;

/**
 * Power-off with an exit status, in the manner of QEMU's isa-debug-exit device: a 32-bit
 * OUT of value v to port 0xF4 turns the machine off and reports status v to the host.
 */
public final class PowerPort implements PortDevice {
    public static final int PORT = 0xF4;

    /** Receives the status written by the guest. */
    public interface Sink {
        void powerOff(int status);
    }

    private final Sink sink;

    public PowerPort(Sink sink) {
        this.sink = sink;
    }

    @Override
    public int in(int port, int size) {
        return 0;
    }

    @Override
    public void out(int port, int size, int value) {
        sink.powerOff(value);
    }
}
