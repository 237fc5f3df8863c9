package dev.wisp.controller.registry;

import dev.wisp.common.WispException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Functions, their versions, aliases and per-function settings, per tenant. Reads come from
 * memory (the invoke path resolves a function on every call); every write goes to the database
 * first, so the registry survives a restart.
 */
public final class FunctionRegistry {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-_]{1,64}");
    private static final Pattern VERSION = Pattern.compile("[0-9]+");
    private static final Pattern ALIAS = Pattern.compile("[a-zA-Z0-9-_]{1,128}");

    private final Database db;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** One function: its versions ($LATEST and published), aliases and settings; replaced whole on write. */
    private record Entry(Map<String, FunctionConfig> versions, Map<String, AliasConfig> aliases, Map<String, Integer> settings) {
        Entry {
            versions = Map.copyOf(versions);
            aliases = Map.copyOf(aliases);
            settings = Map.copyOf(settings);
        }
    }

    public FunctionRegistry(Database db) {
        this.db = db;
        load();
    }

    private static String key(String tenant, String name) { return tenant + "/" + name; }

    private void load() {
        Map<String, Map<String, FunctionConfig>> versions = new TreeMap<>();
        Map<String, Map<String, AliasConfig>> aliases = new TreeMap<>();
        Map<String, Map<String, Integer>> settings = new TreeMap<>();
        db.query("SELECT config FROM functions", rs -> read(rs.getString(1), FunctionConfig.class))
                .forEach(f -> versions.computeIfAbsent(key(f.tenant(), f.name()), k -> new TreeMap<>()).put(f.version(), f));
        db.query("SELECT config FROM aliases", rs -> read(rs.getString(1), AliasConfig.class))
                .forEach(a -> aliases.computeIfAbsent(key(a.tenant(), a.functionName()), k -> new TreeMap<>()).put(a.name(), a));
        db.query("SELECT tenant, name, setting, config FROM function_settings", rs -> new String[] {
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)})
                .forEach(r -> settings.computeIfAbsent(key(r[0], r[1]), k -> new TreeMap<>()).put(r[2], Integer.parseInt(r[3])));
        versions.forEach((k, v) -> entries.put(k, new Entry(v, aliases.getOrDefault(k, Map.of()), settings.getOrDefault(k, Map.of()))));
    }

    private static <T> T read(String text, Class<T> type) { return JsonColumns.read(text, type); }

    private static String write(Object value) { return JsonColumns.write(value); }

    public static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw WispException.invalid("1 validation error detected: Value '" + name
                    + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ (1-64 characters)");
        }
    }

    public static String newRevision() { return UUID.randomUUID().toString(); }

    // ---- functions ----

    public synchronized FunctionConfig create(FunctionConfig config) {
        validateName(config.name());
        String k = key(config.tenant(), config.name());
        if (entries.containsKey(k)) {
            throw WispException.conflict("Function already exist: " + config.name());
        }
        db.update("INSERT INTO functions VALUES (?, ?, ?, ?)", config.tenant(), config.name(), config.version(), write(config));
        entries.put(k, new Entry(Map.of(config.version(), config), Map.of(), Map.of()));
        return config;
    }

    public Optional<FunctionConfig> latest(String tenant, String name) {
        Entry e = entries.get(key(tenant, name));
        return e == null ? Optional.empty() : Optional.ofNullable(e.versions().get(FunctionConfig.LATEST));
    }

    public FunctionConfig requireLatest(String tenant, String name) {
        return latest(tenant, name).orElseThrow(() -> notFound(tenant, name, null));
    }

    /**
     * The version a qualifier selects: none or {@code $LATEST}, a version number, or an alias.
     */
    public FunctionConfig resolve(String tenant, String name, String qualifier) {
        Entry e = entries.get(key(tenant, name));
        if (e == null) throw notFound(tenant, name, qualifier);
        String version = qualifier == null || qualifier.isEmpty() ? FunctionConfig.LATEST : qualifier;
        if (!version.equals(FunctionConfig.LATEST) && !VERSION.matcher(version).matches()) {
            AliasConfig alias = e.aliases().get(version);
            if (alias == null) throw notFound(tenant, name, qualifier);
            version = alias.functionVersion();
        }
        FunctionConfig f = e.versions().get(version);
        if (f == null) throw notFound(tenant, name, qualifier);
        return f;
    }

    public WispException notFound(String tenant, String name, String qualifier) {
        return WispException.notFound("Function not found: " + Arns.function(tenant, name, qualifier));
    }

    /** The $LATEST of every function of a tenant, by name. */
    public List<FunctionConfig> list(String tenant) {
        List<FunctionConfig> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            FunctionConfig f = e.versions().get(FunctionConfig.LATEST);
            if (f != null && f.tenant().equals(tenant)) out.add(f);
        }
        out.sort(Comparator.comparing(FunctionConfig::name));
        return out;
    }

    /** Applies a change to $LATEST; fails if {@code expectedRevision} is given and stale. */
    public synchronized FunctionConfig updateLatest(String tenant, String name, String expectedRevision,
                                                    UnaryOperator<FunctionConfig> change) {
        FunctionConfig current = requireLatest(tenant, name);
        checkRevision(expectedRevision, current.revisionId());
        FunctionConfig updated = change.apply(current);
        db.update("UPDATE functions SET config = ? WHERE tenant = ? AND name = ? AND version = ?",
                write(updated), tenant, name, FunctionConfig.LATEST);
        Entry e = entries.get(key(tenant, name));
        Map<String, FunctionConfig> versions = new TreeMap<>(e.versions());
        versions.put(FunctionConfig.LATEST, updated);
        entries.put(key(tenant, name), new Entry(versions, e.aliases(), e.settings()));
        return updated;
    }

    private static void checkRevision(String expected, String actual) {
        if (expected != null && !expected.isEmpty() && !expected.equals(actual)) {
            throw new WispException(dev.wisp.common.ErrorCode.PRECONDITION_FAILED,
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    /** Deletes a whole function, or one published version when {@code qualifier} names it. */
    public synchronized void delete(String tenant, String name, String qualifier) {
        Entry e = entries.get(key(tenant, name));
        if (e == null) throw notFound(tenant, name, qualifier);
        if (qualifier == null || qualifier.isEmpty()) {
            db.update("DELETE FROM functions WHERE tenant = ? AND name = ?", tenant, name);
            db.update("DELETE FROM aliases WHERE tenant = ? AND name = ?", tenant, name);
            db.update("DELETE FROM function_settings WHERE tenant = ? AND name = ?", tenant, name);
            entries.remove(key(tenant, name));
            return;
        }
        if (qualifier.equals(FunctionConfig.LATEST)) {
            throw WispException.invalid("$LATEST version cannot be deleted without deleting the function.");
        }
        if (!e.versions().containsKey(qualifier)) throw notFound(tenant, name, qualifier);
        for (AliasConfig a : e.aliases().values()) {
            if (a.functionVersion().equals(qualifier)) {
                throw WispException.conflict("Unable to delete version because the following aliases reference it: [" + a.name() + "]");
            }
        }
        db.update("DELETE FROM functions WHERE tenant = ? AND name = ? AND version = ?", tenant, name, qualifier);
        Map<String, FunctionConfig> versions = new TreeMap<>(e.versions());
        versions.remove(qualifier);
        entries.put(key(tenant, name), new Entry(versions, e.aliases(), e.settings()));
    }

    // ---- versions ----

    /** Publishes $LATEST as the next version, unless it is unchanged since the last publish. */
    public synchronized FunctionConfig publish(String tenant, String name, String description, String expectedRevision) {
        FunctionConfig latest = requireLatest(tenant, name);
        checkRevision(expectedRevision, latest.revisionId());
        Entry e = entries.get(key(tenant, name));
        List<FunctionConfig> published = versions(tenant, name).stream().filter(v -> !v.version().equals(FunctionConfig.LATEST)).toList();
        if (!published.isEmpty()) {
            FunctionConfig last = published.getLast();
            Integer from = e.settings().get("published-from:" + last.version());
            if (from != null && from == latest.revisionId().hashCode()) return last;
        }
        int next = e.settings().getOrDefault("version-counter", 0) + 1;
        FunctionConfig v = latest.withVersion(Integer.toString(next), newRevision());
        if (description != null && !description.isEmpty()) {
            v = new FunctionConfig(v.tenant(), v.name(), v.version(), v.runtime(), v.handler(), v.role(), description,
                    v.memorySize(), v.timeout(), v.environment(), v.codeSha256(), v.codeSize(), v.codeKey(),
                    v.lastModified(), v.revisionId(), v.tags());
        }
        db.update("INSERT INTO functions VALUES (?, ?, ?, ?)", tenant, name, v.version(), write(v));
        Map<String, FunctionConfig> versions = new TreeMap<>(e.versions());
        versions.put(v.version(), v);
        entries.put(key(tenant, name), new Entry(versions, e.aliases(), e.settings()));
        putSetting(tenant, name, "version-counter", next);
        putSetting(tenant, name, "published-from:" + v.version(), latest.revisionId().hashCode());
        return v;
    }

    /** $LATEST first, then published versions in numeric order. */
    public List<FunctionConfig> versions(String tenant, String name) {
        Entry e = entries.get(key(tenant, name));
        if (e == null) throw notFound(tenant, name, null);
        List<FunctionConfig> out = new ArrayList<>(e.versions().values());
        out.sort(Comparator.comparingLong(f -> f.version().equals(FunctionConfig.LATEST) ? -1 : Long.parseLong(f.version())));
        return out;
    }

    // ---- aliases ----

    public synchronized AliasConfig putAlias(AliasConfig alias, boolean create, String expectedRevision) {
        Entry e = entries.get(key(alias.tenant(), alias.functionName()));
        if (e == null) throw notFound(alias.tenant(), alias.functionName(), null);
        if (!e.versions().containsKey(alias.functionVersion())) {
            throw WispException.notFound("Function not found: " + Arns.function(alias.tenant(), alias.functionName(), alias.functionVersion()));
        }
        AliasConfig existing = e.aliases().get(alias.name());
        if (create && existing != null) throw WispException.conflict("Alias already exists: " + Arns.function(alias.tenant(), alias.functionName(), alias.name()));
        if (!create && existing == null) throw WispException.notFound("Alias not found: " + Arns.function(alias.tenant(), alias.functionName(), alias.name()));
        if (existing != null) checkRevision(expectedRevision, existing.revisionId());
        if (VERSION.matcher(alias.name()).matches() || !ALIAS.matcher(alias.name()).matches()) {
            throw WispException.invalid("1 validation error detected: Value '" + alias.name()
                    + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        }
        db.update("MERGE INTO aliases KEY (tenant, name, alias) VALUES (?, ?, ?, ?)", alias.tenant(), alias.functionName(), alias.name(), write(alias));
        Map<String, AliasConfig> aliases = new TreeMap<>(e.aliases());
        aliases.put(alias.name(), alias);
        entries.put(key(alias.tenant(), alias.functionName()), new Entry(e.versions(), aliases, e.settings()));
        return alias;
    }

    public AliasConfig alias(String tenant, String name, String alias) {
        Entry e = entries.get(key(tenant, name));
        AliasConfig a = e == null ? null : e.aliases().get(alias);
        if (a == null) throw WispException.notFound("Alias not found: " + Arns.function(tenant, name, alias));
        return a;
    }

    public List<AliasConfig> aliases(String tenant, String name) {
        Entry e = entries.get(key(tenant, name));
        if (e == null) throw notFound(tenant, name, null);
        return List.copyOf(new TreeMap<>(e.aliases()).values());
    }

    public synchronized void deleteAlias(String tenant, String name, String alias) {
        Entry e = entries.get(key(tenant, name));
        if (e == null) throw notFound(tenant, name, null);
        db.update("DELETE FROM aliases WHERE tenant = ? AND name = ? AND alias = ?", tenant, name, alias);
        Map<String, AliasConfig> aliases = new TreeMap<>(e.aliases());
        aliases.remove(alias);
        entries.put(key(tenant, name), new Entry(e.versions(), aliases, e.settings()));
    }

    // ---- settings (reserved concurrency, provisioned concurrency) ----

    public Optional<Integer> setting(String tenant, String name, String setting) {
        Entry e = entries.get(key(tenant, name));
        if (e == null) throw notFound(tenant, name, null);
        return Optional.ofNullable(e.settings().get(setting));
    }

    /** Settings of one function whose names start with a prefix (e.g. all provisioned qualifiers). */
    public Map<String, Integer> settings(String tenant, String name, String prefix) {
        Entry e = entries.get(key(tenant, name));
        if (e == null) return Map.of();
        Map<String, Integer> out = new TreeMap<>();
        e.settings().forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    public synchronized void putSetting(String tenant, String name, String setting, Integer value) {
        Entry e = entries.get(key(tenant, name));
        if (e == null) throw notFound(tenant, name, null);
        Map<String, Integer> settings = new TreeMap<>(e.settings());
        if (value == null) {
            db.update("DELETE FROM function_settings WHERE tenant = ? AND name = ? AND setting = ?", tenant, name, setting);
            settings.remove(setting);
        } else {
            db.update("MERGE INTO function_settings KEY (tenant, name, setting) VALUES (?, ?, ?, ?)", tenant, name, setting, value.toString());
            settings.put(setting, value);
        }
        entries.put(key(tenant, name), new Entry(e.versions(), e.aliases(), settings));
    }

    /** Every function of every tenant (for start-up work such as provisioning). */
    public List<FunctionConfig> allLatest() {
        return entries.values().stream().map(e -> e.versions().get(FunctionConfig.LATEST)).filter(java.util.Objects::nonNull).toList();
    }
}
