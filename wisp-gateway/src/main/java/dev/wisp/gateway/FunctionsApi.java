package dev.wisp.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.Clock;
import dev.wisp.common.WispException;
import dev.wisp.controller.Dispatcher;
import dev.wisp.controller.registry.AliasConfig;
import dev.wisp.controller.registry.CodeStore;
import dev.wisp.controller.registry.FunctionConfig;
import dev.wisp.controller.registry.FunctionRegistry;
import dev.wisp.invoker.InstancePool;
import dev.wisp.invoker.RuntimeKind;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The control half of the Lambda API: functions, code, configuration, versions, aliases, concurrency. */
final class FunctionsApi {
    private static final int MAX_MEMORY = 10_240;
    private static final int MAX_TIMEOUT = 900;

    private final ObjectMapper json;
    private final FunctionRegistry registry;
    private final CodeStore code;
    private final InstancePool pool;
    private final Dispatcher dispatcher;
    private final Clock clock;

    FunctionsApi(ObjectMapper json, FunctionRegistry registry, CodeStore code, InstancePool pool, Dispatcher dispatcher, Clock clock) {
        this.json = json;
        this.registry = registry;
        this.code = code;
        this.pool = pool;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    // ---- functions ----

    JsonNode create(String tenant, JsonNode body) {
        String name = text(body, "FunctionName", true);
        FunctionRegistry.validateName(name);
        if (body.hasNonNull("PackageType") && !"Zip".equals(body.get("PackageType").asText())) {
            throw WispException.invalid("PackageType " + body.get("PackageType").asText() + " is not supported; use Zip");
        }
        String runtime = text(body, "Runtime", true);
        RuntimeKind.fromLambdaName(runtime);
        JsonNode codeNode = body.get("Code");
        if (codeNode == null || !codeNode.hasNonNull("ZipFile")) {
            throw WispException.invalid("Code: ZipFile is required (S3 and image packages are not supported)");
        }
        CodeStore.StoredCode stored = code.store(decodeZip(codeNode.get("ZipFile").asText()));
        FunctionConfig f = new FunctionConfig(tenant, name, FunctionConfig.LATEST, runtime, handler(body, runtime, null),
                body.path("Role").asText("arn:aws:iam::" + dev.wisp.controller.registry.Arns.accountId(tenant) + ":role/wisp"),
                body.path("Description").asText(""), memory(body, FunctionConfig.DEFAULT_MEMORY),
                timeout(body, FunctionConfig.DEFAULT_TIMEOUT), environment(body, Map.of()), stored.sha256Base64(),
                stored.size(), stored.key(), clock.wallMillis(), FunctionRegistry.newRevision(), tags(body.get("Tags")));
        registry.create(f);
        if (body.path("Publish").asBoolean(false)) {
            return FunctionJson.configuration(json, registry.publish(tenant, name, null, null));
        }
        return FunctionJson.configuration(json, f);
    }

    JsonNode get(String tenant, String name, String qualifier) {
        FunctionConfig f = registry.resolve(tenant, name, qualifier);
        ObjectNode n = json.createObjectNode();
        n.set("Configuration", FunctionJson.configuration(json, f));
        n.putObject("Code").put("RepositoryType", "Wisp").put("Location", "wisp://code/" + f.codeKey());
        registry.setting(tenant, name, "reserved")
                .ifPresent(r -> n.putObject("Concurrency").put("ReservedConcurrentExecutions", r));
        ObjectNode tags = n.putObject("Tags");
        registry.requireLatest(tenant, name).tags().forEach(tags::put);
        return n;
    }

    JsonNode configuration(String tenant, String name, String qualifier) {
        return FunctionJson.configuration(json, registry.resolve(tenant, name, qualifier));
    }

    JsonNode list(String tenant, String marker, int maxItems) {
        List<FunctionConfig> all = registry.list(tenant);
        int start = marker == null ? 0 : Math.max(0, Integer.parseInt(marker));
        int end = Math.min(all.size(), start + maxItems);
        ObjectNode n = json.createObjectNode();
        ArrayNode fns = n.putArray("Functions");
        for (FunctionConfig f : all.subList(Math.min(start, all.size()), end)) fns.add(FunctionJson.configuration(json, f));
        if (end < all.size()) n.put("NextMarker", Integer.toString(end));
        return n;
    }

    JsonNode updateCode(String tenant, String name, JsonNode body) {
        if (!body.hasNonNull("ZipFile")) throw WispException.invalid("ZipFile is required (S3 and image packages are not supported)");
        CodeStore.StoredCode stored = code.store(decodeZip(body.get("ZipFile").asText()));
        FunctionConfig f = registry.updateLatest(tenant, name, body.path("RevisionId").asText(null), c ->
                new FunctionConfig(c.tenant(), c.name(), c.version(), c.runtime(), c.handler(), c.role(), c.description(),
                        c.memorySize(), c.timeout(), c.environment(), stored.sha256Base64(), stored.size(), stored.key(),
                        clock.wallMillis(), FunctionRegistry.newRevision(), c.tags()));
        retireStale(f);
        if (body.path("Publish").asBoolean(false)) {
            return FunctionJson.configuration(json, registry.publish(tenant, name, null, null));
        }
        return FunctionJson.configuration(json, f);
    }

    JsonNode updateConfiguration(String tenant, String name, JsonNode body) {
        FunctionConfig f = registry.updateLatest(tenant, name, body.path("RevisionId").asText(null), c -> {
            String runtime = body.hasNonNull("Runtime") ? body.get("Runtime").asText() : c.runtime();
            RuntimeKind.fromLambdaName(runtime);
            return new FunctionConfig(c.tenant(), c.name(), c.version(), runtime, handler(body, runtime, c.handler()),
                    body.path("Role").asText(c.role()), body.path("Description").asText(c.description()),
                    memory(body, c.memorySize()), timeout(body, c.timeout()), environment(body, c.environment()),
                    c.codeSha256(), c.codeSize(), c.codeKey(), clock.wallMillis(), FunctionRegistry.newRevision(), c.tags());
        });
        retireStale(f);
        return FunctionJson.configuration(json, f);
    }

    void delete(String tenant, String name, String qualifier) {
        registry.delete(tenant, name, qualifier);
        pool.retire(s -> s.tenant().equals(tenant) && s.functionName().equals(name)
                && (qualifier == null || s.version().equals(qualifier)));
    }

    /** Instances of older revisions of $LATEST finish what they run and go. */
    private void retireStale(FunctionConfig latest) {
        pool.retire(s -> s.tenant().equals(latest.tenant()) && s.functionName().equals(latest.name())
                && s.version().equals(FunctionConfig.LATEST) && !s.revisionId().equals(latest.revisionId()));
    }

    // ---- tags ----

    JsonNode listTags(String tenant, String name) {
        ObjectNode n = json.createObjectNode();
        ObjectNode tags = n.putObject("Tags");
        registry.requireLatest(tenant, name).tags().forEach(tags::put);
        return n;
    }

    /** Adds tags, or with {@code remove} deletes the given keys. A network switch takes effect on new instances. */
    void changeTags(String tenant, String name, Map<String, String> add, java.util.Collection<String> remove) {
        FunctionConfig f = registry.updateLatest(tenant, name, null, c -> {
            Map<String, String> t = new LinkedHashMap<>(c.tags());
            t.putAll(add);
            remove.forEach(t::remove);
            return new FunctionConfig(c.tenant(), c.name(), c.version(), c.runtime(), c.handler(), c.role(), c.description(),
                    c.memorySize(), c.timeout(), c.environment(), c.codeSha256(), c.codeSize(), c.codeKey(),
                    c.lastModified(), FunctionRegistry.newRevision(), t);
        });
        retireStale(f);
    }

    static Map<String, String> tags(JsonNode node) {
        Map<String, String> t = new LinkedHashMap<>();
        if (node == null || node.isNull()) return t;
        if (!node.isObject()) throw WispException.invalid("Tags must be an object of string values");
        node.fields().forEachRemaining(e -> {
            if (e.getKey().isEmpty() || e.getKey().length() > 128 || e.getKey().startsWith("aws:")) {
                throw WispException.invalid("Tag key '" + e.getKey() + "' is not valid");
            }
            if (e.getKey().equals(FunctionConfig.NETWORK_TAG) && !e.getValue().asText().equals("none")
                    && !e.getValue().asText().equals("default")) {
                throw WispException.invalid("Tag wisp:network must be 'none' or 'default'");
            }
            t.put(e.getKey(), e.getValue().asText());
        });
        return t;
    }

    // ---- versions and aliases ----

    JsonNode publish(String tenant, String name, JsonNode body) {
        return FunctionJson.configuration(json, registry.publish(tenant, name, body.path("Description").asText(null),
                body.path("RevisionId").asText(null)));
    }

    JsonNode versions(String tenant, String name) {
        ObjectNode n = json.createObjectNode();
        ArrayNode arr = n.putArray("Versions");
        registry.versions(tenant, name).forEach(f -> arr.add(FunctionJson.configuration(json, f)));
        return n;
    }

    JsonNode putAlias(String tenant, String name, String aliasName, JsonNode body, boolean create) {
        String alias = create ? text(body, "Name", true) : aliasName;
        AliasConfig existing = create ? null : registry.alias(tenant, name, alias);
        String version = body.hasNonNull("FunctionVersion") ? body.get("FunctionVersion").asText()
                : existing == null ? text(body, "FunctionVersion", true) : existing.functionVersion();
        String description = body.hasNonNull("Description") ? body.get("Description").asText()
                : existing == null ? "" : existing.description();
        if (body.has("RoutingConfig") && body.get("RoutingConfig").has("AdditionalVersionWeights")
                && !body.get("RoutingConfig").get("AdditionalVersionWeights").isEmpty()) {
            throw WispException.invalid("RoutingConfig (weighted aliases) is not supported yet");
        }
        AliasConfig a = registry.putAlias(new AliasConfig(tenant, name, alias, version, description, FunctionRegistry.newRevision()),
                create, body.path("RevisionId").asText(null));
        return FunctionJson.alias(json, a);
    }

    JsonNode getAlias(String tenant, String name, String alias) {
        return FunctionJson.alias(json, registry.alias(tenant, name, alias));
    }

    JsonNode listAliases(String tenant, String name) {
        ObjectNode n = json.createObjectNode();
        ArrayNode arr = n.putArray("Aliases");
        registry.aliases(tenant, name).forEach(a -> arr.add(FunctionJson.alias(json, a)));
        return n;
    }

    void deleteAlias(String tenant, String name, String alias) {
        registry.alias(tenant, name, alias);
        registry.deleteAlias(tenant, name, alias);
    }

    // ---- concurrency ----

    JsonNode putConcurrency(String tenant, String name, JsonNode body) {
        if (!body.has("ReservedConcurrentExecutions") || !body.get("ReservedConcurrentExecutions").canConvertToInt()
                || body.get("ReservedConcurrentExecutions").asInt() < 0) {
            throw WispException.invalid("ReservedConcurrentExecutions must be a non-negative integer");
        }
        int value = body.get("ReservedConcurrentExecutions").asInt();
        registry.requireLatest(tenant, name);
        registry.putSetting(tenant, name, "reserved", value);
        dispatcher.reservationsChanged(tenant);
        pool.retire(s -> s.tenant().equals(tenant) && s.functionName().equals(name));
        return json.createObjectNode().put("ReservedConcurrentExecutions", value);
    }

    JsonNode getConcurrency(String tenant, String name) {
        ObjectNode n = json.createObjectNode();
        registry.requireLatest(tenant, name);
        registry.setting(tenant, name, "reserved").ifPresent(r -> n.put("ReservedConcurrentExecutions", r));
        return n;
    }

    void deleteConcurrency(String tenant, String name) {
        registry.requireLatest(tenant, name);
        registry.putSetting(tenant, name, "reserved", null);
        dispatcher.reservationsChanged(tenant);
        pool.retire(s -> s.tenant().equals(tenant) && s.functionName().equals(name));
    }

    JsonNode putProvisioned(String tenant, String name, String qualifier, JsonNode body) {
        if (qualifier == null || qualifier.isEmpty() || qualifier.equals(FunctionConfig.LATEST)) {
            throw WispException.invalid("Provisioned concurrency needs a published version or an alias as Qualifier");
        }
        int n = body.path("ProvisionedConcurrentExecutions").asInt(-1);
        if (n < 1) throw WispException.invalid("ProvisionedConcurrentExecutions must be at least 1");
        FunctionConfig f = registry.resolve(tenant, name, qualifier);
        registry.putSetting(tenant, name, "provisioned:" + qualifier, n);
        pool.provision(dispatcher.specOf(f), n);
        return provisionedJson(n, f);
    }

    JsonNode getProvisioned(String tenant, String name, String qualifier) {
        Integer n = registry.settings(tenant, name, "provisioned:").get(qualifier == null ? "" : qualifier);
        if (n == null) throw new WispException(dev.wisp.common.ErrorCode.RESOURCE_NOT_FOUND,
                "No Provisioned Concurrency Config found for this function");
        return provisionedJson(n, registry.resolve(tenant, name, qualifier));
    }

    /** Allocated counts the instances that finished init: IN_PROGRESS until all requested are ready. */
    private ObjectNode provisionedJson(int requested, FunctionConfig f) {
        var snapshot = pool.snapshot().get(dispatcher.specOf(f).poolKey());
        int ready = snapshot == null ? 0 : Math.min(requested, snapshot.idle() + snapshot.busy());
        return json.createObjectNode().put("RequestedProvisionedConcurrentExecutions", requested)
                .put("AllocatedProvisionedConcurrentExecutions", ready)
                .put("AvailableProvisionedConcurrentExecutions", snapshot == null ? 0 : Math.min(requested, snapshot.idle()))
                .put("Status", ready >= requested ? "READY" : "IN_PROGRESS");
    }

    // ---- field parsing ----

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull() || n.asText().isEmpty()) {
            if (required) throw WispException.invalid(field + " is required");
            return null;
        }
        if (!n.isTextual()) throw WispException.invalid(field + " must be a string");
        return n.asText();
    }

    private static String handler(JsonNode body, String runtime, String current) {
        String h = body.hasNonNull("Handler") ? body.get("Handler").asText() : current;
        if ((h == null || h.isEmpty()) && RuntimeKind.fromLambdaName(runtime) != RuntimeKind.PROVIDED) {
            throw WispException.invalid("Handler is required for runtime " + runtime);
        }
        return h == null ? "" : h;
    }

    private static int memory(JsonNode body, int current) {
        if (!body.has("MemorySize")) return current;
        int m = body.get("MemorySize").asInt(-1);
        if (m < 128 || m > MAX_MEMORY) {
            throw WispException.invalid("1 validation error detected: Value '" + body.get("MemorySize").asText()
                    + "' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and " + MAX_MEMORY);
        }
        return m;
    }

    private static int timeout(JsonNode body, int current) {
        if (!body.has("Timeout")) return current;
        int t = body.get("Timeout").asInt(-1);
        if (t < 1 || t > MAX_TIMEOUT) {
            throw WispException.invalid("1 validation error detected: Value '" + body.get("Timeout").asText()
                    + "' at 'timeout' failed to satisfy constraint: Member must have value between 1 and " + MAX_TIMEOUT);
        }
        return t;
    }

    private static Map<String, String> environment(JsonNode body, Map<String, String> current) {
        if (!body.has("Environment")) return current;
        Map<String, String> env = new LinkedHashMap<>();
        body.get("Environment").path("Variables").fields().forEachRemaining(e -> {
            if (!e.getKey().matches("[a-zA-Z]([a-zA-Z0-9_])+")) {
                throw WispException.invalid("Environment variable name '" + e.getKey() + "' is not valid");
            }
            if (e.getKey().startsWith("AWS_LAMBDA_") || e.getKey().equals("AWS_LAMBDA_RUNTIME_API")) {
                throw WispException.invalid("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: " + e.getKey());
            }
            env.put(e.getKey(), e.getValue().asText());
        });
        return env;
    }

    private static byte[] decodeZip(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw WispException.invalid("ZipFile is not valid base64");
        }
    }
}
