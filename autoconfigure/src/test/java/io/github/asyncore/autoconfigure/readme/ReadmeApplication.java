package io.github.asyncore.autoconfigure.readme;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application around the README's "Use it in your service" example. */
@SpringBootApplication
public class ReadmeApplication {

}
