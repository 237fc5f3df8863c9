package dev.wisp.gateway.auth;

import dev.wisp.common.Clock;
import dev.wisp.common.Ids;
import dev.wisp.common.WispException;
import dev.wisp.controller.registry.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access keys. SigV4 needs the secret itself to check a signature, so secrets cannot be hashed;
 * they are stored encrypted (AES-GCM) with a master key kept in {@code keys/master.key} under the
 * data directory, readable only by the server's user.
 */
public final class AccessKeyStore {
    private final Database db;
    private final Clock clock;
    private final SecretKeySpec master;
    private final Map<String, Key> cache = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A key as the server holds it in memory. */
    private record Key(String tenant, String secret, boolean admin) {}

    /** A newly created key; the only time its secret is shown. */
    public record Created(String tenant, String accessKeyId, String secretAccessKey) {}

    public AccessKeyStore(Database db, Path dataDir, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.master = new SecretKeySpec(masterKey(dataDir.resolve("keys").resolve("master.key")), "AES");
        db.query("SELECT access_key_id, tenant, secret_enc, admin FROM access_keys", rs -> {
            cache.put(rs.getString(1), new Key(rs.getString(2), decrypt(rs.getString(3)), rs.getBoolean(4)));
            return null;
        });
    }

    private byte[] masterKey(Path file) {
        try {
            if (Files.exists(file)) return Base64.getDecoder().decode(Files.readString(file).trim());
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            byte[] key = new byte[32];
            random.nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    public boolean isEmpty() { return cache.isEmpty(); }

    /**
     * A keyed hash of a value (a client address): stable per data directory, so telemetry can tell
     * sources apart and count them without storing who they are.
     */
    public String keyedHash(String value) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master.getEncoded(), "HmacSHA256"));
            return "ip-" + java.util.HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Created create(String tenant, boolean admin) {
        if (tenant == null || !tenant.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw WispException.invalid("tenant must be 1-64 letters, digits, '-' or '_'");
        }
        String id = Ids.accessKeyId();
        String secret = Ids.secretAccessKey();
        db.update("INSERT INTO access_keys VALUES (?, ?, ?, ?, ?)", id, tenant, encrypt(secret), admin, clock.wallMillis());
        cache.put(id, new Key(tenant, secret, admin));
        return new Created(tenant, id, secret);
    }

    public String secretFor(String accessKeyId) {
        Key k = cache.get(accessKeyId);
        return k == null ? null : k.secret();
    }

    public Optional<Principal> principal(String accessKeyId) {
        Key k = cache.get(accessKeyId);
        return k == null ? Optional.empty() : Optional.of(new Principal(k.tenant(), accessKeyId, k.admin()));
    }

    private String encrypt(String secret) {
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, master, new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String decrypt(String stored) {
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, master, new GCMParameterSpec(128, all, 0, 12));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an access key cannot be decrypted: is keys/master.key the one it was created with?", e);
        }
    }
}
