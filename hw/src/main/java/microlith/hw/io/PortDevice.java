package microlith.hw.io;

/** A device that answers IN and OUT on the ports it was registered for. */
public interface PortDevice {
    /** @param size 1, 2 or 4 bytes */
    int in(int port, int size);

    void out(int port, int size, int value);
}
