package ai.molecule.platform.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the secrets key comes from: SECRETS_ENCRYPTION_KEY (32 raw bytes or base64 of 32),
 * else a key generated once and kept in MOLECULE_HOME/secrets.key with 0600 permissions,
 * so secrets are encrypted at rest on every install, not only configured ones.
 */
public final class SecretKeys {
    private SecretKeys() {
    }

    public static byte[] load(String configured, Path home, boolean production) throws IOException {
        if (configured != null) return decode(configured);
        if (production) {
            throw new IllegalStateException("SECRETS_ENCRYPTION_KEY is required when MOLECULE_ENV is production");
        }
        Path file = home.resolve("secrets.key");
        if (Files.exists(file)) return decode(Files.readString(file, StandardCharsets.UTF_8).trim());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(home);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.UTF_8);
            return key;
        } catch (FileAlreadyExistsException raced) {
            return decode(Files.readString(file, StandardCharsets.UTF_8).trim());
        }
    }

    static byte[] decode(String value) {
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        if (raw.length == 32) return raw;
        try {
            byte[] b = Base64.getDecoder().decode(value.trim());
            if (b.length == 32) return b;
        } catch (IllegalArgumentException ignored) {
            // fall through to the error below
        }
        throw new IllegalStateException("SECRETS_ENCRYPTION_KEY must be 32 bytes or base64 of 32 bytes");
    }
}
