package ai.molecule.runtime.a2a;

import ai.molecule.runtime.files.FileRef;

import java.util.List;
import java.util.Map;

/**
 * One message of a task as this server keeps it: its text (one part) and the files it carries
 * (a part each; data parts are not kept), rendered in either protocol generation by a {@link Wire}.
 */
record ChatMessage(String messageId, boolean fromAgent, String text, List<FileRef> files, String taskId,
                   String contextId, Map<String, Object> metadata) {
}
