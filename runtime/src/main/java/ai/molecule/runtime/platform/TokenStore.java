package ai.molecule.runtime.platform;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The workspace's bearer token in {@code <configDir>/.auth_token} (spec agent-side §1.4):
 * read at boot, saved once from the first registration, re-read after a 401. The file is
 * 0600 and replaced atomically so a crash never leaves half a token.
 */
public final class TokenStore {
    public static final String FILE = ".auth_token";

    private final Path file;
    private volatile String cached;

    public TokenStore(Path configDir) {
        this.file = configDir.resolve(FILE);
        this.cached = readFile();
    }

    public Optional<String> token() {
        return Optional.ofNullable(cached);
    }

    /** Re-reads the file (another process may have rotated it); true when the token changed. */
    public boolean refresh() {
        String before = cached;
        cached = readFile();
        return cached != null && !cached.equals(before);
    }

    /** Keeps the token in memory even if the file cannot be written, so this run stays authenticated. */
    public synchronized void save(String token) throws IOException {
        cached = token;
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("token file is being written by someone else: " + tmp, e);
        }
        Files.writeString(tmp, token);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private String readFile() {
        try {
            String t = Files.readString(file).strip();
            return t.isEmpty() ? null : t;
        } catch (IOException e) {
            return null;
        }
    }
}
