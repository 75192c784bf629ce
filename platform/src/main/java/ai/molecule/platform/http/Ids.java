package ai.molecule.platform.http;

import java.util.UUID;
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
}
