package io.github.asyncore.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The asyncore demo service: a TCP echo on 7007, a line chat on 7008, a UDP echo on 7009, and the seed's
 * HTTP client behind {@code GET /fetch} on 8080; actuator on 8081. Every port and timeout is in
 * {@code application.yml}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }

}
