package ai.molecule.platform.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** UUID checks at the edge: a malformed id is a 400 with the route's message, never a 500. */
public final class Ids {
    private static final Pattern UUID_TEXT =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private Ids() {
    }

    public static boolean valid(String s) {
        return s != null && UUID_TEXT.matcher(s).matches();
    }

    public static UUID parse(String s, String message) {
        if (!valid(s)) throw ApiError.badRequest(message);
        return UUID.fromString(s);
    }

    /** For routes where upstream does not validate: an id that is not a UUID cannot exist. */
    public static UUID parseOrNotFound(String s, String message) {
        if (!valid(s)) throw ApiError.notFound(message);
        return UUID.fromString(s);
    }

    /**
     * A new version-7 UUID (time-ordered, then random) for row and message ids that nobody needs
     * to be unguessable. {@link UUID#randomUUID} draws from the shared SecureRandom, a lock every
     * proxied message contended on; time order also keeps a primary-key index append-only.
     */
    public static UUID timeOrdered() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextInt() & 0x0FFF);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(high, low);
    }
}
