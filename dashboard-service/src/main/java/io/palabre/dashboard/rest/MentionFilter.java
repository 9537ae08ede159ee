package io.palabre.dashboard.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;

/**
 * The mention filters the API shares (search, export, time series, tops), checked once: platform, [from, to),
 * author, hashtag, language, listening query and full-text q. Conditions are written against alias {@code m}.
 */
record MentionFilter(String platform, Instant from, Instant to, String author, String hashtag, String lang,
        String query, String q) {

    private static final Pattern NAMED = Pattern.compile(":([a-zA-Z]+)");

    static MentionFilter of(String platform, String from, String to, String author, String hashtag, String lang,
            String query, String q) {
        Instant start = Params.instant("from", from);
        Instant end = Params.instant("to", to);
        Params.requireOrdered(start, end);
        if (q != null && q.length() > 500) {
            throw new BadParameterException("q must be at most 500 characters");
        }
        String tag = blankToNull(hashtag);
        return new MentionFilter(Params.platform(platform), start, end, blankToNull(author),
                tag == null ? null : tag.replaceFirst("^#", "").toLowerCase(Locale.ROOT), blankToNull(lang),
                blankToNull(query), blankToNull(q));
    }

    /** Appends {@code and ...} conditions with named parameters. */
    void where(StringBuilder sql, Map<String, Object> params) {
        add(sql, params, "m.platform = :platform", "platform", platform);
        add(sql, params, "m.created_at >= :from", "from", from);
        add(sql, params, "m.created_at < :to", "to", to);
        add(sql, params, "m.author_id = :author", "author", author);
        add(sql, params, "m.hashtags @> array[cast(:hashtag as text)]", "hashtag", hashtag);
        add(sql, params, "m.lang = :lang", "lang", lang);
        add(sql, params, "m.query = :query", "query", query);
        add(sql, params, "m.search @@ websearch_to_tsquery('simple', :q)", "q", q);
    }

    /** The SQL with its named parameters turned into JDBC's {@code ?}, and the values in their order. */
    static Map.Entry<String, List<Object>> positional(String sql, Map<String, Object> params) {
        List<Object> values = new ArrayList<>();
        Matcher m = NAMED.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = params.get(m.group(1));
            values.add(value instanceof Instant i ? java.sql.Timestamp.from(i) : value);
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        return Map.entry(out.toString(), values);
    }

    static Map<String, Object> params() {
        return new LinkedHashMap<>();
    }

    private static void add(StringBuilder sql, Map<String, Object> params, String condition, String name,
            Object value) {
        if (value != null) {
            sql.append(" and ").append(condition);
            params.put(name, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
