package microlith.hw.io;

/**
 * The 64 KiB x86 I/O port space. Unclaimed ports read as all ones and ignore writes, as
 * on an ISA bus with nothing decoding the address.
 */
public final class IoBus {
    private final PortDevice[] ports = new PortDevice[0x10000];

    public void register(int first, int last, PortDevice device) {
        for (int p = first; p <= last; p++) {
            if (ports[p] != null) {
                throw new IllegalStateException("port 0x" + Integer.toHexString(p) + " already claimed");
            }
            ports[p] = device;
        }
    }

    public int in(int port, int size) {
        PortDevice d = ports[port & 0xffff];
        if (d == null) {
            return size == 1 ? 0xff : size == 2 ? 0xffff : -1;
        }
        return d.in(port & 0xffff, size);
    }

    public void out(int port, int size, int value) {
        PortDevice d = ports[port & 0xffff];
        if (d != null) {
            d.out(port & 0xffff, size, value);
        }
    }
}
