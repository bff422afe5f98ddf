package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import microlith.kernel.module.KoFile;
import microlith.kernel.module.fault.FaultInjector;
import microlith.kernel.module.fault.FaultSpec;
import microlith.kernel.module.fault.FaultType;
import microlith.tools.fault.Outcome;
import microlith.tools.fault.Trial;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The faults in mlfs's own logic that lost acknowledged writes in the 10,000-fault
 * microkernel campaign before the write guard (docs/fault-injection.md), replayed: each now
 * fails a call or restarts the server, loses nothing acknowledged and leaves fsck nothing
 * worse than a leak. A site is named by method and instruction, as the campaign's CSV names
 * it, so that the cases survive code added elsewhere in the module; a lambda's number is
 * left out (lambda$write matches lambda$write$5), since new lambdas renumber them.
 */
class MlfsGuardFaultTest {
    private static final long LIMIT = 50_000_000L;

    @TempDir
    static Path tmp;
    private static Trial trial;

    @BeforeAll
    static void prepare() throws IOException {
        trial = Trial.prepare(tmp, 1);
    }

    /** The fault of type at "Class.method, instruction N" of mlfs.ko. */
    private static FaultSpec at(FaultType type, String method, int instruction, long param) throws Exception {
        Map<String, byte[]> classes = KoFile.parse(Initramfs.sampleModule("mlfs")).classes;
        String suffix = ", instruction " + instruction;
        for (int i = 0; ; i++) {
            FaultSpec s = new FaultSpec("mlfs", type, i, param, 0);
            FaultInjector.Injected x = FaultInjector.apply(classes, s);
            assertThat(x).as("a %s site at %s%s", type.key, method, suffix).isNotNull();
            String site = x.site();
            boolean sameMethod = site.startsWith(method + ",") || method.contains("lambda$")
                && site.startsWith(method + "$") && site.indexOf(',') == site.indexOf('$', method.length()) + 2;
            if (sameMethod && site.endsWith(suffix)) {
                return s;
            }
        }
    }

    @ParameterizedTest(name = "{0} in {1}, instruction {2}")
    @CsvSource({
        "branch, BlockBitmap.allocate,          41, 0x0",
        "arith,  DiskDirent.put,                22, 0x2",
        "arith,  DiskDirent.put,                 3, 0x4",
        "arith,  DiskDirent.put,                12, 0x20",
        "arith,  DiskDirent.setIno,             25, 0x2",
        "arith,  DiskDirent.setIno,              3, 0x80",
        "branch, DiskDirent.nameEquals,         20, 0x0",
        "arith,  DiskDirent.nameEquals,         32, 0x100",
        "arith,  DiskInode.encode,              54, 0x200000",
        "arith,  DiskInode.encode,              54, 0x2",
        "branch, DiskInode.encode,              45, 0x0",
        "arith,  Directory.add,                 78, 0x80000000",
        "branch, Directory.add,                 29, 0x0",
        "branch, MlfsSuperBlock.lambda$write,   76, 0x0",
        "arith,  MlfsSuperBlock.lambda$write,   58, 0x10",
        "arith,  MlfsSuperBlock.lambda$write,   50, 0x8",
        "return, MlfsSuperBlock.lambda$create, 151, 0x1",
    })
    void aFaultInMlfsLogicLosesNoAcknowledgedWrite(String type, String method, int instruction, String param)
            throws Exception {
        FaultSpec f = at(FaultType.of(type), method, instruction, Long.parseUnsignedLong(param.substring(2), 16));
        Trial.Result r = trial.run("microkernel", f, tmp.resolve("disk.img"), LIMIT);
        Outcome.Classified c = Outcome.classify(r);
        String why = String.format("%s: %s%n%s%s", f.format(), c.detail(), r.out(), String.join("\n", r.dmesg()));
        assertThat(r.activations()).as("the fault was reached").isPositive();
        assertThat(c.lostWrites()).as("acknowledged writes lost; " + why).isZero();
        assertThat(r.disk().unreadable()).as(why).isNull();
        assertThat(r.disk().problems().isEmpty() || r.disk().leaksOnly()).as("fsck: %s; %s", r.disk().problems(), why)
            .isTrue();
        assertThat(c.outcome()).as(why).isNotEqualTo(Outcome.CORRUPTION);
        assertThat(r.dmesg()).as("the guard refused something; " + why).anyMatch(l -> l.contains("mlfs: refused "));
    }
}
