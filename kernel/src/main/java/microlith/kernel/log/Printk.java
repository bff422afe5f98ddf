package microlith.kernel.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import microlith.hw.CostModel;
import microlith.hw.cpu.Cpu;

/**
 * The kernel log: printk with Linux's log levels, a dmesg ring of records stamped with
 * simulated time, and output to the console UART through port I/O.
 */
public final class Printk {
    public static final int EMERG = 0, ALERT = 1, CRIT = 2, ERR = 3, WARNING = 4, NOTICE = 5, INFO = 6, DEBUG = 7;
    private static final int RING_MAX = 4096;

    /** One dmesg record. */
    public static final class Record {
        public final long nanos;
        public final int level;
        public final String text;

        Record(long nanos, int level, String text) {
            this.nanos = nanos;
            this.level = level;
            this.text = text;
        }

        public String format() {
            return String.format("[%5d.%06d] %s", nanos / 1_000_000_000L, nanos / 1000 % 1_000_000, text);
        }
    }

    private final Cpu cpu;
    private final List<Record> ring = new ArrayList<>();
    private int consolePort = -1;
    private int consoleLevel = 7;
    private boolean crlf;

    public Printk(Cpu cpu) {
        this.cpu = cpu;
    }

    /** Sends records at or above the level (numerically below) to the UART at port. */
    public void setConsole(int port, int level, boolean crlf) {
        this.consolePort = port;
        this.consoleLevel = level;
        this.crlf = crlf;
    }

    public void log(int level, String text) {
        Record r = new Record(CostModel.nanos(cpu.perf.cycles()), level, text);
        if (ring.size() == RING_MAX) {
            ring.remove(0);
        }
        ring.add(r);
        if (consolePort >= 0 && level < consoleLevel) {
            byte[] b = (r.format() + "\n").getBytes(StandardCharsets.UTF_8);
            for (byte x : b) {
                if (x == '\n' && crlf) {
                    cpu.out(consolePort, 1, '\r');
                }
                cpu.out(consolePort, 1, x & 0xff);
            }
        }
    }

    public void info(String fmt, Object... args) {
        log(INFO, args.length == 0 ? fmt : String.format(fmt, args));
    }

    public void notice(String fmt, Object... args) {
        log(NOTICE, args.length == 0 ? fmt : String.format(fmt, args));
    }

    public void warn(String fmt, Object... args) {
        log(WARNING, args.length == 0 ? fmt : String.format(fmt, args));
    }

    public void err(String fmt, Object... args) {
        log(ERR, args.length == 0 ? fmt : String.format(fmt, args));
    }

    public void emerg(String fmt, Object... args) {
        log(EMERG, args.length == 0 ? fmt : String.format(fmt, args));
    }

    public List<Record> records() {
        return ring;
    }
}
