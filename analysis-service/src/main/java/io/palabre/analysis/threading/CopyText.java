package io.palabre.analysis.threading;

import java.io.Reader;
import java.util.List;

/**
 * Rows for PostgreSQL's {@code COPY ... FROM STDIN} in its text format: tab-separated columns, {@code \N} for
 * null, backslash escapes; arrays as array literals. U+0000, which PostgreSQL text cannot hold, is dropped.
 */
final class CopyText {

    private final StringBuilder out;

    CopyText(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    CopyText text(String value) {
        write(value);
        out.append('\t');
        return this;
    }

    CopyText bool(boolean value) {
        out.append(value ? 't' : 'f').append('\t');
        return this;
    }

    CopyText array(List<String> values) {
        StringBuilder literal = new StringBuilder(16).append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"');
            String v = values.get(i);
            for (int k = 0; k < v.length(); k++) {
                char ch = v.charAt(k);
                if (ch == '"' || ch == '\\') {
                    literal.append('\\');
                }
                literal.append(ch);
            }
            literal.append('"');
        }
        write(literal.append('}').toString());
        out.append('\t');
        return this;
    }

    /** The row's last column. */
    CopyText last(String value) {
        write(value);
        out.append('\n');
        return this;
    }

    Reader reader() {
        return new java.io.StringReader(out.toString());
    }

    private void write(String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> {
                    // PostgreSQL text cannot hold U+0000 (JSON can): it is dropped.
                }
                default -> out.append(ch);
            }
        }
    }
}
