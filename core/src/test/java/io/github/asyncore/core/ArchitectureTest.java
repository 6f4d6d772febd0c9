package io.github.asyncore.core;

import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * core stays plain Java (the JDK, with its TLS engine in {@code javax.net.ssl}, and the SLF4J API),
 * dispatchers reach their loop only through {@link EventExecutor}, and the loop's machinery reaches
 * channels only through {@code LoopChannel}.
 */
class ArchitectureTest {

    private final JavaClasses core = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void coreDependsOnTheJdkAndTheSlf4jApiOnly() {
        classes().should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.net.ssl..", "org.slf4j", "io.github.asyncore.core..")
            .check(this.core);
    }

    @Test
    void dispatchersDoNotKnowTheEventLoop() {
        noClasses().that()
            .areAssignableTo(Dispatcher.class)
            .should()
            .dependOnClassesThat()
            .areAssignableTo(EventLoop.class)
            .check(this.core);
    }

    @Test
    void theLoopMachineryKnowsNoDispatcherMapOrLoop() {
        noClasses().that()
            .resideInAPackage("io.github.asyncore.core.internal.loop..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(Dispatcher.class, BufferedDispatcher.class, AsyncChat.class, ChannelMap.class,
                    EventLoop.class, EventLoopGroup.class, ChannelGroup.class, Reconnector.class)
            .check(this.core);
    }

}
