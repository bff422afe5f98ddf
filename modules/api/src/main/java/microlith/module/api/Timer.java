package microlith.module.api;

/**
 * A kernel timer on simulated time (Linux's timer_list). Its callback runs from the timer
 * interrupt once jiffies reach the expiry; it runs once per {@link #mod}.
 */
public interface Timer {
    /** Arms (or re-arms) the timer to fire at the given jiffies value (mod_timer). */
    void mod(long expiresJiffies);

    /** Disarms it; returns whether it was pending (del_timer). */
    boolean delete();

    boolean pending();
}
