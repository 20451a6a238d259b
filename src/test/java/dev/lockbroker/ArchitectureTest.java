package dev.lockbroker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.lockbroker.core.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The package rules of STYLE.md: a core free of frameworks, adapters that do not know each other. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.lockbroker");

    private static final String[] ADAPTERS = {
        "dev.lockbroker.http..", "dev.lockbroker.store.file..", "dev.lockbroker.store.s3..",
        "dev.lockbroker.metrics..", "dev.lockbroker.client..", "dev.lockbroker.cli.."
    };

    @Test
    void core_uses_nothing_but_the_jdk() {
        classes()
                .that()
                .resideInAPackage("dev.lockbroker.core..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.lockbroker.core..", "java..", "org.jspecify.annotations..")
                .check(MAIN);
    }

    /** Deadlines, backoff and waits read time through the Clock and Scheduler ports, so tests can fake it. */
    @Test
    void core_reads_time_only_through_its_clock() {
        noClasses()
                .that()
                .resideInAPackage("dev.lockbroker.core..")
                .and()
                .areNotAssignableTo(Clock.class) // the clock implementations
                .should()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(Thread.class, "sleep", long.class)
                .orShould()
                .callMethod(Thread.class, "sleep", long.class, int.class)
                .orShould()
                .callMethod(Thread.class, "sleep", Duration.class)
                .check(MAIN);
    }

    @Test
    void adapters_do_not_import_each_other_or_the_wiring() {
        for (String adapter : ADAPTERS) {
            String[] others = java.util.Arrays.stream(ADAPTERS)
                    .filter(a -> !a.equals(adapter))
                    .filter(a -> !isAllowed(adapter, a))
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage(adapter)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .orShould()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.lockbroker.app..")
                    .allowEmptyShould(true)
                    .check(MAIN);
        }
    }

    /** The one allowed edge: the command-line interface is built on the client library. */
    private static boolean isAllowed(String from, String to) {
        return from.equals("dev.lockbroker.cli..") && to.equals("dev.lockbroker.client..");
    }
}
