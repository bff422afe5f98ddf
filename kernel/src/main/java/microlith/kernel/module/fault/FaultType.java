package microlith.kernel.module.fault;

/**
 * The faults the linker can put into a module's bytecode, modelled on the software fault
 * injection campaigns run on MINIX 3's drivers (Herder et al., "Fault Isolation for Device
 * Drivers", DSN 2009), which in turn follow the binary-level fault types of Ng and Chen's
 * and Swift et al.'s studies: what a common programming or hardware error does to code.
 */
public enum FaultType {
    /** An arithmetic or logic instruction's result has one bit flipped. */
    ARITH("arith", "wrong arithmetic result"),
    /** A conditional branch goes the other way (IFEQ becomes IFNE, IF_ICMPLT IF_ICMPGE...). */
    BRANCH("branch", "inverted branch"),
    /** The address handed to a kernel-memory access (ctx.read*, write*, readBytes, writeBytes) has one bit flipped. */
    POINTER("pointer", "corrupted pointer handed to a memory access"),
    /** Before an instruction, an 8-byte write of a random value to a random kernel address. */
    WILD("wild", "wild write to a random kernel address"),
    /** Before an instruction, a division by zero: the exception a crashing instruction raises. */
    EXCEPTION("exception", "exception at a random point"),
    /** Before an instruction, a loop that never ends. */
    LOOP("loop", "endless loop"),
    /** An int or long return value has one bit flipped. */
    RETURN("return", "wrong return value"),
    /** The interrupt handler a request_irq names is replaced by one that claims the interrupt and never acknowledges the device. */
    IRQACK("irqack", "missed IRQ acknowledgement");

    /** The name on the command line and in reports. */
    public final String key;
    public final String description;

    FaultType(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The type named key, or null. */
    public static FaultType of(String key) {
        for (FaultType t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        return null;
    }
}
