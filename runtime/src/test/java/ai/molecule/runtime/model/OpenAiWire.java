package ai.molecule.runtime.model;

import java.util.List;
import java.util.stream.Collectors;

/** OpenAI chat-completions bodies, shared by OpenAI and the services that copy its API. */
public final class OpenAiWire {
    private OpenAiWire() {
    }

    public static String text(String text) {
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}}""".formatted(text);
    }

    public static String toolCall(String tool, String q) {
        return """
                {"id":"chatcmpl-2","object":"chat.completion","created":1700000000,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_abc123456","type":"function","function":{"name":"%s","arguments":"{\\"q\\":\\"%s\\"}"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}""".formatted(tool, q);
    }

    /** A server-sent-event stream delivering {@code pieces} as content deltas. */
    public static String textStream(List<String> pieces) {
        String deltas = pieces.stream()
                .map(p -> event("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + p + "\"}}]}"))
                .collect(Collectors.joining());
        return event("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}")
                + deltas
                + event("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":" + pieces.size() + ",\"total_tokens\":" + (4 + pieces.size()) + "}}")
                + event("[DONE]");
    }

    /** A server-sent-event stream asking for one tool call, its arguments split over two deltas. */
    public static String toolCallStream(String tool, String q) {
        return event("{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":"
                + "[{\"index\":0,\"id\":\"call_s1\",\"type\":\"function\",\"function\":{\"name\":\"" + tool + "\",\"arguments\":\"\"}}]}}]}")
                + event("{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":"
                + "[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]}}]}")
                + event("{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":"
                + "[{\"index\":0,\"function\":{\"arguments\":\"\\\"" + q + "\\\"}\"}}]}}]}")
                + event("{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}")
                + event("[DONE]");
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }
}
