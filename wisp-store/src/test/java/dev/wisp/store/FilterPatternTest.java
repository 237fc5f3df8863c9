package dev.wisp.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FilterPatternTest {
    private static boolean match(String pattern, String text) {
        return FilterPattern.parse(pattern).matches(text);
    }

    @Test
    void emptyMatchesEverything() {
        assertTrue(FilterPattern.parse(null).isAll());
        assertTrue(FilterPattern.parse("  \t ").isAll());
        assertTrue(match("", "anything"));
    }

    @Test
    void termsAreAllRequiredSubstringsAndCaseSensitive() {
        assertTrue(match("ERROR", "[ERROR] db down"));
        assertFalse(match("ERROR", "error: db down"));
        assertTrue(match("ERROR db", "ERROR: db down"));
        assertFalse(match("ERROR db", "ERROR: cache down"));
        assertEquals(List.of("ERROR", "db"), FilterPattern.parse("  ERROR \t db ").allOf());
    }

    @Test
    void quotedPhrasesMatchAsTheyAre() {
        assertTrue(match("\"Task timed out\"", "2025 Task timed out after 3.00 seconds"));
        assertFalse(match("\"Task timed out\"", "Task was timed out"));
        assertEquals(List.of("say \"hi\" \\ now", "x"), FilterPattern.parse("\"say \\\"hi\\\" \\\\ now\" x").allOf());
        assertEquals(List.of("a:b{c}"), FilterPattern.parse("\"a:b{c}\"").allOf());
    }

    @Test
    void minusExcludes() {
        assertTrue(match("ERROR -healthcheck", "ERROR in handler"));
        assertFalse(match("ERROR -healthcheck", "ERROR in healthcheck"));
        assertFalse(match("-\"GET /health\"", "GET /health 200"));
        assertEquals(new FilterPattern(List.of(), List.of(), List.of("x y")), FilterPattern.parse("-\"x y\""));
    }

    @Test
    void questionMarksAreAnyOf() {
        assertTrue(match("?ERROR ?WARN", "WARN slow"));
        assertTrue(match("?ERROR ?WARN", "ERROR down"));
        assertFalse(match("?ERROR ?WARN", "INFO fine"));
        assertTrue(match("?ERROR ?WARN db -retry", "WARN db slow"));
        assertFalse(match("?ERROR ?WARN db -retry", "WARN db retry"));
        assertFalse(match("?ERROR ?WARN db -retry", "INFO db"));
    }

    @Test
    void unsupportedKindsAreRejectedWithAReason() {
        var json = assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("{ $.x = 1 }"));
        assertTrue(json.getMessage().contains("JSON filter patterns"), json.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("[ip, user]"))
                .getMessage().contains("space-delimited"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("%ERR.*%"))
                .getMessage().contains("regular-expression"));
    }

    @Test
    void malformedQuotingIsRejectedWithAPosition() {
        assertEquals("unterminated quote at column 7", assertThrows(IllegalArgumentException.class,
                () -> FilterPattern.parse("ERROR \"Task timed")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("\"a\"b"))
                .getMessage().contains("after the phrase"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("ab\"c\""))
                .getMessage().contains("quote inside a term at column 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("ERROR -"))
                .getMessage().contains("must be followed by a term"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("? x"))
                .getMessage().contains("must be followed by a term"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("\"\""))
                .getMessage().contains("empty phrase"));
    }
}
