package microlith.tools;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns the host's SIGINT into a stop request for the running machine. If the machine
 * does not stop promptly (it may be waiting for host input), the JVM exits with 130.
 */
final class CtrlC {
    private CtrlC() {
    }

    static Runnable install(Runnable onInterrupt) {
        Signal sig = new Signal("INT");
        SignalHandler previous;
        try {
            previous = Signal.handle(sig, s -> {
                onInterrupt.run();
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ignored) {
                        return;
                    }
                    System.out.flush();
                    System.err.println("microlith: interrupted");
                    Runtime.getRuntime().halt(130);
                });
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException e) {
            return () -> { };
        }
        SignalHandler prev = previous;
        return () -> Signal.handle(sig, prev);
    }
}
