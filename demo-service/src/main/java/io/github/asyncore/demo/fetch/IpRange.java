package io.github.asyncore.demo.fetch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * A range of addresses in CIDR notation, such as {@code 10.0.0.0/8} or {@code fc00::/7}, with the name a
 * refusal shows. Immutable; any thread.
 */
final class IpRange {

    private final String name;

    private final byte[] network;

    private final int prefixLength;

    private final String notation;

    private IpRange(String name, byte[] network, int prefixLength, String notation) {
        this.name = name;
        this.network = network;
        this.prefixLength = prefixLength;
        this.notation = notation;
    }

    /**
     * Parses a range.
     * @param name what the range is, for messages (for example {@code loopback})
     * @param cidr an IPv4 or IPv6 address literal, {@code /} and a prefix length; a bare address is a range
     *        of one
     * @return the range
     * @throws IllegalArgumentException when the text is not such a range (no name is ever resolved)
     */
    static IpRange parse(String name, String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String address = (slash < 0) ? text : text.substring(0, slash);
        InetAddress parsed = HostLiterals.parse(address)
            .orElseThrow(() -> new IllegalArgumentException("'" + cidr + "' is not an address range in CIDR notation"
                    + " (such as 10.0.0.0/8 or fd00::/8)"));
        byte[] bytes = parsed.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            }
            catch (NumberFormatException ex) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0 to " + bits);
            }
        }
        return new IpRange(name, mask(bytes, prefix), prefix, addressText(parsed) + "/" + prefix);
    }

    /**
     * A range from raw bytes, for the one the JDK will not parse as IPv6: the JDK turns every IPv4-mapped
     * literal ({@code ::ffff:a.b.c.d}) into the IPv4 address itself.
     */
    static IpRange ofBytes(String name, byte[] network, int prefixLength, String notation) {
        return new IpRange(name, mask(network, prefixLength), prefixLength, notation);
    }

    /** @return whether the address is in this range (an IPv4 address is never in an IPv6 range) */
    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == this.network.length && Arrays.equals(mask(bytes, this.prefixLength), this.network);
    }

    String name() {
        return this.name;
    }

    /** @return the name and the range, for example {@code loopback (127.0.0.0/8)} */
    String describe() {
        return this.name + " (" + this.notation + ")";
    }

    @Override
    public String toString() {
        return this.notation;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefixLength - 8 * i));
            masked[i] &= (byte) (0xFF << (8 - bitsHere));
        }
        return masked;
    }

    private static String addressText(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        return (address instanceof Inet4Address || zone < 0) ? text : text.substring(0, zone);
    }

}
