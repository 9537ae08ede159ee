package io.palabre.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * CSV cells of the exports, alone: plain JUnit.
 */
class CsvCellsTest {

    @Test
    void aCellThatWouldRunAsAFormulaIsShownAsText() {
        assertEquals("\"'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")\"",
                GraphFormats.csvField("=HYPERLINK(\"http://evil\";\"x\")"));
        assertEquals("'+1+1", GraphFormats.csvField("+1+1"));
        assertEquals("'-2", GraphFormats.csvField("-2"));
        assertEquals("'@SUM(A1)", GraphFormats.csvField("@SUM(A1)"));
        assertEquals("'\tcmd", GraphFormats.csvField("\tcmd"));
        assertEquals("\"'\rcmd\"", GraphFormats.csvField("\rcmd"));
        assertEquals("'\uFF1D1", GraphFormats.csvField("\uFF1D1"));
    }

    @Test
    void ordinaryCellsAreLeftAsTheyAre() {
        assertEquals("hello", GraphFormats.csvField("hello"));
        assertEquals("\"a,b\"", GraphFormats.csvField("a,b"));
        assertEquals("a=b", GraphFormats.csvField("a=b"));
    }
}
