package ai.molecule.runtime.tools;

import ai.molecule.runtime.platform.Peer;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.PlatformException;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Models name peers by id or by name; this turns either into the id the platform wants. */
final class PeerLookup {
    /** A resolved target: its id and how to call it in texts for the model. */
    record Target(UUID id, String label) {
    }

    private static final Pattern UUID_TEXT = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final PlatformClient platform;

    PeerLookup(PlatformClient platform) {
        this.platform = platform;
    }

    /** @throws PlatformException when no peer (or more than one) has that exact name */
    Target resolve(String idOrName) throws PlatformException {
        String wanted = idOrName.strip();
        if (UUID_TEXT.matcher(wanted).matches()) return new Target(UUID.fromString(wanted), wanted);
        List<Peer> peers = platform.peers();
        List<Peer> named = peers.stream().filter(p -> p.name().equals(wanted)).toList();
        if (named.size() > 1) {
            throw new PlatformException(400, "several peers are named '" + wanted + "'; use an id: "
                    + String.join(", ", named.stream().map(Peer::line).toList()));
        }
        if (named.isEmpty()) {
            String known = peers.isEmpty() ? "you have no peers"
                    : "your peers are " + String.join(", ", peers.stream().map(Peer::line).toList());
            throw new PlatformException(404, "no peer has the id or name '" + wanted + "' (" + known + ")");
        }
        return new Target(UUID.fromString(named.getFirst().id()), named.getFirst().name());
    }
}
