package io.github.asyncore.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Matches the keys under {@code asyncore.dispatchers} to dispatcher bean names by Spring Boot's relaxed
 * rules: case, dashes and underscores do not count, so {@code kvServer}, {@code kv-server} and
 * {@code KVSERVER} (an environment variable's form) all name the bean {@code kvServer}.
 */
final class DispatcherNames {

    private static final Log logger = LogFactory.getLog(DispatcherNames.class);

    private DispatcherNames() {
    }

    /**
     * @param name a bean name or a configuration key
     * @return its letters and digits only, in lower case
     */
    static String uniform(String name) {
        StringBuilder uniform = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                uniform.append(c);
            }
        }
        return uniform.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks that every configured key names exactly one dispatcher bean, or a bean that a condition left
     * out of the context (such as a feature switched off by a property): the settings of such a bean are
     * only unused, which is logged once.
     * @param beanNames the names of the dispatcher beans
     * @param keys the keys under {@code asyncore.dispatchers}
     * @param leftOut why a condition left each bean out, by bean name
     * @throws AsyncoreConfigurationException naming the keys that match no bean, or a key that matches
     *         several
     */
    static void check(Collection<String> beanNames, Collection<String> keys, Map<String, String> leftOut) {
        Map<String, String> leftOutByUniformName = new LinkedHashMap<>();
        leftOut.forEach((name, reason) -> leftOutByUniformName.putIfAbsent(uniform(name), name + ": " + reason));
        Map<String, List<String>> beansByUniformName = new LinkedHashMap<>();
        for (String bean : beanNames) {
            beansByUniformName.computeIfAbsent(uniform(bean), (uniform) -> new ArrayList<>()).add(bean);
        }
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            List<String> beans = beansByUniformName.get(uniform(key));
            if (beans == null) {
                String reason = leftOutByUniformName.get(uniform(key));
                if (reason != null) {
                    logger.info("asyncore.dispatchers." + key + " names a bean that a condition left out ("
                            + reason + "); its settings are unused");
                }
                else {
                    unknown.add(key);
                }
            }
            else if (beans.size() > 1) {
                throw AsyncoreConfigurationException.ambiguousDispatcher(key, beans);
            }
        }
        if (!unknown.isEmpty()) {
            throw AsyncoreConfigurationException.unknownDispatchers(unknown, beanNames);
        }
    }

}
