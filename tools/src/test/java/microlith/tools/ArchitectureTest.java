package microlith.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer rules of DESIGN.md on the compiled classes: hw never sees the kernel; the SDK
 * sees nothing of ours; modules see only the SDK; the server runtime sees the machine and
 * the SDK, never the kernel; and the kernel's packages form layers without cycles.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("microlith");
    }

    @Test
    void theMachineKnowsNothingOfTheSoftware() {
        noClasses().that().resideInAPackage("microlith.hw..")
            .should().dependOnClassesThat().resideInAnyPackage("microlith.kernel..", "microlith.server..",
                "microlith.module..", "microlith.modules..", "microlith.tools..")
            .check(classes);
    }

    @Test
    void theSdkStandsAlone() {
        noClasses().that().resideInAPackage("microlith.module.api..")
            .should().dependOnClassesThat().resideInAnyPackage("microlith.hw..", "microlith.kernel..",
                "microlith.server..", "microlith.modules..", "microlith.tools..")
            .check(classes);
    }

    @Test
    void modulesAreWrittenAgainstTheSdkOnly() {
        noClasses().that().resideInAPackage("microlith.modules..")
            .should().dependOnClassesThat().resideInAnyPackage("microlith.hw..", "microlith.kernel..",
                "microlith.server..", "microlith.tools..")
            .check(classes);
    }

    @Test
    void theServerRuntimeCannotSeeTheKernel() {
        noClasses().that().resideInAPackage("microlith.server..")
            .should().dependOnClassesThat().resideInAnyPackage("microlith.kernel..", "microlith.modules..",
                "microlith.tools..")
            .check(classes);
    }

    @Test
    void theKernelNeverReachesTheTools() {
        noClasses().that().resideInAPackage("microlith.kernel..")
            .should().dependOnClassesThat().resideInAnyPackage("microlith.tools..", "microlith.modules..")
            .check(classes);
    }

    @Test
    void kernelPackagesFormLayersWithoutCycles() {
        slices().matching("microlith.kernel.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheCompositionRootKnowsEverySubsystem() {
        noClasses().that().resideInAPackage("microlith.kernel.*..")
            .should().dependOnClassesThat().resideInAPackage("microlith.kernel")
            .check(classes);
    }
}
