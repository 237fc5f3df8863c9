package dev.wisp.controller.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionRegistryTest {
    private static final String A = "tenant-a";
    private static final String B = "tenant-b";
    private static final String LATEST = FunctionConfig.LATEST;

    @TempDir
    Path dataDir;

    private Database db;
    private FunctionRegistry registry;

    @BeforeEach
    void open() {
        db = new Database(dataDir);
        registry = new FunctionRegistry(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Closes the database and opens a fresh registry on the same directory, as a restart would. */
    private void restart() {
        db.close();
        db = new Database(dataDir);
        registry = new FunctionRegistry(db);
    }

    private static FunctionConfig fn(String tenant, String name) {
        return new FunctionConfig(tenant, name, LATEST, "python3.12", "index.handler", "arn:aws:iam::000000000000:role/r",
                "desc", 256, 10, Map.of("K", "V"), "c2hhMjU2", 1234, "abc123", 1_700_000_000_000L,
                FunctionRegistry.newRevision(), Map.of());
    }

    private static FunctionConfig withMemory(FunctionConfig f, int memory) {
        return new FunctionConfig(f.tenant(), f.name(), f.version(), f.runtime(), f.handler(), f.role(), f.description(),
                memory, f.timeout(), f.environment(), f.codeSha256(), f.codeSize(), f.codeKey(), f.lastModified(),
                FunctionRegistry.newRevision(), f.tags());
    }

    private static AliasConfig alias(String tenant, String function, String name, String version) {
        return new AliasConfig(tenant, function, name, version, "", FunctionRegistry.newRevision());
    }

    private static void assertFails(ErrorCode code, Executable call) {
        WispException e = assertThrows(WispException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }

    // ---- create / get / list ----

    @Test
    void createdFunctionIsReturnedByLatestResolveAndList() {
        FunctionConfig f = registry.create(fn(A, "hello"));
        assertEquals(Optional.of(f), registry.latest(A, "hello"));
        assertEquals(f, registry.requireLatest(A, "hello"));
        assertEquals(f, registry.resolve(A, "hello", null));
        assertEquals(f, registry.resolve(A, "hello", ""));
        assertEquals(f, registry.resolve(A, "hello", LATEST));
        assertEquals(List.of(f), registry.list(A));
    }

    @Test
    void listIsSortedByNameAndHoldsOnlyLatest() {
        registry.create(fn(A, "zeta"));
        registry.create(fn(A, "alpha"));
        registry.create(fn(A, "mid"));
        registry.publish(A, "mid", null, null);
        assertEquals(List.of("alpha", "mid", "zeta"), registry.list(A).stream().map(FunctionConfig::name).toList());
        assertTrue(registry.list(A).stream().allMatch(f -> f.version().equals(LATEST)));
    }

    @Test
    void tenantCannotSeeAnotherTenantsFunction() {
        registry.create(fn(B, "secret"));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "secret", null));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.requireLatest(A, "secret"));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.versions(A, "secret"));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.delete(A, "secret", null));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.publish(A, "secret", null, null));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.putSetting(A, "secret", "reserved", 1));
        assertEquals(Optional.empty(), registry.latest(A, "secret"));
        assertEquals(List.of(), registry.list(A));
        assertEquals(1, registry.list(B).size(), "tenant B's function is untouched");
    }

    @Test
    void tenantsMayUseTheSameFunctionNameIndependently() {
        FunctionConfig a = registry.create(fn(A, "shared"));
        FunctionConfig b = registry.create(withMemory(fn(B, "shared"), 1024));
        assertEquals(a, registry.resolve(A, "shared", null));
        assertEquals(b, registry.resolve(B, "shared", null));
        registry.delete(A, "shared", null);
        assertEquals(b, registry.resolve(B, "shared", null));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "shared", null));
    }

    @Test
    void notFoundMessageNamesTheCallersOwnArn() {
        WispException e = assertThrows(WispException.class, () -> registry.resolve(A, "nope", "3"));
        assertEquals("Function not found: " + Arns.function(A, "nope", "3"), e.getMessage());
        assertNotEquals(Arns.accountId(A), Arns.accountId(B));
    }

    @Test
    void duplicateCreateIsAConflictAndKeepsTheOriginal() {
        FunctionConfig original = registry.create(fn(A, "dup"));
        assertFails(ErrorCode.RESOURCE_CONFLICT, () -> registry.create(withMemory(fn(A, "dup"), 2048)));
        assertEquals(original, registry.requireLatest(A, "dup"));
        restart();
        assertEquals(original, registry.requireLatest(A, "dup"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "slash/name", "colon:name", "dollar$", "ünïcode",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" /* 65 chars */})
    void rejectsInvalidFunctionNames(String name) {
        assertFails(ErrorCode.INVALID_PARAMETER, () -> registry.create(fn(A, name)));
        assertEquals(List.of(), registry.list(A));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "My-Function_1", "0123", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy" /* 64 chars */})
    void acceptsValidFunctionNames(String name) {
        registry.create(fn(A, name));
        assertEquals(name, registry.requireLatest(A, name).name());
    }

    // ---- updates ----

    @Test
    void updateLatestAppliesTheChangeWhenTheRevisionMatches() {
        FunctionConfig f = registry.create(fn(A, "upd"));
        FunctionConfig updated = registry.updateLatest(A, "upd", f.revisionId(), c -> withMemory(c, 512));
        assertEquals(512, updated.memorySize());
        assertEquals(updated, registry.requireLatest(A, "upd"));
        // no expected revision: unconditional
        assertEquals(1024, registry.updateLatest(A, "upd", null, c -> withMemory(c, 1024)).memorySize());
    }

    @Test
    void updateLatestWithStaleRevisionIsPreconditionFailedAndChangesNothing() {
        FunctionConfig f = registry.create(fn(A, "upd"));
        FunctionConfig current = registry.updateLatest(A, "upd", null, c -> withMemory(c, 512));
        assertFails(ErrorCode.PRECONDITION_FAILED,
                () -> registry.updateLatest(A, "upd", f.revisionId(), c -> withMemory(c, 4096)));
        assertEquals(current, registry.requireLatest(A, "upd"));
    }

    @Test
    void updateOfAMissingFunctionIsNotFound() {
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.updateLatest(A, "ghost", null, c -> c));
    }

    // ---- versions ----

    @Test
    void publishNumbersVersionsFromOneAndSnapshotsLatest() {
        registry.create(fn(A, "pub"));
        FunctionConfig v1 = registry.publish(A, "pub", "first", null);
        assertEquals("1", v1.version());
        assertEquals("first", v1.description());
        assertEquals(256, v1.memorySize());
        registry.updateLatest(A, "pub", null, c -> withMemory(c, 512));
        FunctionConfig v2 = registry.publish(A, "pub", null, null);
        assertEquals("2", v2.version());
        assertEquals(512, v2.memorySize());

        assertEquals(256, registry.resolve(A, "pub", "1").memorySize(), "published versions are immutable");
        assertEquals(512, registry.resolve(A, "pub", "2").memorySize());
        assertEquals(List.of(LATEST, "1", "2"), registry.versions(A, "pub").stream().map(FunctionConfig::version).toList());
        assertNotEquals(v1.revisionId(), v2.revisionId());
    }

    @Test
    void publishingUnchangedLatestTwiceReturnsTheSameVersion() {
        registry.create(fn(A, "pub"));
        FunctionConfig v1 = registry.publish(A, "pub", null, null);
        FunctionConfig again = registry.publish(A, "pub", null, null);
        assertEquals(v1, again);
        assertEquals(2, registry.versions(A, "pub").size(), "$LATEST and version 1 only");
        restart();
        assertEquals(v1, registry.publish(A, "pub", null, null), "still recognised as unchanged after a restart");
    }

    @Test
    void publishWithStaleRevisionIsPreconditionFailed() {
        FunctionConfig f = registry.create(fn(A, "pub"));
        registry.updateLatest(A, "pub", null, c -> withMemory(c, 512));
        assertFails(ErrorCode.PRECONDITION_FAILED, () -> registry.publish(A, "pub", null, f.revisionId()));
        assertEquals(1, registry.versions(A, "pub").size());
    }

    @Test
    void versionNumbersAreNeverReusedAfterDeletingTheNewest() {
        registry.create(fn(A, "pub"));
        registry.publish(A, "pub", null, null);
        registry.updateLatest(A, "pub", null, c -> withMemory(c, 512));
        registry.publish(A, "pub", null, null);
        registry.delete(A, "pub", "2");
        registry.updateLatest(A, "pub", null, c -> withMemory(c, 1024));
        assertEquals("3", registry.publish(A, "pub", null, null).version());
        restart();
        registry.updateLatest(A, "pub", null, c -> withMemory(c, 2048));
        assertEquals("4", registry.publish(A, "pub", null, null).version());
    }

    @Test
    void deletingAVersionRemovesOnlyThatVersion() {
        registry.create(fn(A, "del"));
        registry.publish(A, "del", null, null);
        registry.delete(A, "del", "1");
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "del", "1"));
        assertEquals(LATEST, registry.resolve(A, "del", null).version());
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.delete(A, "del", "1"));
        assertFails(ErrorCode.INVALID_PARAMETER, () -> registry.delete(A, "del", LATEST));
    }

    @Test
    void deletingAFunctionRemovesVersionsAliasesAndSettingsAndAllowsRecreation() {
        registry.create(fn(A, "gone"));
        registry.publish(A, "gone", null, null);
        registry.putAlias(alias(A, "gone", "live", "1"), true, null);
        registry.putSetting(A, "gone", "reserved", 5);
        registry.delete(A, "gone", null);
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "gone", "live"));
        registry.create(fn(A, "gone"));
        assertEquals(List.of(LATEST), registry.versions(A, "gone").stream().map(FunctionConfig::version).toList());
        assertEquals(List.of(), registry.aliases(A, "gone"));
        assertEquals(Optional.empty(), registry.setting(A, "gone", "reserved"));
        restart();
        assertEquals(List.of(LATEST), registry.versions(A, "gone").stream().map(FunctionConfig::version).toList());
        assertEquals(List.of(), registry.aliases(A, "gone"));
        assertEquals(Optional.empty(), registry.setting(A, "gone", "reserved"));
    }

    // ---- aliases ----

    @Test
    void aliasResolvesToTheVersionItPointsAt() {
        registry.create(fn(A, "al"));
        FunctionConfig v1 = registry.publish(A, "al", null, null);
        registry.updateLatest(A, "al", null, c -> withMemory(c, 512));
        registry.publish(A, "al", null, null);
        AliasConfig live = registry.putAlias(alias(A, "al", "live", "1"), true, null);

        assertEquals(v1, registry.resolve(A, "al", "live"));
        assertEquals(live, registry.alias(A, "al", "live"));
        assertEquals(List.of(live), registry.aliases(A, "al"));

        AliasConfig moved = registry.putAlias(alias(A, "al", "live", "2"), false, live.revisionId());
        assertEquals("2", registry.resolve(A, "al", "live").version());
        assertEquals(moved, registry.alias(A, "al", "live"));
    }

    @Test
    void aliasMayPointAtLatest() {
        registry.create(fn(A, "al"));
        registry.putAlias(alias(A, "al", "dev", LATEST), true, null);
        registry.updateLatest(A, "al", null, c -> withMemory(c, 768));
        assertEquals(768, registry.resolve(A, "al", "dev").memorySize());
    }

    @Test
    void aliasPointingAtAMissingVersionIsNotFound() {
        registry.create(fn(A, "al"));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.putAlias(alias(A, "al", "live", "7"), true, null));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "al", "live"));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.alias(A, "al", "live"));
    }

    @Test
    void aliasOfAnotherTenantsFunctionIsNotFound() {
        registry.create(fn(B, "al"));
        registry.publish(B, "al", null, null);
        registry.putAlias(alias(B, "al", "live", "1"), true, null);
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.putAlias(alias(A, "al", "live", "1"), true, null));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "al", "live"));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.alias(A, "al", "live"));
    }

    @Test
    void unknownQualifierIsNotFound() {
        registry.create(fn(A, "al"));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "al", "5"));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "al", "no-such-alias"));
    }

    @Test
    void creatingAnExistingAliasIsAConflictAndUpdatingAMissingOneIsNotFound() {
        registry.create(fn(A, "al"));
        registry.publish(A, "al", null, null);
        registry.putAlias(alias(A, "al", "live", "1"), true, null);
        assertFails(ErrorCode.RESOURCE_CONFLICT, () -> registry.putAlias(alias(A, "al", "live", LATEST), true, null));
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.putAlias(alias(A, "al", "beta", "1"), false, null));
        assertEquals("1", registry.alias(A, "al", "live").functionVersion());
    }

    @Test
    void updatingAnAliasWithAStaleRevisionIsPreconditionFailed() {
        registry.create(fn(A, "al"));
        registry.publish(A, "al", null, null);
        registry.putAlias(alias(A, "al", "live", "1"), true, null);
        assertFails(ErrorCode.PRECONDITION_FAILED,
                () -> registry.putAlias(alias(A, "al", "live", LATEST), false, "not-the-revision"));
        assertEquals("1", registry.alias(A, "al", "live").functionVersion());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "42", "$LATEST"})
    void aliasNameCannotBeAVersionNumberOrLatest(String name) {
        registry.create(fn(A, "al"));
        assertFails(ErrorCode.INVALID_PARAMETER, () -> registry.putAlias(alias(A, "al", name, LATEST), true, null));
        assertEquals(List.of(), registry.aliases(A, "al"));
    }

    @Test
    void deletingAVersionAnAliasReferencesIsAConflict() {
        registry.create(fn(A, "al"));
        registry.publish(A, "al", null, null);
        registry.putAlias(alias(A, "al", "live", "1"), true, null);
        WispException e = assertThrows(WispException.class, () -> registry.delete(A, "al", "1"));
        assertEquals(ErrorCode.RESOURCE_CONFLICT, e.code());
        assertTrue(e.getMessage().contains("live"), e.getMessage());
        assertEquals("1", registry.resolve(A, "al", "1").version());

        registry.deleteAlias(A, "al", "live");
        registry.delete(A, "al", "1");
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "al", "1"));
    }

    @Test
    void deletedAliasNoLongerResolves() {
        registry.create(fn(A, "al"));
        registry.putAlias(alias(A, "al", "dev", LATEST), true, null);
        registry.deleteAlias(A, "al", "dev");
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "al", "dev"));
        restart();
        assertFails(ErrorCode.RESOURCE_NOT_FOUND, () -> registry.resolve(A, "al", "dev"));
    }

    // ---- settings ----

    @Test
    void settingsArePutReplacedAndDeleted() {
        registry.create(fn(A, "s"));
        assertEquals(Optional.empty(), registry.setting(A, "s", "reserved"));
        registry.putSetting(A, "s", "reserved", 5);
        assertEquals(Optional.of(5), registry.setting(A, "s", "reserved"));
        registry.putSetting(A, "s", "reserved", 7);
        assertEquals(Optional.of(7), registry.setting(A, "s", "reserved"));
        registry.putSetting(A, "s", "reserved", null);
        assertEquals(Optional.empty(), registry.setting(A, "s", "reserved"));
        restart();
        assertEquals(Optional.empty(), registry.setting(A, "s", "reserved"));
    }

    @Test
    void settingsByPrefixStripThePrefix() {
        registry.create(fn(A, "s"));
        registry.putSetting(A, "s", "provisioned:live", 3);
        registry.putSetting(A, "s", "provisioned:1", 1);
        registry.putSetting(A, "s", "reserved", 9);
        assertEquals(Map.of("live", 3, "1", 1), registry.settings(A, "s", "provisioned:"));
        assertEquals(Map.of(), registry.settings(A, "missing", "provisioned:"));
    }

    @Test
    void settingsOfAFunctionAreInvisibleToOtherTenants() {
        registry.create(fn(A, "s"));
        registry.create(fn(B, "s"));
        registry.putSetting(A, "s", "reserved", 5);
        assertEquals(Optional.empty(), registry.setting(B, "s", "reserved"));
    }

    // ---- durability ----

    @Test
    void everythingSurvivesClosingTheDatabaseAndReopening() {
        FunctionConfig a = registry.create(fn(A, "durable"));
        registry.create(fn(B, "other"));
        FunctionConfig v1 = registry.publish(A, "durable", "v1", null);
        FunctionConfig latest = registry.updateLatest(A, "durable", a.revisionId(), c -> withMemory(c, 1024));
        FunctionConfig v2 = registry.publish(A, "durable", null, null);
        AliasConfig live = registry.putAlias(alias(A, "durable", "live", "1"), true, null);
        registry.putSetting(A, "durable", "reserved", 4);
        registry.putSetting(A, "durable", "provisioned:live", 2);

        restart();

        assertEquals(latest, registry.requireLatest(A, "durable"));
        assertEquals(v1, registry.resolve(A, "durable", "1"));
        assertEquals(v2, registry.resolve(A, "durable", "2"));
        assertEquals(v1, registry.resolve(A, "durable", "live"));
        assertEquals(live, registry.alias(A, "durable", "live"));
        assertEquals(Optional.of(4), registry.setting(A, "durable", "reserved"));
        assertEquals(Map.of("live", 2), registry.settings(A, "durable", "provisioned:"));
        assertEquals(List.of("durable"), registry.list(A).stream().map(FunctionConfig::name).toList());
        assertEquals(List.of("other"), registry.list(B).stream().map(FunctionConfig::name).toList());
        assertEquals(Map.of("K", "V"), registry.requireLatest(A, "durable").environment());
        assertEquals(2, registry.allLatest().size());

        // and the restarted registry keeps working: stale revisions, conflicts, numbering
        assertFails(ErrorCode.RESOURCE_CONFLICT, () -> registry.create(fn(A, "durable")));
        assertFails(ErrorCode.PRECONDITION_FAILED,
                () -> registry.updateLatest(A, "durable", a.revisionId(), c -> withMemory(c, 128)));
        assertFails(ErrorCode.RESOURCE_CONFLICT, () -> registry.delete(A, "durable", "1"));
        registry.updateLatest(A, "durable", latest.revisionId(), c -> withMemory(c, 128));
        assertEquals("3", registry.publish(A, "durable", null, null).version());
    }
}
