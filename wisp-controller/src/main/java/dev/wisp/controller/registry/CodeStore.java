package dev.wisp.controller.registry;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Deployment packages, unpacked once per distinct content under {@code data/code/<sha256>}. The
 * unpacked tree is world-readable and owned by the server, so an instance running as an
 * unprivileged user (or behind a read-only bind mount) cannot change it. Unpacking refuses entries
 * that would land outside the directory, links, and packages beyond Lambda's size limits.
 */
public final class CodeStore {
    /** Lambda's limits: 50 MB zipped (direct upload), 250 MB unzipped. */
    public static final long MAX_ZIPPED = 50L * 1024 * 1024;
    public static final long MAX_UNZIPPED = 250L * 1024 * 1024;
    private static final int MAX_ENTRIES = 20_000;

    private final Path root;

    /** What a stored package is known by. */
    public record StoredCode(String key, String sha256Base64, long size) {}

    public CodeStore(Path dataDir) {
        this.root = dataDir.resolve("code");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dirOf(String key) { return root.resolve(key); }

    public StoredCode store(byte[] zip) {
        if (zip.length == 0) throw WispException.invalid("Code: ZipFile must not be empty");
        if (zip.length > MAX_ZIPPED) {
            throw new WispException(ErrorCode.REQUEST_TOO_LARGE, "Zipped package size " + zip.length
                    + " exceeds the maximum of " + MAX_ZIPPED + " bytes");
        }
        byte[] digest = sha256(zip);
        String key = HexFormat.of().formatHex(digest);
        Path target = root.resolve(key);
        if (!Files.isDirectory(target)) {
            Path staging = root.resolve(".staging-" + key + "-" + Thread.currentThread().threadId());
            try {
                unpack(zip, staging);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(staging);
                if (!Files.isDirectory(target)) {
                    throw new WispException(ErrorCode.SERVICE, "cannot store code: " + e.getMessage(), Map.of(), e);
                }
            } catch (RuntimeException e) {
                deleteTree(staging);
                throw e;
            }
        }
        return new StoredCode(key, Base64.getEncoder().encodeToString(digest), zip.length);
    }

    private static void unpack(byte[] zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        ZipFile zf;
        try {
            zf = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zip)).get();
        } catch (IOException e) {
            throw invalidZip("Could not unzip uploaded file. Please check your file, then try to upload again. ("
                    + e.getMessage() + ")");
        }
        try (zf) {
            long total = 0;
            int count = 0;
            for (ZipArchiveEntry entry : Collections.list(zf.getEntries())) {
                if (++count > MAX_ENTRIES) throw invalidZip("Deployment package has more than " + MAX_ENTRIES + " entries");
                Path out = dir.resolve(entry.getName()).normalize();
                if (entry.getName().startsWith("/") || !out.startsWith(dir) || out.equals(dir) && !entry.isDirectory()) {
                    throw invalidZip("Deployment package entry '" + entry.getName() + "' points outside the package");
                }
                if (entry.isUnixSymlink()) {
                    throw invalidZip("Deployment package entry '" + entry.getName() + "' is a symbolic link, which is not supported");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zf.getInputStream(entry); OutputStream os = Files.newOutputStream(out)) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (total > MAX_UNZIPPED) {
                            throw invalidZip("Unzipped size must be smaller than " + MAX_UNZIPPED + " bytes");
                        }
                        os.write(buf, 0, n);
                    }
                }
                boolean executable = (entry.getUnixMode() & 0111) != 0;
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            }
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof IllegalArgumentException) throw invalidZip("Could not unzip uploaded file: " + e.getMessage());
            throw e;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static WispException invalidZip(String message) {
        return new WispException(ErrorCode.INVALID_PARAMETER, message);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (var paths = Files.walk(p)) {
            paths.sorted(Collections.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // staging leftovers are harmless
        }
    }
}
