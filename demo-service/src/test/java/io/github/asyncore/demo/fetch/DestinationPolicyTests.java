package io.github.asyncore.demo.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The destination policy of {@code GET /fetch}, by parsing and classifying only: no address here is ever
 * connected to, and no name is looked up (the forms the JDK sends to DNS are recognised as names, not
 * resolved).
 */
class DestinationPolicyTests {

    private final DestinationPolicy policy = new DestinationPolicy(List.of(), Set.of());

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0                | the any-local address (0.0.0.0/8)
            0.1.2.3                | the any-local address (0.0.0.0/8)
            127.0.0.1              | loopback (127.0.0.0/8)
            127.255.255.254        | loopback (127.0.0.0/8)
            10.1.2.3               | private (RFC 1918) (10.0.0.0/8)
            172.16.0.1             | private (RFC 1918) (172.16.0.0/12)
            172.31.255.255         | private (RFC 1918) (172.16.0.0/12)
            192.168.1.1            | private (RFC 1918) (192.168.0.0/16)
            169.254.169.254        | link-local (169.254.0.0/16)
            100.64.0.1             | carrier-grade NAT (100.64.0.0/10)
            100.127.255.255        | carrier-grade NAT (100.64.0.0/10)
            198.18.0.1             | benchmarking (198.18.0.0/15)
            198.19.255.255         | benchmarking (198.18.0.0/15)
            192.0.0.8              | IETF protocol assignments (192.0.0.0/24)
            224.0.0.1              | multicast (224.0.0.0/4)
            239.255.255.250        | multicast (224.0.0.0/4)
            255.255.255.255        | broadcast (255.255.255.255/32)
            240.0.0.1              | reserved (240.0.0.0/4)
            ::                     | the any-local address (0:0:0:0:0:0:0:0/128)
            ::1                    | loopback (0:0:0:0:0:0:0:1/128)
            fe80::1                | link-local (fe80:0:0:0:0:0:0:0/10)
            fec0::1                | site-local (fec0:0:0:0:0:0:0:0/10)
            fc00::1                | unique local (ULA) (fc00:0:0:0:0:0:0:0/7)
            fd12:3456::1           | unique local (ULA) (fc00:0:0:0:0:0:0:0/7)
            ff02::1                | multicast (ff00:0:0:0:0:0:0:0/8)
            2001:0:4136:e378::1    | Teredo (2001:0:0:0:0:0:0:0/32)
            64:ff9b:1::1           | NAT64 for local use (64:ff9b:1:0:0:0:0:0/48)
            """)
    void everyDeniedRangeIsNamed(String address, String range) {
        assertThat(DestinationPolicy.deniedRange(literal(address))).isEqualTo(range);
        assertThat(this.policy.refusal(literal(address), 80)).contains("is denied by the destination policy: " + range)
            .contains("demo.fetch.allowed-networks");
    }

    @ParameterizedTest(name = "{0} is public")
    @CsvSource({ "8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "198.17.255.255", "198.20.0.1", "223.255.255.255", "2606:4700::1111", "2a00:1450::1",
            "64:ff9b::808:808", "2002:808:808::1", "::8.8.8.8" })
    void publicAddressesMayBeFetched(String address) {
        assertThat(DestinationPolicy.deniedRange(literal(address))).isNull();
        assertThat(this.policy.refusal(literal(address), 443)).isNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ::169.254.169.254      | the IPv4-compatible form of link-local (169.254.0.0/16)
            ::a9fe:a9fe            | the IPv4-compatible form of link-local (169.254.0.0/16)
            2002:a9fe:a9fe::       | the 6to4 form of link-local (169.254.0.0/16)
            2002:7f00:1::1         | the 6to4 form of loopback (127.0.0.0/8)
            2002:c0a8:101::        | the 6to4 form of private (RFC 1918) (192.168.0.0/16)
            64:ff9b::a9fe:a9fe     | the NAT64 form of link-local (169.254.0.0/16)
            64:ff9b::127.0.0.1     | the NAT64 form of loopback (127.0.0.0/8)
            64:ff9b::10.0.0.1      | the NAT64 form of private (RFC 1918) (10.0.0.0/8)
            """)
    void ipv6FormsOfAnIpv4AddressAreJudgedByTheAddressTheyCarry(String address, String range) {
        assertThat(DestinationPolicy.deniedRange(literal(address))).isEqualTo(range);
    }

    @Test
    void anIpv4MappedIpv6AddressIsJudgedByItsIpv4Address() throws Exception {
        // the JDK turns a mapped literal into the IPv4 address itself ...
        assertThat(literal("::ffff:169.254.169.254").getHostAddress()).isEqualTo("169.254.169.254");
        assertThat(DestinationPolicy.deniedRange(literal("[::ffff:127.0.0.1]"))).isEqualTo("loopback (127.0.0.0/8)");
        // ... and if an IPv6 object still carries one, the policy looks inside
        byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 169, (byte) 254, (byte) 169, (byte) 254 };
        InetAddress ipv6 = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(ipv6).isInstanceOf(Inet6Address.class);
        assertThat(DestinationPolicy.deniedRange(ipv6)).isEqualTo("the IPv4-mapped form of link-local (169.254.0.0/16)");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1              | 127.0.0.1
            2130706433             | 127.0.0.1
            127.1                  | 127.0.0.1
            127.0.1                | 127.0.0.1
            127.0.0.1.             | 127.0.0.1
            0177.0.0.1             | 177.0.0.1
            00000127.0.0.1         | 127.0.0.1
            2852039166             | 169.254.169.254
            169.16689662           | 169.254.169.254
            [::1]                  | 0:0:0:0:0:0:0:1
            [0:0:0:0:0:0:0:1]      | 0:0:0:0:0:0:0:1
            [::ffff:127.0.0.1]     | 127.0.0.1
            ::ffff:7f00:1          | 127.0.0.1
            [::ffff:a9fe:a9fe]     | 169.254.169.254
            fe80::1%1              | fe80:0:0:0:0:0:0:1%1
            """)
    void everyTextualFormTheJdkTakesForAnAddressIsParsedWithoutDns(String host, String address) {
        assertThat(HostLiterals.parse(host)).map(InetAddress::getHostAddress).hasValue(address);
    }

    @Test
    void theOctalLookingFormIsDecimalToTheJdkSoAPublicAddressNotLoopback() {
        InetAddress parsed = literal("0177.0.0.1");
        assertThat(parsed.getHostAddress()).isEqualTo("177.0.0.1");
        assertThat(DestinationPolicy.deniedRange(parsed)).isNull();
    }

    @Test
    void aScopedLinkLocalAddressIsDenied() {
        assertThat(DestinationPolicy.deniedRange(literal("fe80::1%1"))).isEqualTo("link-local (fe80:0:0:0:0:0:0:0/10)");
    }

    @ParameterizedTest(name = "{0} is a name")
    @CsvSource({ "localhost", "localhost.", "0x7f000001", "0x7f.1", "example.com", "1.2.3.4.5", "127.0.0.1..",
            "metadata.google.internal" })
    void formsTheJdkWouldSendToDnsAreNamesAndAreNotParsed(String host) {
        assertThat(HostLiterals.parse(host)).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({ "256.0.0.1", "1.2.3.256", "4294967296", "1.16777216", "1.2.65536", "::zz", "[1::2::3]" })
    void numericFormsThatAreNoAddressAreRefusedRatherThanResolved(String host) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostLiterals.parse(host)).withMessageContaining(host);
    }

    @Test
    void allowedNetworksReAllowRangesOnPurposeAndNothingElse() {
        DestinationPolicy allowing = new DestinationPolicy(
                List.of(IpRange.parse("allowed", "127.0.0.0/8"), IpRange.parse("allowed", "::1/128")), Set.of());
        assertThat(allowing.refusal(literal("127.0.0.1"), 8080)).isNull();
        assertThat(allowing.refusal(literal("127.1"), 8080)).isNull();
        assertThat(allowing.refusal(literal("::1"), 8080)).isNull();
        assertThat(allowing.refusal(literal("0.0.0.0"), 8080)).contains("the any-local address");
        assertThat(allowing.refusal(literal("10.0.0.1"), 8080)).contains("private (RFC 1918)");
        assertThat(allowing.refusal(literal("2002:7f00:1::1"), 8080)).as("the address connected to is judged")
            .contains("the 6to4 form of loopback");
    }

    @Test
    void allowedPortsRestrictEveryDestination() {
        DestinationPolicy ports = new DestinationPolicy(List.of(), Set.of(80, 443));
        assertThat(ports.refusal(literal("8.8.8.8"), 443)).isNull();
        assertThat(ports.refusal(literal("8.8.8.8"), 22)).isEqualTo("port 22 is not in demo.fetch.allowed-ports [80, 443]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0.0/-1", "example.com/8", "localhost" })
    void malformedRangesAreRefused(String cidr) {
        assertThatIllegalArgumentException().isThrownBy(() -> IpRange.parse("allowed", cidr))
            .withMessageContaining(cidr);
    }

    @Test
    void aRangeContainsWhatItsPrefixCovers() {
        IpRange range = IpRange.parse("test", "172.16.0.0/12");
        assertThat(range.contains(literal("172.16.0.0"))).isTrue();
        assertThat(range.contains(literal("172.31.255.255"))).isTrue();
        assertThat(range.contains(literal("172.32.0.0"))).isFalse();
        assertThat(range.contains(literal("::ffff:ac10:1"))).as("the JDK made it 172.16.0.1").isTrue();
        assertThat(IpRange.parse("one", "8.8.8.8").contains(literal("8.8.8.8"))).as("a bare address").isTrue();
        assertThat(IpRange.parse("all", "0.0.0.0/0").contains(literal("203.0.113.7"))).isTrue();
        assertThat(IpRange.parse("all", "0.0.0.0/0").contains(literal("::1"))).as("no IPv6 in an IPv4 range").isFalse();
    }

    private static InetAddress literal(String text) {
        return HostLiterals.parse(text).orElseThrow(() -> new AssertionError(text + " is not a literal"));
    }

}
