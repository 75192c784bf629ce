package ai.molecule.platform.files;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat uploads (spec §1.14: ≤25 MB a file, ≤50 MB a request) are not held to the 1 MiB limit
 * of JSON bodies: a 5 MB file goes through and comes back byte for byte; a larger-than-allowed
 * file gets a 413 with a JSON error, and JSON routes keep their 1 MiB limit.
 */
class ChatUploadSizeTest {
    private static final String ADMIN = "upload-admin";
    private static TestPlatform platform;
    private static String ws;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN);
        ws = new Agents(platform, ADMIN).create("{\"name\":\"Uploads\"}");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private HttpResponse<String> upload(byte[]... files) throws Exception {
        String boundary = "----molecule" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] content : files) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"data.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(content);
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create(platform.http().base() + "/workspaces/" + ws + "/chat/uploads"))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFiveMegabyteFileIsStoredAndComesBackIdentical() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(content);
        HttpResponse<String> r = upload(content);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode file = new ObjectMapper().readTree(r.body()).at("/files/0");
        assertThat(file.path("size").asLong()).isEqualTo(content.length);

        String path = file.path("uri").asText().substring("workspace:".length());
        HttpResponse<byte[]> d = client.send(HttpRequest.newBuilder(URI.create(platform.http().base() + "/workspaces/" + ws
                        + "/chat/download?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(d.body()).isEqualTo(content);
    }

    @Test
    void aFileOverTwentyFiveMegabytesIs413() throws Exception {
        HttpResponse<String> r = upload(new byte[25 * 1024 * 1024 + 1]);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(new ObjectMapper().readTree(r.body()).path("error").asText()).isEqualTo("file too large (max 25 MB)");
    }

    @Test
    void moreThanFiftyMegabytesInOneRequestIs413() throws Exception {
        byte[] twenty = new byte[20 * 1024 * 1024];
        HttpResponse<String> r = upload(twenty, twenty, twenty);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(new ObjectMapper().readTree(r.body()).path("error").asText()).isEqualTo("uploads too large (max 50 MB in total)");
    }

    @Test
    void jsonBodiesKeepTheirOneMebibyteLimit() throws Exception {
        String big = "{\"content\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(platform.http().base() + "/workspaces/" + ws + "/files/big.txt"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
    }
}
