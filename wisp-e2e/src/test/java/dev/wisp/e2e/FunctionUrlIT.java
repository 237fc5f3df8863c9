package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Function URLs: an API-Gateway-style handler answers plain HTTP requests unchanged. */
class FunctionUrlIT {
    @TempDir Path data;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void apiGatewayHandlerAnswersHttpRequests() throws Exception {
        try (WispProcess wisp = WispProcess.start(data); LambdaClient lambda = wisp.lambda()) {
            lambda.createFunction(r -> r.functionName("web").runtime(Runtime.PYTHON3_12).handler("http_app.handler").role("r")
                    .code(c -> c.zipFile(Zips.example("python-hello"))));
            String url = lambda.createFunctionUrlConfig(r -> r.functionName("web").authType(FunctionUrlAuthType.NONE)).functionUrl();
            assertEquals(url, lambda.getFunctionUrlConfig(r -> r.functionName("web")).functionUrl());

            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(url + "items/7?color=red&size=L")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode(), get.body());
            JsonNode echoed = new ObjectMapper().readTree(get.body());
            assertEquals("GET", echoed.path("method").asText(), get.body());
            assertEquals("/items/7", echoed.path("path").asText(), get.body());
            assertTrue(get.body().contains("red"), get.body());

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(url + "orders"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, post.statusCode(), post.body());
            assertTrue(post.body().contains("POST") && post.body().contains("qty"), post.body());

            lambda.updateFunctionUrlConfig(r -> r.functionName("web").authType(FunctionUrlAuthType.AWS_IAM));
            HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, unsigned.statusCode(), unsigned.body());

            lambda.deleteFunction(r -> r.functionName("web"));
            HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, gone.statusCode());
        }
    }
}
