package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Raw-bytes handler: the payload is never parsed as JSON, which shows the
 * runtime passes it through untouched. Uppercasing makes the round trip visible.
 */
public class StreamHello implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String text = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        // Locale.ROOT so the result does not depend on the host's locale (e.g. Turkish i).
        output.write(text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }
}
