package io.github.asyncore.boot;

import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.github.asyncore.autoconfigure.AsyncoreLifecycle;
import io.github.asyncore.boot.event.ChannelEventPublisher;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an application imports ({@code io.github.asyncore.boot}) stands on its own; the auto-configuration
 * ({@code io.github.asyncore.autoconfigure}) builds on it, never the other way round, as Spring Boot keeps
 * its own types apart from their auto-configuration. Both use core's API only, never its internal layer.
 */
class PackageLayoutTests {

    private final JavaClasses classes = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void applicationTypesDoNotDependOnTheAutoConfiguration() {
        noClasses().that()
            .resideInAPackage("io.github.asyncore.boot..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.github.asyncore.autoconfigure..")
            .check(this.classes);
    }

    /**
     * The starter is core's first user and should need nothing an application could not have: what it reads
     * from a loop or a channel (snapshots, counters, events) comes through core's API. Core's internal layer
     * ({@code io.github.asyncore.core.internal}) is not API and may change in any release; a starter built on
     * it would break with core, and would hide that the API lacks what it took from there.
     */
    @Test
    void starterTypesUseCoreApiOnly() {
        noClasses().that()
            .resideInAnyPackage("io.github.asyncore.autoconfigure..", "io.github.asyncore.boot..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.github.asyncore.core.internal..")
            .check(this.classes);
    }

    @Test
    void eventPublisherRunsAroundTheLoops() {
        assertThat(ChannelEventPublisher.PHASE).isEqualTo(AsyncoreLifecycle.PHASE - 1);
    }

}
