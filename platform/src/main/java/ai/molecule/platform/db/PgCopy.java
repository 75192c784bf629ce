package ai.molecule.platform.db;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.SQLException;
import java.util.List;

/**
 * Many rows in one {@code COPY … FROM STDIN} (text format): no statement per row and no
 * parameter binding, the cheapest way into PostgreSQL for write-behind batches. Values are
 * written with {@link Object#toString()} ({@code null} is NULL); the server casts each to its
 * column's type, as it would a text parameter.
 */
public final class PgCopy {
    private PgCopy() {
    }

    /** Copies {@code rows} (each one value per column of {@code columns}) into {@code table}, in the handle's transaction. */
    public static void copy(Handle h, String table, String columns, List<Object[]> rows) {
        StringBuilder data = new StringBuilder(rows.size() * 512);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) data.append('\t');
                if (row[i] == null) data.append("\\N");
                else escape(row[i].toString(), data);
            }
            data.append('\n');
        }
        try {
            h.getConnection().unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + columns + ") FROM STDIN", new StringReader(data.toString()));
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("COPY into " + table + " failed: " + e.getMessage(), e);
        }
    }

    /** The text format's escapes: backslash, and the characters that end a value or a row. */
    static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
