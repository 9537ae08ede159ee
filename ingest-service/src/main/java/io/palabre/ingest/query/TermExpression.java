package io.palabre.ingest.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Boolean search terms, as analysts write them: words and {@code "quoted phrases"}, combined with {@code AND}
 * (or simply a space), {@code OR}, {@code NOT} (or a leading {@code -}) and parentheses; a trailing {@code *} makes
 * a word a prefix. Matching is case-insensitive and on whole words, for every script.
 *
 * <p>Example: {@code ("acme rail" OR acmerail) -job*}.
 */
public final class TermExpression {

    private final Node root;
    private final String source;

    private TermExpression(Node root, String source) {
        this.root = root;
        this.source = source;
    }

    /** Parses terms; an {@link IllegalArgumentException} says where they are malformed. */
    public static TermExpression parse(String terms) {
        List<String> tokens = tokenize(terms);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("terms are empty");
        }
        Parser parser = new Parser(tokens);
        Node node = parser.or();
        if (parser.position < tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + tokens.get(parser.position) + "' in terms");
        }
        return new TermExpression(node, terms);
    }

    public boolean matches(String text) {
        return root.matches(text == null ? "" : text.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return source;
    }

    private static List<String> tokenize(String terms) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        String s = terms == null ? "" : terms;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed quote at position " + i + " in terms");
                }
                tokens.add(s.substring(i, end + 1));
                i = end + 1;
            } else {
                int start = i;
                while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "()\"".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(s.substring(start, i));
            }
        }
        return tokens;
    }

    private interface Node {
        boolean matches(String lowerText);
    }

    private record Or(List<Node> parts) implements Node {
        public boolean matches(String t) {
            return parts.stream().anyMatch(p -> p.matches(t));
        }
    }

    private record And(List<Node> parts) implements Node {
        public boolean matches(String t) {
            return parts.stream().allMatch(p -> p.matches(t));
        }
    }

    private record Not(Node part) implements Node {
        public boolean matches(String t) {
            return !part.matches(t);
        }
    }

    private record Term(Pattern pattern) implements Node {
        public boolean matches(String t) {
            return pattern.matcher(t).find();
        }

        static Term of(String raw) {
            String text = raw.toLowerCase(Locale.ROOT);
            boolean prefix = text.endsWith("*") && text.length() > 1;
            if (prefix) {
                text = text.substring(0, text.length() - 1);
            }
            String[] words = text.trim().split("\\s+");
            StringBuilder regex = new StringBuilder("(?<![\\p{L}\\p{N}_])");
            for (int i = 0; i < words.length; i++) {
                if (i > 0) {
                    regex.append("\\s+");
                }
                regex.append(Pattern.quote(words[i]));
            }
            if (!prefix) {
                regex.append("(?![\\p{L}\\p{N}_])");
            }
            return new Term(Pattern.compile(regex.toString(), Pattern.UNICODE_CASE | Pattern.CASE_INSENSITIVE));
        }
    }

    private static final class Parser {
        final List<String> tokens;
        int position;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        Node or() {
            List<Node> parts = new ArrayList<>(List.of(and()));
            while (peek("OR")) {
                position++;
                parts.add(and());
            }
            return parts.size() == 1 ? parts.get(0) : new Or(parts);
        }

        Node and() {
            List<Node> parts = new ArrayList<>(List.of(unary()));
            while (position < tokens.size() && !peek("OR") && !peek(")")) {
                if (peek("AND")) {
                    position++;
                }
                parts.add(unary());
            }
            return parts.size() == 1 ? parts.get(0) : new And(parts);
        }

        Node unary() {
            if (position >= tokens.size()) {
                throw new IllegalArgumentException("terms end where a word was expected");
            }
            String token = tokens.get(position);
            if (token.equals("NOT")) {
                position++;
                return new Not(unary());
            }
            if (token.startsWith("-") && token.length() > 1) {
                tokens.set(position, token.substring(1));
                return new Not(unary());
            }
            if (token.equals("(")) {
                position++;
                Node inner = or();
                if (!peek(")")) {
                    throw new IllegalArgumentException("missing ')' in terms");
                }
                position++;
                return inner;
            }
            if (token.equals(")") || token.equals("OR") || token.equals("AND")) {
                throw new IllegalArgumentException("unexpected '" + token + "' in terms");
            }
            position++;
            String text = token.startsWith("\"") ? token.substring(1, token.length() - 1) : token;
            if (text.isBlank()) {
                throw new IllegalArgumentException("empty phrase in terms");
            }
            return Term.of(text);
        }

        boolean peek(String token) {
            return position < tokens.size() && tokens.get(position).equals(token);
        }
    }
}
