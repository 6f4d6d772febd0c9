package io.github.asyncore.demo.chat;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps Redis out of the demo unless the chat room is relayed through it: with {@code demo.chat.relay} other
 * than {@code redis} (the default, {@code local}), Spring Boot's Redis auto-configuration is excluded, so the
 * quick start opens no Redis connection and its health shows no Redis indicator DOWN. Any exclusion the
 * application sets itself wins (this is a default, at the lowest precedence).
 */
class ChatRelayEnvironment implements EnvironmentPostProcessor {

    private static final String REDIS_AUTO_CONFIGURATION = String.join(",",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!"redis".equalsIgnoreCase(environment.getProperty("demo.chat.relay", "local"))) {
            environment.getPropertySources()
                .addLast(new MapPropertySource("demo.chat.relay", Map.of("spring.autoconfigure.exclude", REDIS_AUTO_CONFIGURATION)));
        }
    }

}
