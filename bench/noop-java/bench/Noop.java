package bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** No-op handler for bench/invoke-overhead.sh: drains the event and answers {}. */
public final class Noop implements RequestStreamHandler {
    private static final byte[] EMPTY = {'{', '}'};

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
        out.write(EMPTY);
    }
}
