package io.github.asyncore.core;

import java.nio.file.Path;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * core stays plain Java (the JDK, with its TLS engine in {@code javax.net.ssl}, and the SLF4J API), and its
 * two layers stay apart: the facade in {@code io.github.asyncore.core} (what applications subclass and call)
 * stands on the internal layer in {@code io.github.asyncore.core.internal}, never the other way round, and the
 * internal sub-packages depend on each other in one direction only: {@code channel} on {@code tls},
 * {@code transport} and {@code loop}; {@code tls} on {@code transport} and {@code loop}; {@code transport} and
 * {@code loop} on none. See {@code docs/architecture.md}. That applications, the starter and the demo never
 * import the internal layer is checked in their modules ({@code PackageLayoutTests},
 * {@code CoreApiOnlyTests}).
 */
class ArchitectureTest {

    private static final String INTERNAL = "io.github.asyncore.core.internal..";

    private static final String CHANNEL = "io.github.asyncore.core.internal.channel..";

    private static final String TRANSPORT = "io.github.asyncore.core.internal.transport..";

    private static final String TLS = "io.github.asyncore.core.internal.tls..";

    private static final String LOOP = "io.github.asyncore.core.internal.loop..";

    private final JavaClasses core = new ClassFileImporter().importPath(Path.of("target", "classes"));

    /**
     * core is the part usable without Spring: an application that wants only the selector loop pulls in no
     * framework, and the starter decides which Spring types are involved.
     */
    @Test
    void coreDependsOnTheJdkAndTheSlf4jApiOnly() {
        classes().should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.net.ssl..", "org.slf4j", "io.github.asyncore.core..")
            .check(this.core);
    }

    /**
     * A dispatcher sees its loop as an {@link EventExecutor} only (hand work to the loop thread, set timers, ask
     * whether it is on it), so that no handler can run, stop or reconfigure the loop it runs on.
     */
    @Test
    void dispatchersDoNotKnowTheEventLoop() {
        noClasses().that()
            .areAssignableTo(Dispatcher.class)
            .should()
            .dependOnClassesThat()
            .areAssignableTo(EventLoop.class)
            .check(this.core);
    }

    /**
     * The internal layer serves the facade without knowing it: a channel's core calls its dispatcher's hooks
     * through {@code ChannelHandler}, reaches its map through {@code ChannelContext}, and the loop's machinery
     * sees channels as {@code LoopChannel}s. Were the core to use {@code Dispatcher} (or a map, a loop, a
     * group, a reconnector, or the facade's package-private helpers), the facade's public and overridable
     * methods would become part of the core's contract and the two could not change apart. The value types
     * of the API package (settings, snapshots, records, enums, {@code EventExecutor}, {@code ScheduledTask})
     * may be used.
     */
    @Test
    void theInternalLayerKnowsNoFacadeClass() {
        noClasses().that()
            .resideInAPackage(INTERNAL)
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(Dispatcher.class, BufferedDispatcher.class, AsyncChat.class, ChannelMap.class,
                    EventLoop.class, EventLoopGroup.class, ChannelGroup.class, Reconnector.class,
                    DispatcherHandler.class, CloseHooks.class, Reconnection.class, ConnectHook.class,
                    ChannelsTask.class)
            .check(this.core);
    }

    /**
     * A cycle between two internal sub-packages would make them one unit in all but name: neither could be
     * read, tested or replaced without the other.
     */
    @Test
    void theInternalSubPackagesAreFreeOfCycles() {
        slices().matching("io.github.asyncore.core.internal.(*)..").should().beFreeOfCycles().check(this.core);
    }

    /**
     * A transport is one JDK socket kind and nothing more, so that a new kind of socket is a new transport
     * and the channel's core, the TLS layer and the loop need not change for it.
     */
    @Test
    void transportsDependOnNoOtherInternalPackage() {
        noClasses().that()
            .resideInAPackage(TRANSPORT)
            .should()
            .dependOnClassesThat(internalOutside(TRANSPORT))
            .check(this.core);
    }

    /**
     * The TLS layer sees the channel it encrypts only as a {@code TlsTransport}, so that it can be tested, and
     * its engine changed, without a channel; it may use the transports' errors and the loop's log throttle.
     */
    @Test
    void theTlsLayerDependsOnlyOnTransportAndLoop() {
        noClasses().that()
            .resideInAPackage(TLS)
            .should()
            .dependOnClassesThat(internalOutside(TLS, TRANSPORT, LOOP))
            .check(this.core);
    }

    /**
     * The loop's machinery runs tasks, timers and a selector over {@code LoopChannel}s; it knows no channel
     * core, transport or TLS layer, so that what a channel is may change without the loop changing.
     */
    @Test
    void theLoopMachineryDependsOnNoOtherInternalPackage() {
        noClasses().that()
            .resideInAPackage(LOOP)
            .should()
            .dependOnClassesThat(internalOutside(LOOP))
            .check(this.core);
    }

    /**
     * The channel core is the top of the internal layer: it may use every other internal sub-package, and only
     * the facade uses it. The three rules above hold this for today's sub-packages; this one holds it for a
     * sub-package added later too.
     */
    @Test
    void noOtherInternalPackageUsesTheChannelCore() {
        noClasses().that()
            .resideInAPackage(INTERNAL)
            .and()
            .resideOutsideOfPackage(CHANNEL)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(CHANNEL)
            .check(this.core);
    }

    private static DescribedPredicate<JavaClass> internalOutside(String... allowed) {
        return resideInAPackage(INTERNAL).and(not(resideInAnyPackage(allowed)))
            .as("reside in the internal layer outside %s", String.join(", ", allowed));
    }

}
