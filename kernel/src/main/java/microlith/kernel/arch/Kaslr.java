package microlith.kernel.arch;

import java.util.SplittableRandom;
import microlith.kernel.mm.Layout;

/**
 * Kernel address-space layout randomization: where the kernel image and the module area
 * start (Linux's arch/x86/boot/compressed/kaslr.c for the kernel, and the load offset
 * module_alloc adds for modules). The choice comes from the boot's seed, so one seed
 * gives one layout, run after run, and another seed another.
 *
 * <pre>
 * kernel text  0xffffffff81000000 + n * 2 MiB   n in [0, SLOTS)   (CONFIG_PHYSICAL_ALIGN steps,
 *                                                                   the image below the module area)
 * modules      0xffffffffa0000000 + m * 4 KiB   m in [1, 1024]   (get_module_load_offset)
 * </pre>
 *
 * Only virtual addresses move: the image stays at physical 2 MiB, where the boot loader
 * put it. Linux randomizes the physical address and the direct map's base as well.
 */
public final class Kaslr {
    public static final long ALIGN = 2L << 20;
    /** Room kept for the image below the module area: the highest slot still fits this much. */
    public static final long IMAGE_MAX = 32L << 20;
    public static final int SLOTS = (int) ((Layout.MODULES_VADDR - Layout.KERNEL_TEXT - IMAGE_MAX) / ALIGN) + 1;
    public static final int MODULE_PAGES = 1024;
    /** Mixed into the seed, so that the layout is not the AT_RANDOM stream's first draw. */
    private static final long SALT = 0x4b41534c52L;

    private Kaslr() {
    }

    private static SplittableRandom random(long seed) {
        return new SplittableRandom(seed ^ SALT);
    }

    /** Where the kernel text starts: the link address, or slid by a multiple of 2 MiB. */
    public static long textBase(boolean randomize, long seed) {
        return randomize ? Layout.KERNEL_TEXT + random(seed).nextInt(SLOTS) * ALIGN : Layout.KERNEL_TEXT;
    }

    /** Where the module area's first mapping goes: MODULES_VADDR, or 1 to 1024 pages above it. */
    public static long moduleBase(boolean randomize, long seed) {
        if (!randomize) {
            return Layout.MODULES_VADDR;
        }
        SplittableRandom r = random(seed);
        r.nextInt(SLOTS);
        return Layout.MODULES_VADDR + (1 + r.nextInt(MODULE_PAGES)) * Layout.PAGE_SIZE;
    }
}
