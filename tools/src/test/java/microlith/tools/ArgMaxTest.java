package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import microlith.kernel.proc.ArgLimits;
import microlith.kernel.proc.InitArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A program gets argv as large as Linux allows (ARG_MAX: 2 MiB of strings and pointers
 * with the default stack limit), without the 4 KiB kernel command line in the way;
 * beyond it, E2BIG with one clear line, as a shell reports it.
 */
class ArgMaxTest {
    private static List<String> numbers(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    private static String[] cmd(List<String> head, List<String> args) {
        List<String> all = new ArrayList<>(head);
        all.addAll(args);
        return all.toArray(new String[0]);
    }

    @Test
    void thousandsOfArgumentsReachTheProgram() {
        Cli r = Cli.run(cmd(List.of("run", "/bin/sysinfo"), numbers(5000)));
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).contains("argc: 5001\n", "argv[1]: 1\n", "argv[5000]: 5000\n", "argv[argc]: NULL\n");
    }

    @Test
    void execveTakesMoreThanFourThousandArguments() {
        Cli r = Cli.run(cmd(List.of("run", "/bin/sh", "-c", "/bin/sysinfo \"$@\" > /tmp/o; grep argc: /tmp/o", "sh"),
            numbers(5000)));
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).isEqualTo("argc: 5001\n");
    }

    /** Arguments of 100 KiB each (under MAX_ARG_STRLEN), then one of the size that exactly fills ARG_MAX. */
    private static List<String> filling(long extra) {
        List<String> args = new ArrayList<>();
        List<String> argv = new ArrayList<>(List.of("/bin/true"));
        while (true) {
            argv.add("x");
            if (!ArgLimits.fits("/bin/true", argv, InitArgs.DEFAULT_ENVP)) {
                argv.remove(argv.size() - 1);
                break;
            }
            argv.remove(argv.size() - 1);
            String big = "y".repeat(100 * 1024);
            argv.add(big);
            if (!ArgLimits.fits("/bin/true", argv, InitArgs.DEFAULT_ENVP)) {
                argv.remove(argv.size() - 1);
                // The last argument takes exactly what is left.
                int lo = 0;
                int hi = big.length();
                while (lo < hi) {
                    int mid = (lo + hi + 1) / 2;
                    argv.add("z".repeat(mid));
                    boolean ok = ArgLimits.fits("/bin/true", argv, InitArgs.DEFAULT_ENVP);
                    argv.remove(argv.size() - 1);
                    if (ok) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                argv.add("z".repeat((int) (lo + extra)));
                break;
            }
        }
        args.addAll(argv.subList(1, argv.size()));
        return args;
    }

    @Test
    @Timeout(120)
    void exactlyArgMaxRunsAndOneByteMoreIsE2big() {
        List<String> full = filling(0);
        Cli ok = Cli.run(cmd(List.of("run", "/bin/true"), full));
        assertThat(ok.status).as(ok.toString()).isZero();
        assertThat(ok.err).isEmpty();

        Cli over = Cli.run(cmd(List.of("run", "/bin/true"), filling(1)));
        assertThat(over.status).isEqualTo(126);
        assertThat(over.err.strip()).startsWith("microlith: /bin/true: Argument list too long").doesNotContain("\n");
    }

    @Test
    void oneArgumentOverMaxArgStrlenIsE2big() {
        Cli r = Cli.run("run", "/bin/true", "a".repeat(ArgLimits.MAX_ARG_STRLEN));
        assertThat(r.status).isEqualTo(126);
        assertThat(r.err).contains("Argument list too long");
        assertThat(Cli.run("run", "/bin/true", "a".repeat(ArgLimits.MAX_ARG_STRLEN - 1)).status).isZero();
    }
}
