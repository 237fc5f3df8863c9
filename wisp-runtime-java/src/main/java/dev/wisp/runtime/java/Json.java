package dev.wisp.runtime.java;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jr.ob.JSON;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON for handler inputs and outputs. Plain JSON shapes (maps, lists, strings, numbers,
 * booleans) go through jackson-jr, which is ready in a few milliseconds on a cold JVM; typed
 * objects (POJOs, records) go through jackson-databind, loaded only when a handler needs it. Each
 * lives in its own holder class so nothing loads before it is used.
 */
final class Json {
    private Json() {}

    private static final class Simple {
        static final JSON JR = JSON.std;
    }

    private static final class Full {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    static Object read(byte[] json, Type type) throws Exception {
        if (isPlain(type)) {
            Object value = Simple.JR.anyFrom(json);
            if (type == String.class && value != null && !(value instanceof String)) {
                throw new IllegalArgumentException("the handler takes a String but the event is " + value.getClass().getSimpleName());
            }
            return value;
        }
        return Full.MAPPER.readValue(json, Full.MAPPER.constructType(type));
    }

    static byte[] write(Object value) throws Exception {
        return isPlainValue(value, 0) ? Simple.JR.asBytes(value) : Full.MAPPER.writeValueAsBytes(value);
    }

    /** Types jackson-jr produces exactly as databind would: untyped JSON and strings. */
    private static boolean isPlain(Type type) {
        if (type == Object.class || type == String.class || type == Map.class || type == List.class || type == Collection.class) {
            return true;
        }
        if (type instanceof ParameterizedType p) {
            Type raw = p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == Map.class) return args[0] == String.class && args[1] == Object.class;
            if (raw == List.class || raw == Collection.class) return args[0] == Object.class;
        }
        return false;
    }

    private static boolean isPlainValue(Object v, int depth) {
        if (depth > 64) return false;
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof Double || v instanceof Float || v instanceof Short || v instanceof Byte) {
            return true;
        }
        if (v instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                if (!(e.getKey() instanceof String) || !isPlainValue(e.getValue(), depth + 1)) return false;
            }
            return true;
        }
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (!isPlainValue(o, depth + 1)) return false;
            }
            return true;
        }
        return false;
    }
}
