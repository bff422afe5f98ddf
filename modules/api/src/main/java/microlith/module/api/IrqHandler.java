package microlith.module.api;

/** An interrupt handler (Linux's irq_handler_t). Runs in interrupt context: never block. */
@FunctionalInterface
public interface IrqHandler {
    int IRQ_NONE = 0, IRQ_HANDLED = 1;

    /** Returns IRQ_HANDLED if this device raised the interrupt, else IRQ_NONE. */
    int handle(int irq);
}
