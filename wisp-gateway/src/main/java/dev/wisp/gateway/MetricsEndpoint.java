package dev.wisp.gateway;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import dev.wisp.http.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} for Prometheus. Metrics name every tenant's functions, so the endpoint is
 * not open: a scraper presents the bearer token kept in {@code DATA/metrics.token} (made once,
 * readable only by the server's user), which is what Prometheus's {@code credentials_file} reads.
 */
public final class MetricsEndpoint {
    public static final String PATH = "/metrics";

    private final byte[] token;
    private final Supplier<String> scrape;
    private final String contentType;

    public MetricsEndpoint(Path tokenFile, Supplier<String> scrape, String contentType) {
        this.token = loadOrCreate(tokenFile).getBytes(StandardCharsets.US_ASCII);
        this.scrape = scrape;
        this.contentType = contentType;
    }

    void serve(Exchange ex) throws IOException {
        String auth = ex.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            throw new WispException(ErrorCode.MISSING_AUTHENTICATION, "Missing Authentication Token: send the bearer token from metrics.token");
        }
        byte[] presented = auth.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(presented, token)) {
            throw new WispException(ErrorCode.ACCESS_DENIED, "The metrics bearer token is not valid.");
        }
        ex.send(200, contentType, scrape.get().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) return Files.readString(file, StandardCharsets.US_ASCII).trim();
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String t = HexFormat.of().formatHex(raw);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, t + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
