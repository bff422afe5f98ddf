package microlith.hw.cpu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;

/**
 * What the host-recorded vector tests share: reading a vector file (one vector a line,
 * '#' comments) and running one instruction form's vectors as a dynamic test that lists
 * the disagreements with the host CPU.
 */
public final class VectorFiles {
    private static final int SHOWN = 12;

    private VectorFiles() {
    }

    /** Parses every vector line of the resource /vectors/NAME.txt. */
    public static <V> List<V> load(String name, Function<String, V> parse) {
        List<V> list = new ArrayList<>();
        try (InputStream in = VectorFiles.class.getResourceAsStream("/vectors/" + name + ".txt")) {
            if (in == null) {
                throw new AssertionError("missing vectors/" + name + ".txt");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    list.add(parse.apply(line));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return list;
    }

    /**
     * One dynamic test for the vectors of one form: check returns null when the CPU
     * agrees with the host, else what differs; line gives the vector's text.
     */
    public static <V> DynamicTest form(String name, List<V> vectors, BiFunction<CpuFixture, V, String> check,
                                Function<V, String> line) {
        return DynamicTest.dynamicTest(name + " (" + vectors.size() + ")", () -> {
            CpuFixture fx = new CpuFixture();
            List<String> failures = new ArrayList<>();
            for (V v : vectors) {
                String why = check.apply(fx, v);
                if (why != null) {
                    failures.add(line.apply(v) + "\n    got: " + why);
                }
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " of " + vectors.size() + " vectors of " + name
                    + " disagree with the host CPU:\n"
                    + String.join("\n", failures.subList(0, Math.min(SHOWN, failures.size()))));
            }
        });
    }
}
