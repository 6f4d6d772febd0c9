package io.github.asyncore.demo.e2e;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.asyncore.demo.DemoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The demo service as it runs, with every port moved to a free one on 127.0.0.1 (never the demo's fixed
 * ports, so that tests run while a demo is up). The classes that use it share one application context.
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
                "demo.fetch.allowed-networks=127.0.0.0/8,::1/128", "demo.fetch.allowed-ports=", "demo.fetch.connect-timeout=500ms",
                "demo.fetch.read-timeout=500ms", "demo.fetch.total-timeout=5s", "demo.fetch.max-response-size=64KB" })
public @interface DemoTest {

}
