package ai.molecule.runtime.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.a2a.grpc.utils.ProtoUtils;
import io.a2a.spec.AgentCapabilities;
import io.a2a.spec.AgentCard;
import io.a2a.spec.AgentInterface;
import io.a2a.spec.AgentSkill;
import io.a2a.spec.TransportProtocol;

import java.util.List;
import java.util.Objects;

/**
 * Renders the agent card: the SDK's A2A 1.0 card (proto JSON), plus the top-level
 * {@code url}, {@code protocolVersion} and {@code preferredTransport} that 0.3 clients read.
 * 1.0 has no {@code stateTransitionHistory} capability any more, so it is not advertised.
 */
final class AgentCardJson {
    static final List<String> MODES = List.of("text/plain", "application/json");
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private AgentCardJson() {
    }

    static String render(AgentCardSpec spec) {
        String url = Objects.requireNonNull(spec.url(), "card url");
        AgentCard card = AgentCard.builder()
                .name(nonNull(spec.name()))
                .description(nonNull(spec.description()))
                .version(spec.version() == null ? "1.0.0" : spec.version())
                .capabilities(new AgentCapabilities(spec.streaming(), false, false, List.of()))
                .defaultInputModes(MODES)
                .defaultOutputModes(MODES)
                .skills(spec.skills() == null ? List.of() : spec.skills().stream().map(AgentCardJson::skill).toList())
                .supportedInterfaces(List.of(new AgentInterface(TransportProtocol.JSONRPC.asString(), url, "",
                        AgentInterface.CURRENT_PROTOCOL_VERSION)))
                .build();
        try {
            ObjectNode json = (ObjectNode) JsonRpc.MAPPER.readTree(PRINTER.print(ProtoUtils.ToProto.agentCard(card)));
            json.put("url", url).put("protocolVersion", "0.3.0").put("preferredTransport", "JSONRPC");
            return json.toString();
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("agent card cannot be rendered", e);
        }
    }

    private static AgentSkill skill(AgentCardSpec.Skill s) {
        return new AgentSkill(s.id(), nonNull(s.name() == null ? s.id() : s.name()), nonNull(s.description()),
                s.tags() == null ? List.of() : s.tags(), List.of(), List.of(), List.of(), List.of());
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
