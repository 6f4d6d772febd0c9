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
 * its own types apart from their auto-configuration.
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

    @Test
    void eventPublisherRunsAroundTheLoops() {
        assertThat(ChannelEventPublisher.PHASE).isEqualTo(AsyncoreLifecycle.PHASE - 1);
    }

}
