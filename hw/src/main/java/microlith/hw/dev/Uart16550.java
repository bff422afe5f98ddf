package microlith.hw.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import microlith.hw.io.PortDevice;

/**
 * A 16550A-style UART: the registers a driver touches for polled and interrupt-driven
 * I/O at 8N1. Transmitted bytes go to a host stream at once (the line is infinitely
 * fast); received bytes come from a host stream, but only when the machine asks for them
 * by idling ({@link #pullInput}), so that input arrives at the same simulated moment on
 * every run.
 *
 * <pre>
 * offset  DLAB=0 read   DLAB=0 write   DLAB=1
 *   0     RBR           THR            DLL
 *   1     IER           IER            DLM
 *   2     IIR           FCR
 *   3     LCR           LCR
 *   4     MCR           MCR
 *   5     LSR
 *   6     MSR
 *   7     SCR           SCR
 * LSR: bit 0 DR (data ready), bit 5 THRE, bit 6 TEMT
 * IER: bit 0 received data available, bit 1 THR empty, bit 3 modem status change
 * MSR: bit 3 DDCD (carrier changed since the last read), bit 4 CTS, bit 5 DSR, bit 7 DCD
 * IIR: 0x04 received data, 0x02 THR empty, 0x00 modem status, 0x01 none (highest first)
 * </pre>
 *
 * The line's carrier (DCD) is up from power-on; {@link #hangUp} drops it, as a modem or
 * the other end of a null-modem cable does when it goes away.
 */
public final class Uart16550 implements PortDevice {
    public static final int COM1 = 0x3F8;
    public static final int COM2 = 0x2F8;
    public static final int COM3 = 0x3E8;

    private final int base;
    private final Irq irq;
    private InputStream in;
    private final OutputStream out;
    private final ArrayDeque<Integer> rx = new ArrayDeque<>();
    private boolean inputClosed;
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int dll = 1;
    private int dlm;
    private boolean thrEmptyPending = true;
    private boolean carrier = true;
    private boolean carrierChanged;
    private boolean dirty;

    /** The interrupt line this UART drives. */
    public interface Irq {
        void set(boolean level);
    }

    public Uart16550(int base, Irq irq, InputStream in, OutputStream out) {
        this.base = base;
        this.irq = irq;
        this.in = in;
        this.out = out;
        this.inputClosed = in == null;
    }

    public int base() {
        return base;
    }

    /** Queues bytes as if they had arrived on the line. */
    public void inject(byte[] bytes) {
        for (byte b : bytes) {
            rx.add(b & 0xff);
        }
        updateIrq();
    }

    public boolean hasInput() {
        return !rx.isEmpty();
    }

    public boolean inputClosed() {
        return inputClosed && rx.isEmpty();
    }

    /** Whether the host stream has ended (bytes already received may still be queued). */
    public boolean hostInputEnded() {
        return inputClosed;
    }

    public boolean carrier() {
        return carrier;
    }

    /** Drops the carrier (DCD), raising a modem-status interrupt if the driver asked for one. */
    public void hangUp() {
        if (carrier) {
            carrier = false;
            carrierChanged = true;
            updateIrq();
        }
    }

    /**
     * Called when the machine idles waiting for an interrupt: blocks on the host stream
     * for at least one byte, then takes whatever else is already available.
     * Returns false when the host stream is at end of file.
     */
    public boolean pullInput() {
        if (inputClosed) {
            return false;
        }
        flush();
        try {
            int b = in.read();
            if (b < 0) {
                inputClosed = true;
                return false;
            }
            rx.add(b);
            int avail = in.available();
            if (avail > 0) {
                byte[] more = new byte[Math.min(avail, 4096)];
                int n = in.read(more);
                for (int k = 0; k < n; k++) {
                    rx.add(more[k] & 0xff);
                }
            }
        } catch (IOException e) {
            inputClosed = true;
            return false;
        }
        updateIrq();
        return true;
    }

    /**
     * Takes whatever the host has already typed, without blocking. Used only for
     * interactive sessions, where a busy guest must still see keys as they come
     * (timing then depends on the typist, so such runs are not reproducible).
     */
    public void pollInput() {
        if (inputClosed) {
            return;
        }
        try {
            int avail = in.available();
            if (avail <= 0) {
                return;
            }
            byte[] more = new byte[Math.min(avail, 4096)];
            int n = in.read(more);
            if (n < 0) {
                inputClosed = true;
                return;
            }
            for (int k = 0; k < n; k++) {
                rx.add(more[k] & 0xff);
            }
        } catch (IOException e) {
            inputClosed = true;
            return;
        }
        updateIrq();
    }

    public void flush() {
        if (dirty) {
            try {
                out.flush();
            } catch (IOException ignored) {
                // The host side went away; the simulated line keeps working.
            }
            dirty = false;
        }
    }

    private boolean dlab() {
        return (lcr & 0x80) != 0;
    }

    private void updateIrq() {
        boolean level = ((ier & 1) != 0 && !rx.isEmpty()) || ((ier & 2) != 0 && thrEmptyPending)
            || ((ier & 8) != 0 && carrierChanged);
        if (irq != null) {
            irq.set(level);
        }
    }

    @Override
    public int in(int port, int size) {
        switch (port - base) {
            case 0:
                if (dlab()) {
                    return dll;
                }
                int v = rx.isEmpty() ? 0 : rx.poll();
                updateIrq();
                return v;
            case 1: return dlab() ? dlm : ier;
            case 2: {
                int id;
                if ((ier & 1) != 0 && !rx.isEmpty()) {
                    id = 0x04;
                } else if ((ier & 2) != 0 && thrEmptyPending) {
                    id = 0x02;
                    thrEmptyPending = false;
                    updateIrq();
                } else if ((ier & 8) != 0 && carrierChanged) {
                    id = 0x00;
                } else {
                    id = 0x01;
                }
                return id | 0xC0;
            }
            case 3: return lcr;
            case 4: return mcr;
            case 5: return (rx.isEmpty() ? 0 : 1) | 0x60;
            case 6: {
                // DSR and CTS always; DCD while the carrier is up; reading clears the delta.
                int msr = 0x30 | (carrier ? 0x80 : 0) | (carrierChanged ? 0x08 : 0);
                carrierChanged = false;
                updateIrq();
                return msr;
            }
            default: return scr;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        value &= 0xff;
        switch (port - base) {
            case 0:
                if (dlab()) {
                    dll = value;
                    return;
                }
                try {
                    out.write(value);
                    dirty = true;
                } catch (IOException ignored) {
                    // Host side closed: drop the byte, as a disconnected line would.
                }
                thrEmptyPending = true;
                updateIrq();
                return;
            case 1:
                if (dlab()) {
                    dlm = value;
                } else {
                    ier = value & 0x0f;
                    if ((ier & 2) != 0) {
                        thrEmptyPending = true;
                    }
                    updateIrq();
                }
                return;
            case 3: lcr = value; return;
            case 4: mcr = value; return;
            case 7: scr = value; return;
            default:
        }
    }
}
