package microlith.hw.cpu.translate;

/**
 * Bugs a test plants in the translator to show that the side-by-side comparison with the
 * interpreter catches them: a mechanism whose breakage no test notices is not tested.
 * Only tests set {@link #active}; it is read when a block is written.
 */
enum Planted {
    NONE,
    /** The fault handler throws on without writing the block's registers and flags back. */
    FAULT_WITHOUT_WRITE_BACK,
    /** The fault handler counts one instruction more than had retired at the fault. */
    FAULT_COUNTS_ONE_MORE,
    /** A TLB miss inside a block leaves the pages the block remembers as they were. */
    RECENT_PAGES_KEPT_AFTER_MISS;

    static volatile Planted active = NONE;
}
