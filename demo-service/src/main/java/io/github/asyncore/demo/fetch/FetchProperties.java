package io.github.asyncore.demo.fetch;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of {@code GET /fetch}, under {@code demo.fetch}.
 *
 * @param connectTimeout how long the connect may take before the answer is 504
 * @param readTimeout how long the server may send nothing before the answer is 504
 * @param totalTimeout how long the whole exchange may take before the answer is 504
 * @param maxResponseSize the longest response read; a longer one is cut off with 502
 * @param bodyPreview how much of the body the JSON answer shows
 * @param maxUrlLength the longest URL accepted, in characters; a longer one is 400
 * @param trustBundle the SSL bundle ({@code spring.ssl.bundle.*}) whose trust material checks the certificates
 *        of {@code https://} servers; {@code null} for the JDK's default certificate authorities
 */
@ConfigurationProperties("demo.fetch")
public record FetchProperties(@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("30s") Duration totalTimeout, @DefaultValue("1MB") DataSize maxResponseSize,
        @DefaultValue("1KB") DataSize bodyPreview, @DefaultValue("2048") int maxUrlLength, String trustBundle) {
}
