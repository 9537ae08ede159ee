package io.palabre.dashboard.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.dashboard.rest.GraphFormats;

/**
 * The weekly report as a self-contained HTML page and as CSV, in English or French: the labels come from the web UI's
 * message bundles ({@code report.*} keys), numbers and dates are formatted for the language. Every value is escaped
 * (HTML) or neutralised against spreadsheet formulas (CSV).
 */
public final class ReportFormats {

    public static final List<String> LANGUAGES = List.of("en", "fr");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Map<String, String>> BUNDLES = new ConcurrentHashMap<>();

    private final Map<String, String> messages;
    private final Locale locale;

    public ReportFormats(String lang) {
        this.messages = bundle(lang);
        this.locale = Locale.forLanguageTag(lang);
    }

    static Map<String, String> bundle(String lang) {
        return BUNDLES.computeIfAbsent(lang, l -> {
            try (InputStream in = ReportFormats.class.getResourceAsStream("/META-INF/resources/i18n/" + l
                    + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("No message bundle for " + l);
                }
                return MAPPER.readValue(in, new TypeReference<Map<String, String>>() {
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The message of this key in the report's language. */
    public String t(String key) {
        String text = messages.get(key);
        if (text == null) {
            throw new IllegalStateException("No message " + key);
        }
        return text;
    }

    private String number(Number n) {
        return n == null ? "–" : NumberFormat.getInstance(locale).format(n);
    }

    private String percent(Double ratio) {
        if (ratio == null) {
            return "–";
        }
        NumberFormat f = NumberFormat.getPercentInstance(locale);
        f.setMaximumFractionDigits(1);
        return f.format(ratio);
    }

    private String duration(Long seconds) {
        if (seconds == null) {
            return "–";
        }
        long s = Math.abs(seconds);
        NumberFormat f = NumberFormat.getInstance(locale);
        f.setMaximumFractionDigits(1);
        if (s < 60) {
            return f.format(s) + " s";
        }
        if (s < 3600) {
            return f.format(Math.round(s / 60.0)) + " min";
        }
        if (s < 86400) {
            return f.format(s / 3600.0) + " h";
        }
        return f.format(s / 86400.0) + " " + t("report.days");
    }

    private String time(Instant at) {
        return at == null ? "–" : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(locale).withZone(ZoneOffset.UTC).format(at) + " UTC";
    }

    public String html(WeeklyReport r) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<!DOCTYPE html>\n<html lang=\"").append(locale.getLanguage()).append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n<title>").append(esc(t("report.title") + " · " + r.accountId()
                        + " · " + r.week())).append("</title>\n<style>body{font:15px/1.5 system-ui,sans-serif;"
                        + "max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}table{border-collapse:"
                        + "collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #d8dee4;padding:"
                        + ".3rem .5rem;text-align:left;vertical-align:top}td.n{text-align:right}h2{margin-top:2rem}"
                        + ".muted{color:#57606a}</style>\n</head>\n<body>\n");
        b.append("<h1>").append(esc(t("report.title"))).append(": ").append(esc(r.accountId())).append("</h1>\n");
        b.append("<p class=\"muted\">").append(esc(t("report.week"))).append(' ').append(esc(r.week()))
                .append(" (").append(esc(time(r.from()))).append(" – ").append(esc(time(r.to()))).append("). ")
                .append(esc(t("report.computed"))).append(' ').append(esc(time(r.computedAt()))).append(".</p>\n");

        b.append("<h2>").append(esc(t("report.answers"))).append("</h2>\n<table>\n<thead><tr><th></th><th>")
                .append(esc(t("report.thisWeek"))).append("</th><th>").append(esc(t("report.previousWeek")))
                .append("</th></tr></thead>\n<tbody>\n");
        for (String[] row : sideRows(r)) {
            b.append("<tr><th scope=\"row\">").append(esc(row[0])).append("</th><td class=\"n\">")
                    .append(esc(row[1])).append("</td><td class=\"n\">").append(esc(row[2])).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");

        section(b, "report.longestWaits", List.of("report.when", "report.who", "report.waited", "report.answeredAt",
                "report.text"), r.longestWaits().stream().map(w -> new String[] { time(w.createdAt()), w.authorId(),
                        duration(w.waitSeconds()), w.answeredAt() == null ? t("report.notAnswered")
                                : time(w.answeredAt()), w.text() == null ? "" : w.text() }).toList());
        section(b, "report.dialogues", List.of("report.who", "report.turns", "report.from", "report.to",
                "report.conversation"), r.dialogues().stream().map(d -> new String[] { d.personId(),
                        number(d.turns()), time(d.firstAt()), time(d.lastAt()), d.conversationId() }).toList());
        section(b, "report.drawing", List.of("report.account", "report.replies", "report.conversations"),
                r.drawingConversation().stream().map(d -> new String[] { d.handle() == null ? d.accountId()
                        : d.handle() + " (" + d.accountId() + ")", number(d.replies()), number(d.conversations()) })
                        .toList());
        section(b, "report.hashtags", List.of("report.hashtag", "report.mentions"), r.topHashtags().stream()
                .map(tag -> new String[] { "#" + tag.hashtag(), number(tag.mentions()) }).toList());
        b.append("<p class=\"muted\">").append(esc(t("report.definitions"))).append("</p>\n</body>\n</html>\n");
        return b.toString();
    }

    private List<String[]> sideRows(WeeklyReport r) {
        WeeklyReport.Side a = r.thisWeek();
        WeeklyReport.Side p = r.previousWeek();
        return List.of(new String[] { t("report.volume"), number(a.mentions()), number(p.mentions()) },
                new String[] { t("report.peopleMentions"), number(a.peopleMentions()), number(p.peopleMentions()) },
                new String[] { t("report.answered"), number(a.answered()), number(p.answered()) },
                new String[] { t("report.responseRate"), percent(a.responseRate()), percent(p.responseRate()) },
                new String[] { t("report.medianFirstResponse"), duration(a.medianFirstResponseSeconds()),
                    duration(p.medianFirstResponseSeconds()) },
                new String[] { t("report.p90FirstResponse"), duration(a.p90FirstResponseSeconds()),
                    duration(p.p90FirstResponseSeconds()) },
                new String[] { t("report.unanswered"), number(a.unansweredCount()), number(p.unansweredCount()) },
                new String[] { t("report.dialogueCount"), number(a.dialogues()), number(p.dialogues()) });
    }

    private void section(StringBuilder b, String title, List<String> headers, List<String[]> rows) {
        b.append("<h2>").append(esc(t(title))).append("</h2>\n");
        if (rows.isEmpty()) {
            b.append("<p class=\"muted\">").append(esc(t("report.none"))).append("</p>\n");
            return;
        }
        b.append("<table>\n<thead><tr>");
        headers.forEach(h -> b.append("<th scope=\"col\">").append(esc(t(h))).append("</th>"));
        b.append("</tr></thead>\n<tbody>\n");
        for (String[] row : rows) {
            b.append("<tr>");
            for (String cell : row) {
                b.append("<td>").append(esc(cell)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    /** One row per figure and list item: section, rank, then the values, raw (ISO times, seconds, ratios). */
    public String csv(WeeklyReport r) {
        StringBuilder b = new StringBuilder(4096);
        row(b, "section", "rank", "name", "this_week", "previous_week", "detail");
        WeeklyReport.Side a = r.thisWeek();
        WeeklyReport.Side p = r.previousWeek();
        row(b, "figures", "", "mentions", a.mentions(), p.mentions(), "");
        row(b, "figures", "", "people_mentions", a.peopleMentions(), p.peopleMentions(), "");
        row(b, "figures", "", "answered", a.answered(), p.answered(), "");
        row(b, "figures", "", "response_rate", a.responseRate(), p.responseRate(), "");
        row(b, "figures", "", "median_first_response_seconds", a.medianFirstResponseSeconds(),
                p.medianFirstResponseSeconds(), "");
        row(b, "figures", "", "p90_first_response_seconds", a.p90FirstResponseSeconds(), p.p90FirstResponseSeconds(),
                "");
        row(b, "figures", "", "unanswered", a.unansweredCount(), p.unansweredCount(), "");
        row(b, "figures", "", "dialogues", a.dialogues(), p.dialogues(), "");
        int i = 0;
        for (WeeklyReport.LongWait w : r.longestWaits()) {
            row(b, "longest_waits", ++i, w.authorId(), w.waitSeconds(), "", w.mentionId() + " "
                    + (w.answeredAt() == null ? "unanswered" : "answered " + w.answeredAt()));
        }
        i = 0;
        for (WeeklyReport.Dialogue d : r.dialogues()) {
            row(b, "dialogues", ++i, d.personId(), d.turns(), "", d.conversationId());
        }
        i = 0;
        for (WeeklyReport.Drawn d : r.drawingConversation()) {
            row(b, "drawing_conversation", ++i, d.accountId(), d.replies(), "", d.conversations() + " conversations");
        }
        i = 0;
        for (WeeklyReport.Tag tag : r.topHashtags()) {
            row(b, "top_hashtags", ++i, tag.hashtag(), tag.mentions(), "", "");
        }
        return b.toString();
    }

    private static void row(StringBuilder b, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(GraphFormats.csvField(cells[i] == null ? "" : cells[i].toString()));
        }
        b.append("\r\n");
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
