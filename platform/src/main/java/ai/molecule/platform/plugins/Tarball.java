package ai.molecule.platform.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A folder as a gzip-compressed POSIX ustar archive, entries under {@code <prefix>/}: regular
 * files and directories only (symlinks are left out), paths up to 255 bytes (ustar's name and
 * prefix fields; a longer one is refused before anything is written). Enough for {@code tar -xzf}.
 */
final class Tarball {
    private static final int BLOCK = 512;

    private Tarball() {
    }

    static void write(Path dir, String prefix, OutputStream target) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(dir)) {
            entries = walk.sorted().toList();
        }
        for (Path p : entries) split(name(dir, prefix, p)); // refuse before the first byte goes out
        GZIPOutputStream out = new GZIPOutputStream(target);
        for (Path p : entries) {
            String name = name(dir, prefix, p);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                out.write(header(name, 0, '5', 0755));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = Files.readAllBytes(p);
                out.write(header(name, bytes.length, '0', 0644));
                out.write(bytes);
                out.write(new byte[(BLOCK - bytes.length % BLOCK) % BLOCK]);
            }
        }
        out.write(new byte[2 * BLOCK]);
        out.finish();
    }

    /** The entry's path in the archive; a directory's ends with a slash. */
    private static String name(Path dir, String prefix, Path p) {
        String name = prefix + (p.equals(dir) ? "" : "/" + dir.relativize(p).toString().replace('\\', '/'));
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? name + "/" : name;
    }

    /** ustar's {prefix, name}: name ≤ 100 bytes, prefix ≤ 155, split at a slash. */
    private static byte[][] split(String path) {
        byte[] all = path.getBytes(StandardCharsets.UTF_8);
        if (all.length <= 100) return new byte[][]{new byte[0], all};
        for (int i = all.length - 101; i < all.length - 1 && i <= 155; i++) {
            if (i >= 0 && all[i] == '/') {
                return new byte[][]{java.util.Arrays.copyOfRange(all, 0, i), java.util.Arrays.copyOfRange(all, i + 1, all.length)};
            }
        }
        throw new ai.molecule.platform.http.ApiError(422, "plugin path too long for a tarball: " + path);
    }

    private static byte[] header(String path, long size, char type, int mode) {
        byte[] h = new byte[BLOCK];
        byte[][] parts = split(path);
        System.arraycopy(parts[1], 0, h, 0, parts[1].length);
        System.arraycopy(parts[0], 0, h, 345, parts[0].length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, System.currentTimeMillis() / 1000);
        h[156] = (byte) type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        return h;
    }

    /** {@code value} as zero-padded octal digits followed by NUL, in {@code len} bytes at {@code at}. */
    private static void octal(byte[] h, int at, int len, long value) {
        String s = String.format("%0" + (len - 1) + "o", value);
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, at, len - 1);
        h[at + len - 1] = 0;
    }
}
