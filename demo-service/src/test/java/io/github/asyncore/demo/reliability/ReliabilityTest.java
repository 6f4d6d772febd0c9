package io.github.asyncore.demo.reliability;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.asyncore.demo.DemoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The demo service as it runs, with every port moved to a free one on 127.0.0.1. A test class adds the
 * {@code asyncore.*} or {@code demo.*} settings its scenario needs with {@code @TestPropertySource}
 * (keys this annotation does not set); classes that add the same settings, or none, share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
                "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "asyncore.dispatchers.chatServer.address=127.0.0.1:0",
                "asyncore.dispatchers.udpEchoServer.address=127.0.0.1:0",
                "asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0",
                // the tests' upstreams live on loopback, which the destination policy denies unless allowed
                "demo.fetch.allowed-networks=127.0.0.0/8,::1/128", "demo.fetch.allowed-ports=" })
@interface ReliabilityTest {

}
