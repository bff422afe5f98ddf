package microlith.hw.dev;

import microlith.hw.CostModel;
import microlith.hw.io.PortDevice;

/**
 * Channel 0 of an 8254 programmable interval timer, wired to IRQ 0 as on the PC. The
 * counter runs at 1.193182 MHz of simulated time (derived from the CPU cycle count), so
 * ticks fall on the same instruction on every run. Modes 2 and 3 are periodic (rate
 * generator, square wave), mode 0 fires once; the access mode must be lobyte/hibyte.
 *
 * <pre>
 * port 0x43 (command): bits 7-6 channel, 5-4 access (3 = lo then hi), 3-1 mode, 0 BCD
 * port 0x40: channel 0 reload value, low byte then high byte (0 means 65536)
 * </pre>
 */
public final class Pit8254 implements PortDevice {
    public static final long INPUT_HZ = 1_193_182;

    private int mode;
    private int reload;
    private boolean lowNext = true;
    private int pendingLow;
    /** Cycle of the next output pulse, or -1 when the channel is not counting. */
    private long nextFire = -1;
    private long period;
    private final java.util.function.LongSupplier cycles;

    public Pit8254(java.util.function.LongSupplier cycles) {
        this.cycles = cycles;
    }

    public long nextFire() {
        return nextFire;
    }

    /** Called by the board when simulated time reaches nextFire: returns true to pulse IRQ 0. */
    public boolean expire(long now) {
        if (nextFire < 0 || now < nextFire) {
            return false;
        }
        if (mode == 2 || mode == 3) {
            // Periodic: the next pulse is one period after this one, not after "now".
            long missed = (now - nextFire) / period;
            nextFire += (missed + 1) * period;
        } else {
            nextFire = -1;
        }
        return true;
    }

    @Override
    public int in(int port, int size) {
        if (port != 0x40 || nextFire < 0) {
            return 0;
        }
        long left = Math.max(0, nextFire - cycles.getAsLong());
        return (int) (left * INPUT_HZ / CostModel.CLOCK_HZ) & 0xff;
    }

    @Override
    public void out(int port, int size, int value) {
        value &= 0xff;
        if (port == 0x43) {
            if ((value >>> 6) == 0) {
                mode = (value >>> 1) & 7;
                if (mode > 5) {
                    mode -= 4; // modes 6 and 7 alias 2 and 3
                }
                lowNext = true;
                nextFire = -1;
            }
            return;
        }
        if (port != 0x40) {
            return;
        }
        if (lowNext) {
            pendingLow = value;
            lowNext = false;
            return;
        }
        lowNext = true;
        reload = pendingLow | value << 8;
        int count = reload == 0 ? 65536 : reload;
        period = Math.max(1, count * CostModel.CLOCK_HZ / INPUT_HZ);
        nextFire = cycles.getAsLong() + period;
    }
}
