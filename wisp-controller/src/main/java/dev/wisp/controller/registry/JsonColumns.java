package dev.wisp.controller.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Records stored as JSON in a database column. A row that does not parse is a corrupt registry. */
public final class JsonColumns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonColumns() {}

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt registry row of " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
