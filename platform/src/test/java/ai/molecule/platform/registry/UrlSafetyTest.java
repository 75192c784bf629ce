package ai.molecule.platform.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The SSRF guard (spec §2.8) with a fake resolver: names resolve only through the table below, never DNS. */
class UrlSafetyTest {
    private static final Map<String, List<String>> NAMES = Map.of(
            "localhost", List.of("127.0.0.1"),
            "agent.example.com", List.of("93.184.216.34"),
            "v6.example.com", List.of("2606:4700::1111"),
            "internal.corp", List.of("10.0.0.5"),
            "metadata.corp", List.of("169.254.169.254"),
            "mixed.example.com", List.of("93.184.216.34", "192.168.1.10"));

    /** Names the test has looked up, so a literal can be proven never to reach the resolver. */
    private final List<String> lookedUp = new ArrayList<>();

    private final UrlSafety.Resolver fake = host -> {
        if (host.contains(":") || host.matches("[0-9.]+")) return new InetAddress[]{InetAddress.getByName(host)}; // literal: no DNS
        lookedUp.add(host);
        List<String> ips = NAMES.get(host);
        if (ips == null) throw new UnknownHostException(host);
        InetAddress[] out = new InetAddress[ips.size()];
        for (int i = 0; i < out.length; i++) out[i] = InetAddress.getByAddress(host, InetAddress.getByName(ips.get(i)).getAddress());
        return out;
    };

    private final UrlSafety strict = new UrlSafety(false, fake);
    private final UrlSafety dev = new UrlSafety(true, fake);

    @ParameterizedTest(name = "allowed: {0}")
    @ValueSource(strings = {
            "http://93.184.216.34:8000",
            "https://93.184.216.34/a2a",
            "HTTP://8.8.8.8",
            "http://[2606:4700:4700::1111]:8000",
            "http://agent.example.com:8000/path?q=1",
            "https://v6.example.com",
            // edges just outside the blocked ranges
            "http://172.15.255.255", "http://172.32.0.1", "http://100.63.255.255", "http://100.128.0.1",
            "http://192.0.3.1", "http://11.0.0.1", "http://169.253.0.1", "http://223.255.255.255",
            "http://[2001:db9::1]", "http://[fbff::1]"})
    void publicAddressesAreAllowed(String url) {
        assertThat(strict.problem(url)).as(url).isEmpty();
        assertThat(dev.problem(url)).as(url).isEmpty();
    }

    @ParameterizedTest(name = "blocked by default: {0} ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            http://127.0.0.1:9                    | loopback or private address
            http://127.8.9.10                     | loopback or private address
            http://localhost:8000                 | loopback or private address
            http://10.1.2.3                       | loopback or private address
            http://172.16.0.1                     | loopback or private address
            http://172.31.255.254                 | loopback or private address
            http://192.168.1.1                    | loopback or private address
            http://169.254.169.254/latest/meta-data | link-local address
            http://0.0.0.0:8000                   | unspecified address
            http://100.64.0.1                     | carrier-grade NAT address
            http://192.0.2.1                      | documentation address
            http://198.51.100.1                   | documentation address
            http://203.0.113.1                    | documentation address
            http://224.0.0.1                      | multicast or reserved address
            http://255.255.255.255                | multicast or reserved address
            http://[::1]:8000                     | loopback or private address
            http://[::]:8000                      | unspecified address
            http://[fe80::1]                      | link-local address
            http://[fc00::1]                      | unique-local address
            http://[fd12::1]                      | unique-local address
            http://[ff02::1]                      | multicast address
            http://[::ffff:127.0.0.1]             | loopback or private address
            http://[::ffff:169.254.169.254]       | link-local address
            http://[::ffff:10.0.0.1]              | loopback or private address
            http://[64:ff9b::a9fe:a9fe]           | link-local address
            http://[2001:db8::1]                  | documentation address
            http://internal.corp:8000             | loopback or private address
            http://metadata.corp                  | link-local address
            http://mixed.example.com              | loopback or private address
            http://no-such-host.invalid           | host does not resolve
            ftp://93.184.216.34/file              | scheme must be http or https
            file:///etc/passwd                    | scheme must be http or https
            agent.example.com:8000                | scheme must be http or https
            93.184.216.34:8000                    | not a valid URL
            http:///agent                         | host is required
            http://user:pass@93.184.216.34        | credentials in the URL are not allowed
            http://user:pass@agent.example.com    | credentials in the URL are not allowed
            http://bad host/                      | not a valid URL
            """)
    void blockedByDefault(String url, String reason) {
        assertThat(strict.problem(url)).as(url).hasValueSatisfying(p -> assertThat(p).startsWith(reason));
    }

    @ParameterizedTest(name = "dev allows: {0}")
    @ValueSource(strings = {
            "http://127.0.0.1:9", "http://localhost:8000", "http://10.1.2.3", "http://172.16.0.1", "http://192.168.1.1",
            "http://[::1]:8000", "http://[fc00::1]", "http://[fd12::1]", "http://[::ffff:127.0.0.1]",
            "http://internal.corp:8000", "http://mixed.example.com"})
    void developmentAllowsLoopbackPrivateAndUniqueLocal(String url) {
        assertThat(strict.problem(url)).as("strict " + url).isPresent();
        assertThat(dev.problem(url)).as("dev " + url).isEmpty();
    }

    @ParameterizedTest(name = "dev still blocks: {0} ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            http://169.254.169.254                | link-local address
            http://[fe80::1]                      | link-local address
            http://[::ffff:169.254.169.254]       | link-local address
            http://metadata.corp                  | link-local address
            http://0.0.0.0                        | unspecified address
            http://[::]                           | unspecified address
            http://224.0.0.1                      | multicast or reserved address
            http://[ff02::1]                      | multicast address
            http://100.64.0.1                     | carrier-grade NAT address
            http://192.0.2.1                      | documentation address
            http://198.51.100.1                   | documentation address
            http://203.0.113.1                    | documentation address
            http://[2001:db8::1]                  | documentation address
            http://no-such-host.invalid           | host does not resolve
            ftp://127.0.0.1                       | scheme must be http or https
            http://user:pass@127.0.0.1            | credentials in the URL are not allowed
            """)
    void developmentStillBlocksMetadataMulticastAndDocumentation(String url, String reason) {
        assertThat(dev.problem(url)).as(url).hasValueSatisfying(p -> assertThat(p).startsWith(reason));
    }

    @Test
    void credentialsAreRejectedBeforeAnyLookup() {
        assertThat(strict.problem("http://user:pass@agent.example.com")).isPresent();
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void everyResolvedAddressIsChecked() {
        assertThat(strict.problem("http://mixed.example.com")).contains("loopback or private address (allowed only in development)");
        assertThat(lookedUp).containsExactly("mixed.example.com");
    }

    @Test
    void aResolverReturningNothingIsRejected() {
        UrlSafety empty = new UrlSafety(true, host -> new InetAddress[0]);
        assertThat(empty.problem("http://agent.example.com")).contains("host does not resolve");
    }
}
