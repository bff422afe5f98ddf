package microlith.hw;

/**
 * The boot loader's hand-off page (like Linux's "zero page"), written at physical
 * {@link #ADDRESS}; RSI holds that address when the kernel's entry point runs.
 *
 * <pre>
 * offset  size  field
 * 0x00    4     magic "MLBP" (0x50424c4d little-endian)
 * 0x08    8     installed memory in bytes
 * 0x10    8     command line: physical address (NUL-terminated)
 * 0x18    8     command line: length
 * 0x20    8     initrd: physical address (0 if none)
 * 0x28    8     initrd: size
 * 0x30    8     kernel image: physical load address
 * 0x38    8     kernel image: size
 * 0x40    8     boot page tables: physical address of the PML4
 * 0x48    8     setup data: physical address (0 if none), a blob for the kernel to interpret
 * 0x50    8     setup data: size
 * </pre>
 *
 * The boot loader leaves paging on with an identity map of the first 1 GiB and a high
 * map from {@link #KERNEL_MAP} (2 MiB pages) that puts {@link #KERNEL_LINK} on
 * {@link #KERNEL_LOAD_PHYS}, so the kernel entry at its high-half address can run before
 * the kernel builds its own tables.
 */
public final class BootParams {
    public static final long ADDRESS = 0x7000;
    public static final int MAGIC = 0x50424c4d;
    public static final long CMDLINE = 0x8000;
    public static final int CMDLINE_MAX = 4096;
    /**
     * Where the boot loader puts the kernel image: 2 MiB, the lowest 2 MiB-aligned address
     * above the first megabyte (Linux's CONFIG_PHYSICAL_START may be as low as this), so
     * the whole machine fits in the documented minimum of 16 MiB.
     */
    public static final long KERNEL_LOAD_PHYS = 0x20_0000;
    /** The virtual address the kernel image is linked at (its first byte, startup_64). */
    public static final long KERNEL_LINK = 0xffff_ffff_8100_0000L;
    public static final long KERNEL_MAP = 0xffff_ffff_8000_0000L;
    public static final long BOOT_PML4 = 0x1000;
    public static final long BOOT_GDT = 0x6000;

    public static final int OFF_MAGIC = 0x00;
    public static final int OFF_MEM_SIZE = 0x08;
    public static final int OFF_CMDLINE = 0x10;
    public static final int OFF_CMDLINE_LEN = 0x18;
    public static final int OFF_INITRD = 0x20;
    public static final int OFF_INITRD_SIZE = 0x28;
    public static final int OFF_KERNEL = 0x30;
    public static final int OFF_KERNEL_SIZE = 0x38;
    public static final int OFF_BOOT_PML4 = 0x40;
    public static final int OFF_SETUP_DATA = 0x48;
    public static final int OFF_SETUP_DATA_SIZE = 0x50;

    private BootParams() {
    }
}
