package microlith.kernel.arch;

import java.util.Map;
import java.util.TreeMap;

/**
 * Claimed I/O port ranges (Linux's ioport_resource), shown by /proc/ioports. The board's
 * own devices are claimed at boot; drivers claim theirs with request_region. Claims are
 * bookkeeping that keeps two drivers off one device; the CPU's IOPL and I/O bitmap are
 * what actually guard ports from user mode.
 */
public final class IoPorts {
    private record Region(int start, int end, String name) {
    }

    private final Map<Integer, Region> regions = new TreeMap<>();

    public IoPorts() {
        request(0x20, 2, "pic1");
        request(0x40, 4, "timer0");
        request(0xa0, 2, "pic2");
        request(0xf4, 1, "microlith-poweroff");
        request(0x3e8, 8, "serial (kernel log)");
    }

    /** Claims [start, start+n); false if any port is taken or the range is invalid. */
    public boolean request(int start, int n, String name) {
        int end = start + n - 1;
        if (n <= 0 || start < 0 || end > 0xffff) {
            return false;
        }
        for (Region r : regions.values()) {
            if (start <= r.end && end >= r.start) {
                return false;
            }
        }
        regions.put(start, new Region(start, end, name));
        return true;
    }

    /** The name holding any port of [first, last], or null. */
    public String holder(int first, int last) {
        for (Region r : regions.values()) {
            if (first <= r.end && last >= r.start) {
                return r.name;
            }
        }
        return null;
    }

    public void release(int start) {
        regions.remove(start);
    }

    /** /proc/ioports. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Region r : regions.values()) {
            sb.append(String.format("%04x-%04x : %s%n", r.start, r.end, r.name));
        }
        return sb.toString();
    }
}
