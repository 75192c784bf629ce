package ai.molecule.platform.http;

/**
 * Caller-provided text made safe for one log line: CR, LF, other control characters and the
 * Unicode line separators are written as escapes (so no one can forge a log line or colour a
 * terminal), and very long text is cut.
 */
public final class LogSafe {
    private static final int MAX = 1024;

    private LogSafe() {
    }

    public static String of(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = null;
        int n = Math.min(s.length(), MAX);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String esc = escape(c);
            if (esc != null && out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (out != null) out.append(esc != null ? esc : String.valueOf(c));
        }
        String safe = out == null ? s.substring(0, n) : out.toString();
        return s.length() > MAX ? safe + "…" : safe;
    }

    /** A stand-in for {@code e} with the same stack trace, whose messages (and its causes') are escaped. */
    public static Throwable throwable(Throwable e) {
        if (e == null) return null;
        Throwable safe = new Throwable(of(e.toString()), throwable(e.getCause()), false, true) {
            @Override
            public String toString() {
                return getMessage(); // already "Class: message", as printStackTrace shows it
            }
        };
        safe.setStackTrace(e.getStackTrace());
        return safe;
    }

    private static String escape(char c) {
        return switch (c) {
            case '\r' -> "\\r";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
        };
    }
}
