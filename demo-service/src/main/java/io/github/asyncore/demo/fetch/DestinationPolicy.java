package io.github.asyncore.demo.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * Where {@code GET /fetch} may connect: the defence against server-side request forgery (OWASP's SSRF
 * cheat sheet). Internal destinations are denied: loopback, the any-local address, link-local (the cloud
 * metadata service at 169.254.169.254 among them), the private ranges of RFC 1918, carrier-grade NAT
 * (100.64.0.0/10), the benchmarking range (198.18.0.0/15), unique local IPv6 (fc00::/7), site-local
 * IPv6, multicast, broadcast and the reserved 240.0.0.0/4; and every IPv6 form that carries an IPv4
 * address (IPv4-mapped, IPv4-compatible, 6to4, NAT64) is judged by the IPv4 address it carries. Teredo
 * (2001::/32), whose embedded addresses are obscured, is denied whole. {@code demo.fetch.allowed-networks}
 * re-allows ranges on purpose; {@code demo.fetch.allowed-ports}, when not empty, restricts ports.
 * <p>
 * The policy judges addresses, never names: the caller resolves a name once, has every address it got
 * judged, and connects to an address that passed, so that a name that resolves elsewhere the second time
 * (DNS rebinding) gains nothing. Immutable; any thread.
 */
final class DestinationPolicy {

    private static final List<IpRange> DENIED = List.of(IpRange.parse("the any-local address", "0.0.0.0/8"),
            IpRange.parse("loopback", "127.0.0.0/8"), IpRange.parse("private (RFC 1918)", "10.0.0.0/8"),
            IpRange.parse("private (RFC 1918)", "172.16.0.0/12"), IpRange.parse("private (RFC 1918)", "192.168.0.0/16"),
            IpRange.parse("link-local", "169.254.0.0/16"), IpRange.parse("carrier-grade NAT", "100.64.0.0/10"),
            IpRange.parse("benchmarking", "198.18.0.0/15"), IpRange.parse("IETF protocol assignments", "192.0.0.0/24"),
            IpRange.parse("multicast", "224.0.0.0/4"), IpRange.parse("broadcast", "255.255.255.255/32"),
            IpRange.parse("reserved", "240.0.0.0/4"), IpRange.parse("the any-local address", "::/128"),
            IpRange.parse("loopback", "::1/128"), IpRange.parse("link-local", "fe80::/10"),
            IpRange.parse("site-local", "fec0::/10"), IpRange.parse("unique local (ULA)", "fc00::/7"),
            IpRange.parse("multicast", "ff00::/8"), IpRange.parse("Teredo", "2001::/32"),
            IpRange.parse("NAT64 for local use", "64:ff9b:1::/48"));

    /** IPv6 ranges whose addresses carry an IPv4 address, and where in the 16 bytes it sits. */
    private static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding("IPv4-compatible", IpRange.parse("", "::/96"), 12),
            new Embedding("IPv4-mapped", IpRange.ofBytes("", new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0 },
                    96, "::ffff:0:0/96"), 12),
            new Embedding("6to4", IpRange.parse("", "2002::/16"), 2),
            new Embedding("NAT64", IpRange.parse("", "64:ff9b::/96"), 12));

    private final List<IpRange> allowed;

    private final Set<Integer> allowedPorts;

    /**
     * @param allowedNetworks ranges allowed even where a denied range says otherwise
     * @param allowedPorts the ports that may be fetched; empty for any
     */
    DestinationPolicy(List<IpRange> allowedNetworks, Set<Integer> allowedPorts) {
        this.allowed = List.copyOf(allowedNetworks);
        this.allowedPorts = Set.copyOf(allowedPorts);
    }

    /**
     * @param address an address a fetch would connect to
     * @param port its port
     * @return why the fetch is refused, naming the rule, or {@code null} when it may connect
     */
    String refusal(InetAddress address, int port) {
        if (!this.allowedPorts.isEmpty() && !this.allowedPorts.contains(port)) {
            return "port " + port + " is not in demo.fetch.allowed-ports " + this.allowedPorts.stream().sorted().toList();
        }
        for (IpRange range : this.allowed) {
            if (range.contains(address)) {
                return null;
            }
        }
        String denied = deniedRange(address);
        return (denied != null) ? address.getHostAddress() + " is denied by the destination policy: " + denied
                + " (re-allow a range on purpose with demo.fetch.allowed-networks)" : null;
    }

    /**
     * @param address any address
     * @return the denied range it is in, described (with the form that carried it, for IPv6 forms of an
     *         IPv4 address), or {@code null} when it is public
     */
    static String deniedRange(InetAddress address) {
        for (IpRange range : DENIED) {
            if (range.contains(address)) {
                return range.describe();
            }
        }
        if (address instanceof Inet6Address) {
            for (Embedding embedding : EMBEDDINGS) {
                if (embedding.range().contains(address)) {
                    String carried = deniedRange(embedding.carried(address));
                    if (carried != null) {
                        return "the " + embedding.form() + " form of " + carried;
                    }
                }
            }
        }
        return null;
    }

    /** An IPv6 range whose addresses carry an IPv4 address at a byte offset. */
    private record Embedding(String form, IpRange range, int offset) {

        Inet4Address carried(InetAddress address) {
            byte[] bytes = address.getAddress();
            byte[] ipv4 = { bytes[this.offset], bytes[this.offset + 1], bytes[this.offset + 2], bytes[this.offset + 3] };
            try {
                return (Inet4Address) InetAddress.getByAddress(ipv4);
            }
            catch (UnknownHostException ex) {
                throw new IllegalStateException(ex); // four bytes are always an address
            }
        }

    }

}
