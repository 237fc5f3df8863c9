package dev.wisp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Tenant keys made the documented way: `wisp keys create`, signed with the admin key from the environment. */
final class Keys {
    private Keys() {}

    static WispProcess.Key create(WispProcess wisp, String tenant) throws Exception {
        List<String> cmd = List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.wisp.cli.WispCli", "keys", "create", "--tenant", tenant,
                "--endpoint", wisp.endpoint.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("AWS_ACCESS_KEY_ID", wisp.adminKeyId);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", wisp.adminSecret);
        pb.environment().put("AWS_REGION", "us-east-1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("wisp keys create failed: " + err);
        JsonNode n = new ObjectMapper().readTree(out);
        if (!tenant.equals(n.path("tenant").asText())) throw new IllegalStateException("unexpected output " + new String(out, StandardCharsets.UTF_8));
        return new WispProcess.Key(n.get("accessKeyId").asText(), n.get("secretAccessKey").asText());
    }

}
