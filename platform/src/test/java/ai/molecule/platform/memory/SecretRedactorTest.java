package ai.molecule.platform.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactorTest {
    @Test
    void redactsEachKindOfSecret() {
        assertThat(SecretRedactor.redact("export OPENAI_API_KEY=abc123 then GITHUB_TOKEN='ghp x' and APP_SECRET=\"s e\""))
                .isEqualTo("export OPENAI_API_KEY=[REDACTED:API_KEY] then GITHUB_TOKEN=[REDACTED:TOKEN] and APP_SECRET=[REDACTED:SECRET]");
        assertThat(SecretRedactor.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"))
                .isEqualTo("Authorization: Bearer [REDACTED:BEARER]");
        assertThat(SecretRedactor.redact("key sk-proj-ABCDEFGHIJKLMNOPqrst is live"))
                .isEqualTo("key [REDACTED:SK_KEY] is live");
        assertThat(SecretRedactor.redact("context7 ctx7_abcDEF123")).isEqualTo("context7 [REDACTED:CTX7_KEY]");
        assertThat(SecretRedactor.redact("blob aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgc2VjcmV0IGtleQ== end"))
                .isEqualTo("blob [REDACTED:BASE64] end");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "Workspace 3f2c7a9e-1b4d-4c8e-9f00-123456789abc owns the sk-short key rule; "
                + "a_very_long_snake_case_identifier_without_digits stays; the token budget is 5 and TOKEN_LIMIT: 5.";
        assertThat(SecretRedactor.redact(text)).isEqualTo(text);
        assertThat(SecretRedactor.redact(null)).isNull();
    }
}
