package dev.wisp.cli;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wisp keys}: access keys for tenants. */
@Command(name = "keys", description = "Manage access keys.", subcommands = KeysCommand.Create.class)
final class KeysCommand {
    @Command(name = "create", description = "Create an access key for a tenant; prints it once as JSON. Signed with an admin key from the AWS environment variables.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--admin", description = "The key may create other keys.") boolean admin;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() throws Exception {
            byte[] body = ("{\"tenant\":\"" + tenant.replace("\"", "") + "\",\"admin\":" + admin + "}").getBytes(StandardCharsets.UTF_8);
            SignedHttp.Reply reply = SignedHttp.call(endpoint, "POST", "/wisp/keys", body);
            if (!reply.ok()) return reply.fail();
            System.out.println(reply.text());
            return 0;
        }
    }
}
