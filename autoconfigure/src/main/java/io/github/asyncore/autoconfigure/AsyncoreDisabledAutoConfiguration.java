package io.github.asyncore.autoconfigure;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;

/**
 * Active when {@code asyncore.enabled=false}: says once what is off and makes socket calls on the
 * dispatcher beans fail with that reason ({@link AsyncoreDisabled}).
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "asyncore.enabled", havingValue = false)
public final class AsyncoreDisabledAutoConfiguration {

    @Bean
    AsyncoreDisabled asyncoreDisabled(ListableBeanFactory beanFactory) {
        return new AsyncoreDisabled(beanFactory);
    }

}
