package ai.molecule.platform.files;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Body;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.http.RouteModule;
import ai.molecule.platform.http.WorkspaceScope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Files, shared context and chat attachments (spec §1.14). */
public final class FileRoutes implements RouteModule {
    private final WorkspaceFileService files;
    private final ChatFiles chat;
    private final WorkspaceScope scope;

    public FileRoutes(WorkspaceFileService files, WorkspaceScope scope) {
        this.files = files;
        this.chat = new ChatFiles(files);
        this.scope = scope;
    }

    @Override
    public void addTo(RoutesConfig r) {
        r.get("/workspaces/{id}/files", ctx -> {
            UUID id = scope.authorize(ctx);
            ctx.json(files.list(id, ctx.queryParam("root"), ctx.queryParam("path"), depth(ctx)));
        });
        r.put("/workspaces/{id}/files", ctx -> {
            UUID id = scope.authorize(ctx);
            Map<String, String> given = stringMap(Body.of(ctx, "invalid request body"));
            int n = files.replaceAll(id, given);
            ctx.json(JsonMap.of("status", "replaced", "workspace", id.toString(), "files", n, "source", "volume",
                    "needs_restart", true));
        });
        r.get("/workspaces/{id}/files/<path>", ctx -> {
            UUID id = scope.authorize(ctx);
            ctx.json(files.read(id, ctx.queryParam("root"), ctx.pathParam("path")));
        });
        r.put("/workspaces/{id}/files/<path>", ctx -> {
            UUID id = scope.authorize(ctx);
            String content = Body.of(ctx, "invalid request body").string("content")
                    .orElseThrow(() -> ApiError.badRequest("invalid request body"));
            String path = ctx.pathParam("path");
            boolean restart = files.write(id, ctx.queryParam("root"), path, content);
            ctx.json(restart ? JsonMap.of("status", "saved", "path", path, "needs_restart", true)
                    : JsonMap.of("status", "saved", "path", path));
        });
        r.delete("/workspaces/{id}/files/<path>", ctx -> {
            UUID id = scope.authorize(ctx);
            String path = ctx.pathParam("path");
            files.delete(id, ctx.queryParam("root"), path);
            ctx.json(JsonMap.of("status", "deleted", "path", path));
        });
        r.get("/workspaces/{id}/shared-context", ctx -> ctx.json(files.sharedContext(scope.authorize(ctx))));
        r.post("/workspaces/{id}/chat/uploads", this::upload);
        r.get("/workspaces/{id}/chat/download", ctx -> {
            UUID id = scope.authorize(ctx);
            Path file = chat.download(id, ctx.queryParam("path"));
            ctx.header("Content-Disposition", "attachment; filename=\"" + ChatFiles.sanitize(file.getFileName().toString()) + "\"");
            ctx.contentType(contentType(file));
            try {
                ctx.result(Files.newInputStream(file));
            } catch (IOException e) {
                throw ApiError.notFound("file not found");
            }
        });
    }

    private void upload(Context ctx) {
        UUID id = scope.authorize(ctx);
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase().startsWith("multipart/form-data")) {
            throw ApiError.badRequest("expected multipart/form-data with field 'files'");
        }
        List<UploadedFile> uploads = parts(ctx);
        if (uploads.isEmpty()) throw ApiError.badRequest("no files uploaded (field 'files')");
        long total = uploads.stream().mapToLong(UploadedFile::size).sum();
        if (total > ChatFiles.MAX_TOTAL_BYTES) throw new ApiError(413, "uploads too large (max 50 MB in total)");
        List<Map<String, Object>> out = new ArrayList<>();
        for (UploadedFile f : uploads) {
            if (f.size() > ChatFiles.MAX_FILE_BYTES) throw new ApiError(413, "file too large (max 25 MB)");
            out.add(chat.store(id, f.filename(), f.contentType(), f.content()));
        }
        ctx.json(Map.of("files", out));
    }

    /**
     * The {@code files} parts, streamed to disk by Jetty, which stops reading at the caps set in
     * {@code HttpServer} (25 MB a file, 50 MB a request) instead of storing an endless upload first.
     */
    private static List<UploadedFile> parts(Context ctx) {
        try {
            return ctx.uploadedFiles("files");
        } catch (Exception e) { // Jetty's ServletException, thrown undeclared
            for (Throwable c = e; c != null; c = c.getCause()) {
                String m = String.valueOf(c.getMessage());
                if (m.startsWith("max file size exceeded")) throw new ApiError(413, "file too large (max 25 MB)");
                if (m.startsWith("max length exceeded")) throw new ApiError(413, "uploads too large (max 50 MB in total)");
            }
            throw ApiError.badRequest("invalid multipart body");
        }
    }

    private static String contentType(Path file) {
        try {
            String t = Files.probeContentType(file);
            return t == null ? "application/octet-stream" : t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int depth(Context ctx) {
        String raw = ctx.queryParam("depth");
        if (raw == null || raw.isEmpty()) return 1;
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("depth must be 1-5");
        }
    }

    private static Map<String, String> stringMap(Body b) {
        var node = b.object("files").orElseThrow(() -> ApiError.badRequest("invalid request body"));
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) throw ApiError.badRequest("invalid request body");
            out.put(e.getKey(), e.getValue().textValue());
        });
        return out;
    }
}
