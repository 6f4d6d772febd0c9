package io.github.asyncore.demo;

import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The demo is the application users read and copy, so it uses asyncore as an application must: through
 * core's API ({@code io.github.asyncore.core}) and the starter's ({@code io.github.asyncore.boot}), never
 * core's internal layer ({@code io.github.asyncore.core.internal}), which is not API and may change in any
 * release. Were the demo to need an internal type, the API would lack something every application needs.
 */
class CoreApiOnlyTests {

    private final JavaClasses demo = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void demoUsesCoreApiOnly() {
        noClasses().that()
            .resideInAPackage("io.github.asyncore.demo..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.github.asyncore.core.internal..")
            .check(this.demo);
    }

}
