package io.github.asyncore.core;

import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Records what one logger writes at debug level and above, for tests that assert a logged reason.
 * While attached, the logger writes only here (not to the console). Close to detach it and restore the
 * logger's level.
 */
final class LogCapture implements AutoCloseable {

    private final Logger logger;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private final Level level;

    private LogCapture(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        this.level = this.logger.getLevel();
        this.logger.setLevel(Level.DEBUG);
        this.logger.setAdditive(false);
        this.appender.start();
        this.logger.addAppender(this.appender);
    }

    static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** @return the formatted messages so far, each with its level, e.g. {@code WARN <Echo #3 ...>: ...} */
    List<String> messages() {
        synchronized (this.appender.list) {
            return this.appender.list.stream()
                .map((event) -> event.getLevel() + " " + event.getFormattedMessage())
                .collect(Collectors.toList());
        }
    }

    String joined() {
        return String.join("\n", messages());
    }

    @Override
    public void close() {
        this.logger.detachAppender(this.appender);
        this.logger.setLevel(this.level);
        this.logger.setAdditive(true);
    }

}
