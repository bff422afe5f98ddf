package microlith.hw;

import microlith.hw.cpu.JavaCallGate;

/**
 * What a boot loader needs from a kernel: the bytes to load, where its text runs, its
 * entry point, and (this machine's addition, see {@link JavaCallGate}) the Java routines
 * its KCALL instructions name.
 */
public interface KernelImage {
    /** The image loaded at {@link BootParams#KERNEL_LOAD_PHYS}. */
    byte[] image();

    /** Virtual address the image's first byte runs at. */
    long virtualBase();

    /** Virtual address of the entry point. */
    long entry();

    /** Length in bytes of the text at the start of the image whose KCALLs run Java. */
    long textSize();

    JavaCallGate.Routines routines();
}
