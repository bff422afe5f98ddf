package microlith.hw.cpu.translate;

import java.lang.reflect.Field;
import java.nio.ByteOrder;
import sun.misc.Unsafe;

/**
 * How a block's TLB-hit path reads RAM's byte array and the TLB's arrays: with
 * {@link Unsafe}'s plain accessors, which the JIT turns into single machine loads and
 * stores. A bounds check would be redundant on this path, and it is not free in a large
 * block, where the arrays' lengths are spilled and every access reloads them:
 * <ul>
 *   <li>the TLB's tag and frame arrays have {@code Mmu.TLB_SIZE} entries, and the slot is
 *       masked to that range;</li>
 *   <li>the TLB tags only RAM frames (see {@code PhysicalMemory}'s unchecked accessors),
 *       and the hit test keeps the access inside the page, so frame | offset, plus the
 *       access's size, lies inside RAM;</li>
 *   <li>so a hit's physical page number indexes {@code PhysicalMemory.codeCache}, which
 *       has an element per page of RAM.</li>
 * </ul>
 * The sun.misc accessors are marked for forced inlining, so, like the VarHandles used
 * before, they do not count against the JIT's inlining budget of a large method. Values
 * are in the host's byte order; guest memory is little-endian, so on a big-endian host
 * the generated code reverses the bytes ({@link #SWAP}).
 */
final class RamView {
    static final String T = "microlith/hw/cpu/translate/RamView";
    static final String UNSAFE_T = "sun/misc/Unsafe";
    static final String UNSAFE_D = "Lsun/misc/Unsafe;";

    static final Unsafe U = unsafe();
    /** Where element 0 of a byte[] and of a long[] lies in the array object. */
    static final long BYTES = U.arrayBaseOffset(byte[].class);
    static final long LONGS = U.arrayBaseOffset(long[].class);
    /** Element 0 of an Object[], and the bytes per element (4 with compressed references). */
    static final long REFERENCES = U.arrayBaseOffset(Object[].class);
    static final long REFERENCE_SCALE = U.arrayIndexScale(Object[].class);
    /** Whether loaded and stored values must be byte-reversed (a big-endian host). */
    static final boolean SWAP = ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN;

    private RamView() {
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The accessor's name for {@code size} bytes: getByte/putByte ... getLong/putLong. */
    static String accessor(boolean put, int size) {
        String type = size == 1 ? "Byte" : size == 2 ? "Short" : size == 4 ? "Int" : "Long";
        return (put ? "put" : "get") + type;
    }

    /** The JVM type letter of a {@code size}-byte value. */
    static String type(int size) {
        return size == 1 ? "B" : size == 2 ? "S" : size == 4 ? "I" : "J";
    }

    /** The static method that reverses a {@code size}-byte value's bytes (2, 4 or 8). */
    static String[] reverse(int size) {
        return size == 2 ? new String[] {"java/lang/Short", "(S)S"}
            : size == 4 ? new String[] {"java/lang/Integer", "(I)I"} : new String[] {"java/lang/Long", "(J)J"};
    }
}
