package microlith.hw.cpu;

/** What the CPU sees of an interrupt controller: the INTR line and the INTA cycle. */
public interface InterruptController {
    boolean hasInterrupt();

    /** Acknowledges the highest-priority pending request and returns its vector. */
    int acknowledge();
}
