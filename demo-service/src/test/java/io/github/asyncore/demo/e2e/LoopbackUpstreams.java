package io.github.asyncore.demo.e2e;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link Upstream} on 127.0.0.1 and one on ::1, started before each test and closed after it, for a test
 * class that registers it with {@code @RegisterExtension} (its nested classes share it).
 */
final class LoopbackUpstreams implements BeforeEachCallback, AfterEachCallback {

    private Upstream ipv4;

    private Upstream ipv6;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        this.ipv4 = Upstream.onIpv4Loopback();
        this.ipv6 = Upstream.onIpv6Loopback();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Upstream.close(this.ipv4, this.ipv6);
    }

    /** @return the upstream on 127.0.0.1 of the running test */
    Upstream ipv4() {
        return this.ipv4;
    }

    /** @return the upstream on ::1 of the running test */
    Upstream ipv6() {
        return this.ipv6;
    }

}
