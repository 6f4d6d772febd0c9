package io.github.asyncore.demo.fetch;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of {@code GET /fetch}, under {@code demo.fetch}.
 *
 * @param connectTimeout how long resolving the host, and then the connect, may each take before the answer
 *        is 504
 * @param readTimeout how long the server may send nothing before the answer is 504
 * @param totalTimeout how long the whole exchange may take before the answer is 504
 * @param maxResponseSize the longest response read; a longer one is cut off with 502
 * @param bodyPreview how much of the body the JSON answer shows (the rest is only counted)
 * @param maxUrlLength the longest URL accepted, in characters; a longer one is 400
 * @param trustBundle the SSL bundle ({@code spring.ssl.bundle.*}) whose trust material checks the certificates
 *        of {@code https://} servers; {@code null} or empty for the JDK's default certificate authorities
 * @param allowedNetworks address ranges in CIDR notation (such as {@code 10.1.0.0/16} or {@code fd00::/8})
 *        that may be fetched although the destination policy denies them (loopback, private, link-local and
 *        the other internal ranges); empty by default
 * @param allowedPorts the ports that may be fetched; empty for any port
 * @param maxConcurrent how many fetches may be in flight at once; more are answered 503 with
 *        {@code Retry-After}
 */
@ConfigurationProperties("demo.fetch")
public record FetchProperties(@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("30s") Duration totalTimeout, @DefaultValue("1MB") DataSize maxResponseSize,
        @DefaultValue("1KB") DataSize bodyPreview, @DefaultValue("2048") int maxUrlLength, String trustBundle,
        @DefaultValue List<String> allowedNetworks, @DefaultValue({ "80", "443" }) List<Integer> allowedPorts,
        @DefaultValue("16") int maxConcurrent) {

    /**
     * Checks the policy's settings.
     * @throws IllegalArgumentException naming the setting when a range does not parse, a port is out of
     *         range, or fewer than one fetch may run
     */
    public FetchProperties {
        for (String network : allowedNetworks) {
            try {
                IpRange.parse("allowed", network);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("demo.fetch.allowed-networks: " + ex.getMessage(), ex);
            }
        }
        for (Integer port : allowedPorts) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("demo.fetch.allowed-ports: " + port + " is not a port (1 to 65535)");
            }
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("demo.fetch.max-concurrent must be at least 1, was " + maxConcurrent);
        }
    }

}
