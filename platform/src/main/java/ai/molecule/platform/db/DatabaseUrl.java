package ai.molecule.platform.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Turns the original's {@code postgres://user:pass@host:port/db?sslmode=...} into JDBC terms. */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url) {
        if (url.startsWith("jdbc:postgresql:")) return new DatabaseUrl(url, null, null);
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL");
        }
        if (!"postgres".equals(u.getScheme()) && !"postgresql".equals(u.getScheme())) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgres:// or jdbc:postgresql:");
        }
        String user = null, pass = null;
        if (u.getRawUserInfo() != null) {
            String[] up = u.getRawUserInfo().split(":", 2);
            user = decode(up[0]);
            pass = up.length > 1 ? decode(up[1]) : null;
        }
        int port = u.getPort() > 0 ? u.getPort() : 5432;
        String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        return new DatabaseUrl("jdbc:postgresql://" + u.getHost() + ":" + port + u.getRawPath() + query, user, pass);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
