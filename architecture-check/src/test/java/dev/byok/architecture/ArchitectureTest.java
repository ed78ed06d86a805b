package dev.byok.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module graph, as the packages of the production code must follow it (docs/architecture.md,
 * "Modules"). Maven already refuses cycles between modules; this holds the packages to the same
 * graph and keeps the core framework-free.
 */
class ArchitectureTest {
    /** What crypto-service and sweeper-service may use: the data plane's core and what it stands on. */
    private static final List<String> DATA_PLANE_SERVICE = List.of(
            "dev.byok.store",
            "dev.byok.service",
            "dev.byok.kafka",
            "dev.byok.crypto",
            "dev.byok.model",
            "dev.byok.kms");

    /** Each module's package → the project packages it may use (besides itself). */
    static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("dev.byok.cli", List.of()),
            Map.entry("dev.byok.kms", List.of()),
            Map.entry("dev.byok.crypto", List.of("dev.byok.kms")),
            Map.entry("dev.byok.model", List.of("dev.byok.kms")),
            Map.entry("dev.byok.kms.azure", List.of("dev.byok.kms")),
            Map.entry("dev.byok.emulator", List.of("dev.byok.cli")),
            Map.entry("dev.byok.kafka", List.of("dev.byok.model", "dev.byok.kms")),
            Map.entry(
                    "dev.byok.service",
                    List.of("dev.byok.kafka", "dev.byok.model", "dev.byok.kms", "dev.byok.kms.azure")),
            Map.entry(
                    "dev.byok.store",
                    List.of("dev.byok.service", "dev.byok.kafka", "dev.byok.crypto", "dev.byok.model", "dev.byok.kms")),
            Map.entry(
                    "dev.byok.config", List.of("dev.byok.service", "dev.byok.kafka", "dev.byok.model", "dev.byok.kms")),
            Map.entry("dev.byok.ingest", DATA_PLANE_SERVICE),
            Map.entry("dev.byok.sweeper", DATA_PLANE_SERVICE),
            Map.entry(
                    "dev.byok.lockdown",
                    List.of("dev.byok.service", "dev.byok.kafka", "dev.byok.model", "dev.byok.kms")),
            Map.entry("dev.byok.infra", List.of("dev.byok.emulator", "dev.byok.model", "dev.byok.kms")),
            Map.entry(
                    "dev.byok.testsupport",
                    List.of("dev.byok.infra", "dev.byok.emulator", "dev.byok.model", "dev.byok.kms")),
            Map.entry(
                    "dev.byok.local",
                    List.of("dev.byok.cli", "dev.byok.infra", "dev.byok.emulator", "dev.byok.model", "dev.byok.kms")),
            Map.entry("dev.byok.benchmarks", List.of("dev.byok.crypto", "dev.byok.kms", "dev.byok.testsupport")));

    /** Framework-free: usable from any runtime, and by the contract tests without one. */
    static final List<String> FRAMEWORK_FREE = List.of(
            "dev.byok.cli",
            "dev.byok.kms",
            "dev.byok.crypto",
            "dev.byok.model",
            "dev.byok.kms.azure",
            "dev.byok.kafka",
            "dev.byok.infra",
            "dev.byok.local");

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(
                    location -> !location.contains("-tests.jar")) // test-jars (the KMS contract suite) are test code
            .withImportOption(location -> !location.contains("/jmh_generated/")) // JMH's generated harness
            .importPackages("dev.byok");

    static Stream<Arguments> modules() {
        return ALLOWED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void eachPackage_usesOnlyThePackagesItsModuleDependsOn(String pkg, List<String> allowed) {
        String[] forbidden = ALLOWED.keySet().stream()
                .filter(other -> !other.equals(pkg) && !allowed.contains(other))
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage(pkg)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden)
                .because("docs/architecture.md#modules gives each module's dependencies")
                .check(PRODUCTION);
    }

    @Test
    void everyProductionPackage_belongsToAModule() {
        noClasses()
                .that()
                .resideOutsideOfPackages(ALLOWED.keySet().toArray(String[]::new))
                .should()
                .resideInAPackage("dev.byok..")
                .because("a new package needs its place in the module graph")
                .allowEmptyShould(true) // passes while every class is in a known package
                .check(PRODUCTION);
    }

    @Test
    void packages_areFreeOfCycles() {
        slices().matching("dev.byok.(**)").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void theCore_isFrameworkFree() {
        noClasses()
                .that()
                .resideInAnyPackage(FRAMEWORK_FREE.toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "jakarta..",
                        "io.smallrye.mutiny..",
                        "io.smallrye.config..",
                        "io.smallrye.reactive..")
                .check(PRODUCTION);
    }

    @Test
    void theRunCommand_carriesNoTestFramework() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.byok.local..", "dev.byok.infra..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.junit..", "io.restassured..", "org.assertj..", "org.testcontainers..")
                .because("the run command ships without test libraries")
                .check(PRODUCTION);
    }

    @Test
    void dataPlaneStatements_liveInTheRecordStore() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.byok.ingest..", "dev.byok.sweeper..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vertx.mutiny.sqlclient..", "java.sql..", "org.postgresql..")
                .because("record-store owns every statement on the data plane's tables")
                .check(PRODUCTION);
    }
}
