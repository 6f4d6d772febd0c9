package io.github.asyncore.demo.reliability;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.asyncore.demo.DemoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The demo service with small limits, so that abuse reaches them quickly: every port on 127.0.0.1:0, the
 * echo server limited to 5 connections, the UDP echo to 1 KB datagrams. The classes that use it share
 * one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
                "asyncore.dispatchers.echoServer.address=127.0.0.1:0", "asyncore.dispatchers.echoServer.max-connections=5",
                "asyncore.dispatchers.chatServer.address=127.0.0.1:0",
                "asyncore.dispatchers.udpEchoServer.address=127.0.0.1:0",
                "asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0",
                "asyncore.dispatchers.udpEchoServer.receive-buffer-size=1KB" })
public @interface AbuseTest {

}
