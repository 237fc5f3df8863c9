package dev.wisp.cli;

import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import picocli.CommandLine.Option;

/** The server a client command talks to; credentials come from the usual AWS environment. */
final class Endpoint {
    @Option(names = "--endpoint", description = "Wisp base URL. Default: $WISP_ENDPOINT or http://127.0.0.1:9000")
    String endpoint;

    URI uri() {
        String e = endpoint != null ? endpoint : System.getenv().getOrDefault("WISP_ENDPOINT", "http://127.0.0.1:9000");
        return URI.create(e);
    }

    LambdaClient lambda() {
        return LambdaClient.builder().endpointOverride(uri()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
