package ai.molecule.platform.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTest {
    @Test
    void lineBreaksAndControlCharactersCannotForgeALogLine() {
        String forged = "name\r\n2026-01-01 [main] INFO forged line\u0000\u001b[31m\u2028";
        String safe = LogSafe.of(forged);
        assertThat(safe).doesNotContain("\r", "\n", "\u0000", "\u001b", "\u2028");
        assertThat(safe).isEqualTo("name\\r\\n2026-01-01 [main] INFO forged line\\u0000\\u001b[31m\\u2028");
    }

    @Test
    void ordinaryTextIsUnchangedAndNullIsPrintable() {
        assertThat(LogSafe.of("Dev Lead — ünïcode ok")).isEqualTo("Dev Lead — ünïcode ok");
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }

    @Test
    void veryLongTextIsCut() {
        assertThat(LogSafe.of("x".repeat(5000))).hasSizeLessThan(1100).endsWith("…");
    }

    @Test
    void anExceptionKeepsItsStackButNotItsLineBreaks() {
        Exception cause = new IllegalStateException("cause\nforged");
        RuntimeException e = new RuntimeException("top\r\nforged", cause);
        Throwable safe = LogSafe.throwable(e);
        assertThat(safe.getStackTrace()).isEqualTo(e.getStackTrace());
        assertThat(safe.getMessage()).isEqualTo("java.lang.RuntimeException: top\\r\\nforged");
        assertThat(safe.getCause().getMessage()).isEqualTo("java.lang.IllegalStateException: cause\\nforged");
        assertThat(safe.getCause().getStackTrace()).isEqualTo(cause.getStackTrace());
    }
}
