package dev.wisp.cli;

import java.io.ByteArrayInputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

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
            URI uri = endpoint.uri().resolve("/wisp/keys");
            SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                    .putHeader("Content-Type", "application/json").build();
            AwsCredentialsIdentity creds = DefaultCredentialsProvider.builder().build().resolveCredentials();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(creds).request(request)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            signed.request().headers().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("Host")) vs.forEach(v -> c.addRequestProperty(k, v));
            });
            c.getOutputStream().write(body);
            int status = c.getResponseCode();
            byte[] reply = (status < 300 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
            if (status >= 300) {
                System.err.println("wisp: " + c.getHeaderField("x-amzn-ErrorType") + ": " + new String(reply, StandardCharsets.UTF_8));
                return 1;
            }
            new ByteArrayInputStream(reply).transferTo(System.out);
            System.out.println();
            return 0;
        }
    }
}
