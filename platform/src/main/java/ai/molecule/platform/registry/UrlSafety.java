package ai.molecule.platform.registry;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * SSRF guard for agent URLs (spec §2.8). The host is resolved and every address checked,
 * so a DNS name pointing inside the network is caught too. Loopback, RFC 1918 and IPv6
 * unique-local addresses are only accepted in development (or for the platform's own
 * local agents); link-local (cloud metadata), unspecified, multicast, CGNAT and the
 * documentation ranges never are. IPv4-mapped and -compatible IPv6 are judged as IPv4.
 */
public final class UrlSafety {
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowLocal;
    private final Resolver resolver;

    public UrlSafety(boolean allowLocal) {
        this(allowLocal, InetAddress::getAllByName);
    }

    public UrlSafety(boolean allowLocal, Resolver resolver) {
        this.allowLocal = allowLocal;
        this.resolver = resolver;
    }

    /** Why the URL may not be used, or empty when it is safe. */
    public Optional<String> problem(String url) {
        return inspect(url).problem();
    }

    /**
     * The check and the address that passed it. Connecting to that address (not resolving the
     * name again) is what closes DNS rebinding: a name that answered "public" to the check
     * cannot answer "169.254.169.254" to the connection.
     */
    public Inspection inspect(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (Exception e) {
            return Inspection.unsafe("not a valid URL");
        }
        if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) {
            return Inspection.unsafe("scheme must be http or https");
        }
        String host = u.getHost();
        if (host == null || host.isEmpty()) return Inspection.unsafe("host is required");
        if (u.getRawUserInfo() != null) return Inspection.unsafe("credentials in the URL are not allowed");
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Inspection.unsafe("host does not resolve");
        }
        if (addresses.length == 0) return Inspection.unsafe("host does not resolve");
        for (InetAddress a : addresses) {
            Optional<String> p = problem(a);
            if (p.isPresent()) return Inspection.unsafe(p.get());
        }
        return new Inspection(Optional.empty(), u, addresses[0]);
    }

    /** The outcome of {@link #inspect}: a problem, or the URL and the checked address to connect to. */
    public record Inspection(Optional<String> problem, URI uri, InetAddress address) {
        static Inspection unsafe(String why) {
            return new Inspection(Optional.of(why), null, null);
        }
    }

    Optional<String> problem(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            byte[] v4 = embeddedIpv4(b);
            if (v4 != null) return ipv4Problem(v4);
            return ipv6Problem(b);
        }
        return ipv4Problem(b);
    }

    private Optional<String> ipv4Problem(byte[] b) {
        int o1 = b[0] & 0xff, o2 = b[1] & 0xff, o3 = b[2] & 0xff;
        if (o1 == 0) return Optional.of("unspecified address");
        if (o1 == 169 && o2 == 254) return Optional.of("link-local address");
        if (o1 >= 224) return Optional.of("multicast or reserved address");
        if (o1 == 100 && o2 >= 64 && o2 <= 127) return Optional.of("carrier-grade NAT address");
        if ((o1 == 192 && o2 == 0 && o3 == 2) || (o1 == 198 && o2 == 51 && o3 == 100) || (o1 == 203 && o2 == 0 && o3 == 113)) {
            return Optional.of("documentation address");
        }
        if (o1 == 198 && (o2 == 18 || o2 == 19)) return Optional.of("benchmarking address");
        boolean local = o1 == 127 || o1 == 10 || (o1 == 172 && o2 >= 16 && o2 <= 31) || (o1 == 192 && o2 == 168);
        if (local && !allowLocal) return Optional.of("loopback or private address (allowed only in development)");
        return Optional.empty();
    }

    private Optional<String> ipv6Problem(byte[] b) {
        boolean allZero = true;
        for (int i = 0; i < 15; i++) allZero &= b[i] == 0;
        if (allZero && b[15] == 0) return Optional.of("unspecified address");
        if (allZero && b[15] == 1) {
            return allowLocal ? Optional.empty() : Optional.of("loopback or private address (allowed only in development)");
        }
        int first = b[0] & 0xff, second = b[1] & 0xff;
        if (first == 0xfe && (second & 0xc0) == 0x80) return Optional.of("link-local address");
        if (first == 0xff) return Optional.of("multicast address");
        if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return Optional.of("documentation address");
        }
        if ((first & 0xfe) == 0xfc) {
            return allowLocal ? Optional.empty() : Optional.of("unique-local address (allowed only in development)");
        }
        return Optional.empty();
    }

    /** The IPv4 inside ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) or 64:ff9b::/96 (NAT64). */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) zero10 &= b[i] == 0;
        boolean mapped = zero10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zero10 && b[10] == 0 && b[11] == 0 && !((b[12] | b[13] | b[14]) == 0 && (b[15] & 0xfe) == 0);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) nat64 = b[i] == 0;
        if (!mapped && !compatible && !nat64) return null;
        return new byte[]{b[12], b[13], b[14], b[15]};
    }
}
