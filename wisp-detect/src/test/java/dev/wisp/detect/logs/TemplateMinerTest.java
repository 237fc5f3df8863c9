package dev.wisp.detect.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TemplateMinerTest {
    /** The tokenizer as first written: a regex split, then digits to the wildcard. */
    private static String[] byRegex(String message) {
        String[] raw = message.trim().split("\\s+", 65);
        return Arrays.stream(raw).limit(64).map(t -> t.chars().anyMatch(Character::isDigit) ? "<*>" : t).toArray(String[]::new);
    }

    @Test
    void tokenizesLikeAWhitespaceSplit() {
        String many = "word ".repeat(70) + "tail";
        for (String m : new String[] {"", "   ", "a", "  connect  to db-7\tfailed\r\n", "x\u000By\fz", "id=42 user alice",
                "REPORT RequestId: 1a2b\tDuration: 3.35 ms", many, "\u0001ctl char", "trailing space "}) {
            assertArrayEquals(byRegex(m), TemplateMiner.tokenize(m), m);
        }
        assertEquals(64, TemplateMiner.tokenize(many).length);
    }
}
