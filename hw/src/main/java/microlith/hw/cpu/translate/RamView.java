package microlith.hw.cpu.translate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The views of RAM's byte array that a block's TLB-hit path reads and writes through,
 * the same little-endian views {@code PhysicalMemory} uses. Generated code invokes them
 * directly: as constants of a static final field they inline completely, and the JIT's
 * "force inline" methods behind them do not count against its inlining budget, so a large
 * block's last access inlines as its first does.
 */
final class RamView {
    static final String T = "microlith/hw/cpu/translate/RamView";
    static final String VH_T = "java/lang/invoke/VarHandle";
    static final String VH_D = "Ljava/lang/invoke/VarHandle;";

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RamView() {
    }

    /** The field of the view for {@code size} bytes (2, 4 or 8). */
    static String field(int size) {
        return size == 2 ? "I16" : size == 4 ? "I32" : "I64";
    }

    /** The JVM type letter of a {@code size}-byte value. */
    static String type(int size) {
        return size == 1 ? "B" : size == 2 ? "S" : size == 4 ? "I" : "J";
    }
}
