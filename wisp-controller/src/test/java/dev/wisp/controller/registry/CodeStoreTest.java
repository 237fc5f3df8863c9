package dev.wisp.controller.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeStoreTest {
    @TempDir
    Path dataDir;

    /** One zip entry: name, unix mode (0 = none recorded), content (null for a directory). */
    private record E(String name, int mode, String content) {
        static E file(String name, int mode, String content) { return new E(name, UnixStat.FILE_FLAG | mode, content); }

        static E dir(String name) { return new E(name, UnixStat.DIR_FLAG | 0755, null); }
    }

    private static byte[] zip(E... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            for (E e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                if (e.mode() != 0) entry.setUnixMode(e.mode());
                out.putArchiveEntry(entry);
                if (e.content() != null) out.write(e.content().getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private Path codeRoot() { return dataDir.resolve("code"); }

    private List<Path> everythingUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).toList();
        }
    }

    private static Set<PosixFilePermission> perms(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }

    private void assertRejected(ErrorCode code, String messageFragment, byte[] zip) throws IOException {
        CodeStore store = new CodeStore(dataDir);
        WispException e = assertThrows(WispException.class, () -> store.store(zip));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(messageFragment), "rejected for the expected reason: " + e.getMessage());
        assertEquals(List.of(), everythingUnder(codeRoot()), "nothing stored, no staging left behind");
        assertEquals(List.of(codeRoot()), everythingUnder(dataDir), "nothing written outside the code directory");
    }

    @Test
    void storesAValidZipUnderItsSha256() throws Exception {
        byte[] zip = zip(E.file("index.py", 0644, "def handler(e, c): return 1\n"),
                E.dir("lib/"), E.file("lib/util.py", 0644, "X = 1\n"), E.file("deep/er/data.txt", 0644, "nested"));
        CodeStore store = new CodeStore(dataDir);
        CodeStore.StoredCode stored = store.store(zip);

        byte[] digest = MessageDigest.getInstance("SHA-256").digest(zip);
        assertEquals(HexFormat.of().formatHex(digest), stored.key());
        assertEquals(Base64.getEncoder().encodeToString(digest), stored.sha256Base64());
        assertEquals(zip.length, stored.size());

        Path dir = store.dirOf(stored.key());
        assertEquals(codeRoot().resolve(stored.key()), dir);
        assertEquals("def handler(e, c): return 1\n", Files.readString(dir.resolve("index.py")));
        assertEquals("X = 1\n", Files.readString(dir.resolve("lib/util.py")));
        assertEquals("nested", Files.readString(dir.resolve("deep/er/data.txt")));
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), perms(dir.resolve("deep/er")),
                "directories created implicitly are world-readable and traversable");
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), perms(dir));
    }

    @Test
    void keepsTheExecutableBitOf0755AndNotOf0644() throws Exception {
        byte[] zip = zip(E.file("bootstrap", 0755, "#!/bin/sh\n"), E.file("data.json", 0644, "{}"),
                E.file("group-exec", 0610, "x"));
        CodeStore store = new CodeStore(dataDir);
        Path dir = store.dirOf(store.store(zip).key());

        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), perms(dir.resolve("bootstrap")));
        assertTrue(Files.isExecutable(dir.resolve("bootstrap")));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), perms(dir.resolve("data.json")));
        assertFalse(Files.isExecutable(dir.resolve("data.json")));
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), perms(dir.resolve("group-exec")),
                "any execute bit makes the file executable for all");
    }

    @Test
    void entriesWithoutUnixModeAreStoredReadableButNotExecutable() throws Exception {
        byte[] zip = zip(new E("plain.txt", 0, "made on windows"));
        CodeStore store = new CodeStore(dataDir);
        Path file = store.dirOf(store.store(zip).key()).resolve("plain.txt");
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), perms(file));
    }

    @Test
    void sameContentTwiceGivesTheSameKeyAndOneDirectory() throws Exception {
        byte[] zip = zip(E.file("a.txt", 0644, "same"));
        CodeStore store = new CodeStore(dataDir);
        CodeStore.StoredCode first = store.store(zip);
        CodeStore.StoredCode second = new CodeStore(dataDir).store(zip.clone());
        assertEquals(first, second);
        assertEquals(List.of(codeRoot().resolve(first.key())), listRoot());
    }

    @Test
    void differentContentGivesDifferentDirectories() throws Exception {
        CodeStore store = new CodeStore(dataDir);
        String k1 = store.store(zip(E.file("a.txt", 0644, "one"))).key();
        String k2 = store.store(zip(E.file("a.txt", 0644, "two"))).key();
        assertFalse(k1.equals(k2));
        assertEquals(2, listRoot().size());
        assertEquals("one", Files.readString(store.dirOf(k1).resolve("a.txt")));
        assertEquals("two", Files.readString(store.dirOf(k2).resolve("a.txt")));
    }

    @Test
    void concurrentStoresOfTheSameContentAllSucceedWithOneDirectory() throws Exception {
        byte[] zip = zip(E.file("a.txt", 0644, "raced"), E.file("b.txt", 0755, "raced too"));
        CodeStore store = new CodeStore(dataDir);
        int threads = 8;
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<CodeStore.StoredCode>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    gate.await();
                    return store.store(zip);
                }));
            }
            gate.countDown();
            String key = results.getFirst().get().key();
            for (Future<CodeStore.StoredCode> r : results) assertEquals(key, r.get().key());
            assertEquals(List.of(codeRoot().resolve(key)), listRoot(), "no staging directories left behind");
            assertEquals("raced", Files.readString(store.dirOf(key).resolve("a.txt")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsEmptyZipBytes() throws Exception {
        assertRejected(ErrorCode.INVALID_PARAMETER, "must not be empty", new byte[0]);
    }

    @Test
    void rejectsBytesThatAreNotAZip() throws Exception {
        assertRejected(ErrorCode.INVALID_PARAMETER, "Could not unzip", "this is certainly not a zip archive".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsEntryEscapingTheDirectoryWithDotDot() throws Exception {
        assertRejected(ErrorCode.INVALID_PARAMETER, "'../evil.txt' points outside", zip(E.file("ok.txt", 0644, "fine"), E.file("../evil.txt", 0644, "pwned")));
    }

    @Test
    void rejectsEntryWithAnAbsolutePath() throws Exception {
        assertRejected(ErrorCode.INVALID_PARAMETER, "'/abs.txt' points outside", zip(E.file("/abs.txt", 0644, "pwned")));
    }

    @Test
    void rejectsEntryEscapingThroughANestedDotDot() throws Exception {
        assertRejected(ErrorCode.INVALID_PARAMETER, "'a/../../x' points outside", zip(E.file("a/../../x", 0644, "pwned")));
    }

    @Test
    void rejectsEntryEscapingTwoLevelsUp() throws Exception {
        assertRejected(ErrorCode.INVALID_PARAMETER, "points outside", zip(E.file("../../outside.txt", 0644, "pwned")));
        assertFalse(Files.exists(dataDir.getParent().resolve("outside.txt")));
    }

    @Test
    void acceptsDotDotThatStaysInsideThePackage() throws Exception {
        CodeStore store = new CodeStore(dataDir);
        Path dir = store.dirOf(store.store(zip(E.file("a/../b.txt", 0644, "inside"))).key());
        assertEquals("inside", Files.readString(dir.resolve("b.txt")));
    }

    @Test
    void rejectsASymlinkEntry() throws Exception {
        assertRejected(ErrorCode.INVALID_PARAMETER, "'link' is a symbolic link", zip(new E("link", 0120777, "/etc/passwd")));
    }

    @Test
    void rejectsASymlinkEntryEvenAfterValidFiles() throws Exception {
        assertRejected(ErrorCode.INVALID_PARAMETER, "'lib/link' is a symbolic link",
                zip(E.file("handler.py", 0644, "ok"), new E("lib/link", 0120777, "../../../../etc")));
    }

    @Test
    void rejectsAZipOverTheZippedLimitBeforeParsingIt() throws Exception {
        byte[] tooBig = new byte[(int) CodeStore.MAX_ZIPPED + 1];   // zeros: not even a zip
        assertRejected(ErrorCode.REQUEST_TOO_LARGE, "exceeds the maximum of " + CodeStore.MAX_ZIPPED, tooBig);
    }

    @Test
    void failedStoreDoesNotPoisonALaterValidStoreOfOtherContent() throws Exception {
        CodeStore store = new CodeStore(dataDir);
        assertThrows(WispException.class, () -> store.store(zip(E.file("../evil.txt", 0644, "x"))));
        CodeStore.StoredCode ok = store.store(zip(E.file("good.txt", 0644, "good")));
        assertEquals(List.of(codeRoot().resolve(ok.key())), listRoot());
    }

    @Test
    void storedFilesContainExactlyTheZippedBytes() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 50_000; i++) big.append(i).append('\n');   // larger than one copy buffer
        files.put("big.txt", big.toString());
        files.put("empty.txt", "");
        files.put("unicode.txt", "héllo wörld ✓");
        byte[] zip = zip(files.entrySet().stream().map(e -> E.file(e.getKey(), 0644, e.getValue())).toArray(E[]::new));
        CodeStore store = new CodeStore(dataDir);
        Path dir = store.dirOf(store.store(zip).key());
        for (var e : files.entrySet()) {
            assertArrayEquals(e.getValue().getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
        }
    }

    private List<Path> listRoot() throws IOException {
        try (Stream<Path> s = Files.list(codeRoot())) {
            return s.toList();
        }
    }
}
