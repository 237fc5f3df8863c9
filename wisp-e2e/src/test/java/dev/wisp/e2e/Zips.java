package dev.wisp.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import software.amazon.awssdk.core.SdkBytes;

/** Deployment packages built in tests: from the examples directory or from inline sources. */
final class Zips {
    private Zips() {}

    static Path repo() { return Path.of(System.getProperty("wisp.repo", "..")).toAbsolutePath().normalize(); }

    static SdkBytes example(String name) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Path dir = repo().resolve("examples").resolve(name);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip(files, n -> n.equals("bootstrap"));
    }

    static SdkBytes of(String... nameThenContent) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            files.put(nameThenContent[i], nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return zip(files, n -> n.equals("bootstrap") || n.endsWith(".sh"));
    }

    static SdkBytes zip(Map<String, byte[]> files, java.util.function.Predicate<String> executable) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
                entry.setUnixMode(executable.test(e.getKey()) ? 0100755 : 0100644);
                zip.putArchiveEntry(entry);
                zip.write(e.getValue());
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SdkBytes.fromByteArray(bytes.toByteArray());
    }
}
