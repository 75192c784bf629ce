package ai.molecule.platform;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MOLECULE_ENV is read one way: trimmed, case-insensitive, with the short aliases. */
class PlatformConfigTest {

    @ParameterizedTest(name = "MOLECULE_ENV=''{0}'' → dev={1} prod={2} testTokens={3}")
    @CsvSource(delimiter = '|', value = {
            "development   | true  | false | true",
            "dev           | true  | false | true",
            "' Development '| true | false | true",
            "DEV           | true  | false | true",
            "production    | false | true  | false",
            "prod          | false | true  | false",
            "' Production' | false | true  | false",
            "PROD          | false | true  | false",
            "''            | false | false | false",
            "staging       | false | false | false"})
    void moleculeEnvIsParsedOneWay(String value, boolean dev, boolean prod, boolean testTokens) {
        PlatformConfig c = config("MOLECULE_ENV", value);
        assertThat(c.devEnvironment()).isEqualTo(dev);
        assertThat(c.devMode()).isEqualTo(dev);
        assertThat(c.production()).isEqualTo(prod);
        assertThat(c.testTokensEnabled()).isEqualTo(testTokens);
    }

    @ParameterizedTest
    @CsvSource({"production", "''", "staging"})
    void testTokensCanBeForcedOnInAnyMode(String env) {
        assertThat(config("MOLECULE_ENV", env, "MOLECULE_ENABLE_TEST_TOKENS", "1").testTokensEnabled()).isTrue();
        assertThat(config("MOLECULE_ENV", env, "MOLECULE_ENABLE_TEST_TOKENS", "0").testTokensEnabled()).isFalse();
    }

    private static PlatformConfig config(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return PlatformConfig.fromEnv(env);
    }
}
