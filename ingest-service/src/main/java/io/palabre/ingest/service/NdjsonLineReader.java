package io.palabre.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-delimited records from a stream one at a time, in bounded memory: a line longer than the limit is
 * reported as such (with its first bytes) instead of being held whole.
 */
final class NdjsonLineReader {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[8 * 1024];
    private int position;
    private int limit;
    private long bytesRead;
    private long lineNumber;

    NdjsonLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** One line of input: its text, or why it has none. */
    record Line(long number, String text, String problem) {
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        int length = 0;
        long total = 0;
        boolean sawAny = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
                bytesRead += limit;
            }
            sawAny = true;
            int start = position;
            int end = start;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int chunk = end - start;
            total += chunk;
            if (length < maxLineBytes) {
                int keep = Math.min(chunk, maxLineBytes - length);
                ensureCapacity(length + keep);
                System.arraycopy(buffer, start, line, length, keep);
                length += keep;
            }
            if (end < limit) {
                position = end + 1;
                break;
            }
            position = limit;
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r' && total == length) {
            length--;
            total--;
        }
        if (total > maxLineBytes) {
            return new Line(lineNumber, decodeLenient(length),
                    "line is " + total + " bytes long, more than the limit of " + maxLineBytes);
        }
        try {
            return new Line(lineNumber, decoder.decode(ByteBuffer.wrap(line, 0, length)).toString(), null);
        } catch (CharacterCodingException e) {
            return new Line(lineNumber, decodeLenient(length), "line is not valid UTF-8");
        }
    }

    private String decodeLenient(int length) {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(maxLineBytes, line.length * 2)));
        }
    }

    long bytesRead() {
        return bytesRead;
    }
}
