package dev.wisp.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.controller.registry.AliasConfig;
import dev.wisp.controller.registry.Arns;
import dev.wisp.controller.registry.FunctionConfig;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Renders registry objects in the Lambda API's JSON shapes. */
final class FunctionJson {
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private FunctionJson() {}

    static ObjectNode configuration(ObjectMapper json, FunctionConfig f) {
        ObjectNode n = json.createObjectNode();
        n.put("FunctionName", f.name());
        n.put("FunctionArn", Arns.function(f.tenant(), f.name(), f.version().equals(FunctionConfig.LATEST) ? null : f.version()));
        n.put("Runtime", f.runtime());
        n.put("Role", f.role());
        n.put("Handler", f.handler());
        n.put("CodeSize", f.codeSize());
        n.put("Description", f.description());
        n.put("Timeout", f.timeout());
        n.put("MemorySize", f.memorySize());
        n.put("LastModified", LAST_MODIFIED.format(Instant.ofEpochMilli(f.lastModified())));
        n.put("CodeSha256", f.codeSha256());
        n.put("Version", f.version());
        ObjectNode vars = n.putObject("Environment").putObject("Variables");
        f.environment().forEach(vars::put);
        n.putObject("TracingConfig").put("Mode", "PassThrough");
        n.put("RevisionId", f.revisionId());
        n.put("State", "Active");
        n.put("LastUpdateStatus", "Successful");
        n.put("PackageType", "Zip");
        n.putArray("Architectures").add("x86_64");
        n.putObject("EphemeralStorage").put("Size", 512);
        return n;
    }

    static ObjectNode alias(ObjectMapper json, AliasConfig a) {
        ObjectNode n = json.createObjectNode();
        n.put("AliasArn", Arns.function(a.tenant(), a.functionName(), a.name()));
        n.put("Name", a.name());
        n.put("FunctionVersion", a.functionVersion());
        n.put("Description", a.description() == null ? "" : a.description());
        n.put("RevisionId", a.revisionId());
        return n;
    }

}
