package io.github.asyncore.autoconfigure;

import java.util.List;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * What {@code asyncore.enabled=false} leaves: no loop runs, and the dispatcher beans are left alone. It
 * says so once at start-up, naming the beans, and makes the process's
 * {@linkplain ChannelMap#defaultMap() default map} (the one a dispatcher made without a map joins off the
 * loop threads) refuse channels and work with that reason, so that a socket call on such a bean fails at
 * once with it instead of waiting for a loop that never comes. The default map takes channels again when
 * the context closes. The default map belongs to the process: while such a context is open, other code in
 * the same JVM that uses it is refused too.
 */
class AsyncoreDisabled implements SmartInitializingSingleton, DisposableBean {

    static final String REASON = "asyncore is switched off (asyncore.enabled=false), so no event loop runs:"
            + " remove that setting to use dispatchers";

    private static final Log logger = LogFactory.getLog(AsyncoreDisabled.class);

    private final ListableBeanFactory beanFactory;

    AsyncoreDisabled(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> dispatchers = List.of(this.beanFactory.getBeanNamesForType(Dispatcher.class, true, false));
        ChannelMap.defaultMap().refuseChannels(REASON);
        logger.info("asyncore is switched off (asyncore.enabled=false): no event loop, no listener, no channels"
                + " endpoint, health indicator or meters"
                + (dispatchers.isEmpty() ? ""
                        : "; the Dispatcher beans " + String.join(", ", dispatchers)
                                + " are left alone, and their socket calls fail"));
    }

    @Override
    public void destroy() {
        ChannelMap.defaultMap().acceptChannels();
    }

}
