package io.github.asyncore.demo.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which host texts are IP addresses, and which, as the JDK reads them, without ever asking DNS. The JDK
 * takes more forms than dotted quads: {@code 2130706433} and {@code 127.1} are 127.0.0.1 to it, and
 * {@code 0177.0.0.1} is 177.0.0.1 (decimal, not octal). Everything with a colon is an IPv6 literal (with
 * an embedded IPv4 address or a zone id, perhaps); anything else, {@code 0x7f000001} or {@code localhost.}
 * included, is a name the resolver would look up. A trailing dot on a numeric form is dropped, so that
 * {@code 127.0.0.1.} is the address it looks like rather than a name.
 */
final class HostLiterals {

    /** The JDK's IPv4 forms: one to four decimal parts. */
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,10}(\\.[0-9]{1,10}){0,3}");

    private HostLiterals() {
    }

    /**
     * @param host a URL's host: a name, an IPv4 form, or an IPv6 literal with or without brackets
     * @return the address when the host is a literal, else empty (a name, to be resolved)
     * @throws IllegalArgumentException when the host is numeric but no address (a part out of range, an
     *         IPv6 literal that does not parse): the JDK would send such a text to DNS as a name
     */
    static Optional<InetAddress> parse(String host) {
        String text = host.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.endsWith(".") && IPV4.matcher(text.substring(0, text.length() - 1)).matches()) {
            text = text.substring(0, text.length() - 1);
        }
        if (IPV4.matcher(text).matches()) {
            checkIpv4Parts(text);
        }
        else if (text.indexOf(':') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal: parsed, never looked up
        }
        catch (UnknownHostException ex) {
            throw new IllegalArgumentException("'" + host + "' is not a valid IP address: " + ex.getMessage());
        }
    }

    /** The JDK's rule: the last of n parts fills the bytes the others left, every other part is one byte. */
    private static void checkIpv4Parts(String text) {
        String[] parts = text.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            long value = Long.parseLong(parts[i]);
            long max = (i < parts.length - 1) ? 255 : (1L << (8 * (5 - parts.length))) - 1;
            if (value > max) {
                throw new IllegalArgumentException("'" + text + "' is not a valid IPv4 address: part " + (i + 1)
                        + " is above " + max);
            }
        }
    }

}
