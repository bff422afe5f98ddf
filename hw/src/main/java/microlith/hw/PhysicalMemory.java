package microlith.hw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The machine's RAM: one flat little-endian byte array addressed by physical address.
 *
 * <p>Reads beyond the installed size return all ones and writes there are dropped, as an
 * unclaimed bus cycle does on a PC. Every write also drops the predecoded instructions of
 * the page it touches ({@link #codeCache}), so self-modifying code and a loader that
 * overwrites a text page both see the new bytes.
 */
public final class PhysicalMemory {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] ram;
    private final long size;
    /** Per physical page: the CPU's predecoded instructions for it, or null. Owned by the CPU. */
    public final microlith.hw.cpu.decode.DecodedPage[] codeCache;

    public PhysicalMemory(long sizeBytes) {
        if (sizeBytes < 16L << 20 || sizeBytes > 1L << 30 || (sizeBytes & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("memory size must be a multiple of 4 KiB between 16 MiB and 1 GiB");
        }
        this.size = sizeBytes;
        this.ram = new byte[(int) sizeBytes];
        this.codeCache = new microlith.hw.cpu.decode.DecodedPage[(int) (sizeBytes >>> PAGE_SHIFT)];
    }

    public long size() {
        return size;
    }

    /**
     * The RAM itself, for the CPU's translated code, whose TLB-hit path reads and writes it
     * as the unchecked accessors below do (and calls them when a write hits a page with
     * predecoded instructions).
     */
    public byte[] ramArray() {
        return ram;
    }

    public boolean contains(long pa, int len) {
        return pa >= 0 && pa + len <= size;
    }

    private void touched(long pa) {
        int ppn = (int) (pa >>> PAGE_SHIFT);
        microlith.hw.cpu.decode.DecodedPage page = codeCache[ppn];
        if (page != null) {
            page.valid = false;
            codeCache[ppn] = null;
        }
    }

    /*
     * Unchecked accessors for the CPU's TLB-hit path: the caller guarantees pa lies in RAM
     * (the TLB only tags RAM frames) and the access does not cross a page.
     */

    public long read64Fast(long pa) {
        return (long) I64.get(ram, (int) pa);
    }

    public int read32Fast(long pa) {
        return (int) I32.get(ram, (int) pa);
    }

    public int read16Fast(long pa) {
        return (short) I16.get(ram, (int) pa) & 0xffff;
    }

    public int read8Fast(long pa) {
        return ram[(int) pa] & 0xff;
    }

    public void write8Fast(long pa, int v) {
        touched(pa);
        ram[(int) pa] = (byte) v;
    }

    public void write64Fast(long pa, long v) {
        touched(pa);
        I64.set(ram, (int) pa, v);
    }

    public void write32Fast(long pa, int v) {
        touched(pa);
        I32.set(ram, (int) pa, v);
    }

    public int read8(long pa) {
        return pa >= 0 && pa < size ? ram[(int) pa] & 0xff : 0xff;
    }

    public int read16(long pa) {
        if ((pa & (PAGE_SIZE - 1)) <= PAGE_SIZE - 2 && contains(pa, 2)) {
            return (short) I16.get(ram, (int) pa) & 0xffff;
        }
        return read8(pa) | read8(pa + 1) << 8;
    }

    public int read32(long pa) {
        if (contains(pa, 4)) {
            return (int) I32.get(ram, (int) pa);
        }
        return read16(pa) | read16(pa + 2) << 16;
    }

    public long read64(long pa) {
        if (contains(pa, 8)) {
            return (long) I64.get(ram, (int) pa);
        }
        return (read32(pa) & 0xffffffffL) | (long) read32(pa + 4) << 32;
    }

    public void write8(long pa, int v) {
        if (pa >= 0 && pa < size) {
            touched(pa);
            ram[(int) pa] = (byte) v;
        }
    }

    public void write16(long pa, int v) {
        if (contains(pa, 2) && (pa & (PAGE_SIZE - 1)) <= PAGE_SIZE - 2) {
            touched(pa);
            I16.set(ram, (int) pa, (short) v);
        } else {
            write8(pa, v);
            write8(pa + 1, v >>> 8);
        }
    }

    public void write32(long pa, int v) {
        if (contains(pa, 4) && (pa & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
            touched(pa);
            I32.set(ram, (int) pa, v);
        } else {
            write16(pa, v);
            write16(pa + 2, v >>> 16);
        }
    }

    public void write64(long pa, long v) {
        if (contains(pa, 8) && (pa & (PAGE_SIZE - 1)) <= PAGE_SIZE - 8) {
            touched(pa);
            I64.set(ram, (int) pa, v);
        } else {
            write32(pa, (int) v);
            write32(pa + 4, (int) (v >>> 32));
        }
    }

    /** Copies host bytes into RAM (a loader's or DMA's path). */
    public void writeBytes(long pa, byte[] src, int off, int len) {
        if (!contains(pa, len)) {
            throw new IllegalArgumentException("physical range out of RAM: 0x" + Long.toHexString(pa));
        }
        for (long p = pa & ~(PAGE_SIZE - 1L); p < pa + len; p += PAGE_SIZE) {
            touched(p);
        }
        System.arraycopy(src, off, ram, (int) pa, len);
    }

    public void readBytes(long pa, byte[] dst, int off, int len) {
        if (!contains(pa, len)) {
            throw new IllegalArgumentException("physical range out of RAM: 0x" + Long.toHexString(pa));
        }
        System.arraycopy(ram, (int) pa, dst, off, len);
    }

    public void fill(long pa, int len, byte value) {
        if (!contains(pa, len)) {
            throw new IllegalArgumentException("physical range out of RAM: 0x" + Long.toHexString(pa));
        }
        for (long p = pa & ~(PAGE_SIZE - 1L); p < pa + len; p += PAGE_SIZE) {
            touched(p);
        }
        java.util.Arrays.fill(ram, (int) pa, (int) (pa + len), value);
    }
}
