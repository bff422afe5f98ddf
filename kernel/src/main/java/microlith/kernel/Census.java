package microlith.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * What the kernel holds, counted: the figures a fuzzing campaign compares with a
 * reference boot once every process it started is gone (tools/fuzz). Memory is counted
 * twice over: free pages plus the pages server processes hold (their pages and page
 * tables, which a server's heap keeps once it has grown, as a slab cache would), and
 * what is allocated from it, the kernel's kmalloc and the servers' heaps.
 *
 * @param freePages       the page allocator's free pages
 * @param serverPages     pages of server address spaces, table pages included
 * @param kmallocBytes    bytes the kernel's kmalloc hands out
 * @param kmallocPages    pages the kernel's kmalloc holds
 * @param serverHeaps     bytes each module running as a server holds in its heap, by name
 * @param tasks           tasks in the scheduler's table, zombies and servers included
 * @param timerProcesses  live processes with an armed alarm, itimer or POSIX timer
 */
public record Census(long freePages, long serverPages, long kmallocBytes, long kmallocPages,
                     SortedMap<String, Long> serverHeaps, int tasks, int timerProcesses) {

    /** What differs from ref, each difference one line naming what was left behind. */
    public List<String> differences(Census ref) {
        List<String> d = new ArrayList<>();
        long lost = ref.freePages + ref.serverPages - freePages - serverPages;
        if (lost != 0) {
            d.add(lost + " page(s) leaked (free " + freePages + " + servers' " + serverPages + ", reference "
                + ref.freePages + " + " + ref.serverPages + ")");
        }
        if (kmallocBytes != ref.kmallocBytes || kmallocPages != ref.kmallocPages) {
            d.add("kmalloc: " + kmallocBytes + " bytes in " + kmallocPages + " page(s), reference " + ref.kmallocBytes
                + " in " + ref.kmallocPages);
        }
        if (!serverHeaps.equals(ref.serverHeaps)) {
            d.add("servers' heaps: " + serverHeaps + " bytes, reference " + ref.serverHeaps);
        }
        if (tasks != ref.tasks) {
            d.add(tasks + " task(s) left, reference " + ref.tasks);
        }
        if (timerProcesses != ref.timerProcesses) {
            d.add(timerProcesses + " process(es) with live timers, reference " + ref.timerProcesses);
        }
        return d;
    }
}
