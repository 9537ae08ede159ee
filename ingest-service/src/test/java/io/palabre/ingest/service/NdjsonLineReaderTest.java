package io.palabre.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The bounded line reader on hand-made byte streams; plain JUnit.
 */
class NdjsonLineReaderTest {

    @Test
    void readsLinesWithOrWithoutAFinalNewlineAndStripsCarriageReturns() throws IOException {
        NdjsonLineReader reader = reader("a\r\nbb\n\nccc", 100);
        assertEquals("a", reader.next().text());
        assertEquals("bb", reader.next().text());
        assertEquals("", reader.next().text());
        NdjsonLineReader.Line last = reader.next();
        assertEquals("ccc", last.text());
        assertEquals(4, last.number());
        assertNull(reader.next());
    }

    @Test
    void lineOverTheLimitIsReportedAndTheNextLineIsIntact() throws IOException {
        NdjsonLineReader reader = reader("x".repeat(200_000) + "\nok\n", 1000);
        NdjsonLineReader.Line big = reader.next();
        assertTrue(big.problem().contains("200000 bytes"), big.problem());
        assertEquals(1000, big.text().length());
        assertEquals("ok", reader.next().text());
    }

    @Test
    void invalidUtf8IsReportedNotReplacedSilently() throws IOException {
        byte[] bytes = { 'a', (byte) 0xC3, '\n', 'b' };
        NdjsonLineReader reader = new NdjsonLineReader(new ByteArrayInputStream(bytes), 100);
        assertEquals("line is not valid UTF-8", reader.next().problem());
        assertEquals("b", reader.next().text());
    }

    @Test
    void multiByteCharactersSplitAcrossReadsAreDecoded() throws IOException {
        String text = "é".repeat(40_000) + "日本";
        NdjsonLineReader reader = reader(text + "\n", 1_000_000);
        assertEquals(text, reader.next().text());
    }

    private static NdjsonLineReader reader(String text, int max) {
        return new NdjsonLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }
}
