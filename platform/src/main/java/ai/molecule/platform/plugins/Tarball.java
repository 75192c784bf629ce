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
 * files and directories only (symlinks are left out), names up to 100 bytes (longer ones are
 * refused: plugin paths are short). Enough for {@code tar -xzf} and every tar library.
 */
final class Tarball {
    private static final int BLOCK = 512;

    private Tarball() {
    }

    static void write(Path dir, String prefix, OutputStream target) throws IOException {
        GZIPOutputStream out = new GZIPOutputStream(target);
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(dir)) {
            entries = walk.sorted().toList();
        }
        for (Path p : entries) {
            String name = prefix + (p.equals(dir) ? "" : "/" + dir.relativize(p).toString().replace('\\', '/'));
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                out.write(header(name + "/", 0, '5', 0755));
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

    private static byte[] header(String name, long size, char type, int mode) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) throw new IllegalArgumentException("path too long for the archive: " + name);
        System.arraycopy(n, 0, h, 0, n.length);
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
