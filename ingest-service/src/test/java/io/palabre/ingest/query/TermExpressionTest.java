package io.palabre.ingest.query;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Boolean terms on hand-written texts; plain JUnit.
 */
class TermExpressionTest {

    @Test
    void phrasesOrNotAndPrefixes() {
        TermExpression e = TermExpression.parse("(\"acme rail\" OR acmerail) -job*");
        assertTrue(e.matches("Late again, Acme  Rail!"));
        assertTrue(e.matches("#AcmeRail strikes"));
        assertFalse(e.matches("Acme Rail jobs fair"), "NOT job*");
        assertFalse(e.matches("acmerailway"), "whole words only");
        assertFalse(e.matches("acme bus"));
    }

    @Test
    void spaceMeansAndAndWordsMatchInEveryScript() {
        TermExpression e = TermExpression.parse("grève AND métro");
        assertTrue(e.matches("Grève dans le métro ce matin"));
        assertFalse(e.matches("grève des bus"));
        assertTrue(TermExpression.parse("NOT spam").matches("hello"));
    }

    @Test
    void malformedTermsAreExplained() {
        assertThrows(IllegalArgumentException.class, () -> TermExpression.parse("(acme OR"));
        assertThrows(IllegalArgumentException.class, () -> TermExpression.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> TermExpression.parse("OR acme"));
        assertThrows(IllegalArgumentException.class, () -> TermExpression.parse("  "));
    }
}
