package ai.molecule.runtime.tools;

import ai.molecule.runtime.platform.Peer;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.PlatformException;

import java.util.List;

/** list_peers, get_workspace_info and send_message_to_user. */
final class WorkspaceTools {
    private final PlatformClient platform;

    WorkspaceTools(PlatformClient platform) {
        this.platform = platform;
    }

    List<Tool> tools() {
        return List.of(
                new Tool("list_peers", "The workspaces you can delegate to: name, id, status and role.",
                        Tool.params().build(), a -> peers()),
                new Tool("get_workspace_info", "Your own workspace record on the platform (name, role, status, tier...).",
                        Tool.params().build(), a -> call(() -> platform.workspaceInfo().toString())),
                new Tool("send_message_to_user", "Post a message to the user's chat now (acknowledgements, progress, "
                        + "results of background work).",
                        Tool.params().addStringProperty("message", "the text to show the user").required("message").build(),
                        a -> {
                            String message = a.required("message");
                            return call(() -> {
                                platform.notifyUser(message, null);
                                return "Message sent to the user.";
                            });
                        }));
    }

    private String peers() {
        return call(() -> {
            List<Peer> peers = platform.peers();
            if (peers.isEmpty()) return "You have no peers.";
            return String.join("\n", peers.stream().map(Peer::line).toList());
        });
    }

    /** A platform call whose failure the model should read. */
    interface Call {
        String run() throws PlatformException;
    }

    static String call(Call c) {
        try {
            return c.run();
        } catch (PlatformException e) {
            return "Error: " + e.getMessage();
        }
    }
}
