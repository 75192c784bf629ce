package ai.molecule.runtime.a2a;

import ai.molecule.runtime.RuntimeStats;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** JSON-RPC and A2A error codes for bad input, all answered with HTTP 200 and no Java text. */
class A2aServerErrorsTest {
    private static final String SEND = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":"
            + A2aTestClient.textMessage("hi") + "}";

    static Stream<Arguments> badRequests() {
        return Stream.of(
                arguments("bare word", "garbage", Map.of(), -32700, null),
                arguments("truncated JSON", "{\"jsonrpc\":\"2.0\",", Map.of(), -32700, null),
                arguments("empty body", "", Map.of(), -32700, null),
                arguments("batch array", "[]", Map.of(), -32600, null),
                arguments("no id", "{\"jsonrpc\":\"2.0\",\"method\":\"tasks/get\",\"params\":{}}", Map.of(), -32600, null),
                arguments("wrong jsonrpc", "{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"tasks/get\",\"params\":{}}", Map.of(), -32600, 7),
                arguments("method not a string", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":5}", Map.of(), -32600, 7),
                arguments("unknown method", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tasks/explode\",\"params\":{}}", Map.of(), -32601, 7),
                arguments("params missing", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\"}", Map.of(), -32602, 7),
                arguments("message missing", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"SendMessage\",\"params\":{}}", Map.of(), -32602, 7),
                arguments("parts not an array", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":"
                        + "{\"message\":{\"role\":\"user\",\"parts\":\"hi\"}}}", Map.of(), -32602, 7),
                arguments("bad role", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":"
                        + "{\"message\":{\"role\":\"king\",\"parts\":[{\"text\":\"hi\"}]}}}", Map.of(), -32602, 7),
                arguments("task id missing", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"GetTask\",\"params\":{}}", Map.of(), -32602, 7),
                arguments("page size too big", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ListTasks\",\"params\":{\"pageSize\":5000}}",
                        Map.of(), -32602, 7),
                arguments("unsupported A2A-Version", SEND, Map.of("a2a-version", "2.0"), -32009, 7));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("badRequests")
    void answersTheRightCode(String name, String body, Map<String, String> headers, int code, Integer id) {
        JsonNode answer = new A2aTestClient(server()).raw(body, headers);

        assertThat(answer.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(answer.at("/error/code").asInt()).isEqualTo(code);
        assertThat(answer.has("id")).as("id is always present").isTrue();
        if (id == null) {
            assertThat(answer.get("id").isNull()).isTrue();
        } else {
            assertThat(answer.get("id").asInt()).isEqualTo(id);
        }
        assertThat(answer.at("/error/message").asText()).isNotBlank().doesNotContain("Exception", "at com.", "at io.");
    }

    static Stream<Arguments> acceptedVersions() {
        return Stream.of(arguments(Map.of()), arguments(Map.of("a2a-version", "0.3")), arguments(Map.of("a2a-version", "1.0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedVersions")
    void absentOrSupportedVersionsAreServed(Map<String, String> headers) {
        JsonNode answer = new A2aTestClient(server()).raw(SEND, headers);
        assertThat(answer.at("/result/parts/0/text").asText()).isEqualTo("echo: hi");
    }

    private static A2aServer server() {
        return new A2aServer(A2aServerTest.CARD, new Agents.Echo(), new RuntimeStats(), A2aServerTest.NO_FILES);
    }
}
