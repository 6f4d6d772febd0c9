package io.github.asyncore.autoconfigure.clientguide;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application around the README's client bean. */
@SpringBootApplication
public class PriceClientApplication {

}
