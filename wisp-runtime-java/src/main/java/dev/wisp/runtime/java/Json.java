package dev.wisp.runtime.java;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Type;

/** JSON for handler inputs and outputs; a holder class so Jackson loads only when first needed. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

    static Object read(byte[] json, Type type) throws Exception {
        return MAPPER.readValue(json, MAPPER.constructType(type));
    }

    static byte[] write(Object value) throws Exception {
        return MAPPER.writeValueAsBytes(value);
    }
}
