package io.palabre.dashboard.rest;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.dashboard.service.ReadLanes;
import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;
import io.palabre.dashboard.service.RecentResults;
import io.palabre.dashboard.service.TopValues;
import io.palabre.dashboard.service.VolumeOverTime;
import io.palabre.support.security.Role;

/**
 * Volume over time, top hashtags and links, and streamed exports of mentions, all under the mention filters.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api")
@Tag(name = "Activity", description = "Volume over time, tops and exports")
public class ActivityResource {

    static final Duration MAX_HOURLY = Duration.ofDays(31);
    static final Duration MAX_DAILY = Duration.ofDays(3 * 366);
    static final int MAX_EXPORT = 10_000_000;

    private final ReadLanes lanes;
    private final ObjectMapper mapper;
    private final RecentResults recent;
    private final VolumeOverTime volume;
    private final TopValues values;

    public ActivityResource(ReadLanes lanes, ObjectMapper mapper, RecentResults recent, VolumeOverTime volume,
            TopValues values) {
        this.recent = recent;
        this.volume = volume;
        this.values = values;
        this.lanes = lanes;
        this.mapper = mapper;
    }

    /** One series of counts per bucket. */
    public record Series(String key, List<Point> points) {
    }

    /** Mentions created in [at, at + interval). */
    public record Point(Instant at, long count) {
    }

    /** Volume over time, split by a dimension. */
    public record TimeSeries(String interval, String by, Instant from, Instant to, List<Series> series) {
    }

    @GET
    @Path("timeseries")
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mentions per hour or day, by platform, language or listening query",
            description = "Window [from, to) defaults to the last 7 days; at most 31 days by hour, 3 years by day. "
                    + "The mention filters apply. Buckets are UTC; empty buckets are left out. Without author, hashtag "
                    + "or q, the whole hours come from counts kept as mentions are stored.")
    public TimeSeries timeseries(@Parameter(description = "hour or day (default)") @QueryParam("interval") String interval,
            @Parameter(description = "platform, lang, query or none (default)") @QueryParam("by") String by,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("platform") String platform,
            @QueryParam("author") String author, @QueryParam("hashtag") String hashtag,
            @QueryParam("lang") String lang, @QueryParam("query") String query, @QueryParam("q") String q)
            throws Exception {
        return recent.get(RecentResults.key("timeseries", interval, by, from, to, platform, author, hashtag, lang,
                query, q), () -> computeTimeseries(interval, by, from, to, platform, author, hashtag, lang, query, q));
    }

    private TimeSeries computeTimeseries(String interval, String by, String from, String to, String platform,
            String author, String hashtag, String lang, String query, String q) throws SQLException {
        String unit = interval == null || interval.isBlank() ? "day" : interval;
        if (!unit.equals("hour") && !unit.equals("day")) {
            throw new BadParameterException("interval must be hour or day, not " + interval);
        }
        String split = by == null || by.isBlank() ? "none" : by;
        String key = switch (split) {
            case "none" -> "'all'";
            case "platform" -> "m.platform";
            case "lang" -> "coalesce(m.lang, 'unknown')";
            case "query" -> "coalesce(m.query, 'none')";
            default -> throw new BadParameterException("by must be platform, lang, query or none, not " + by);
        };
        Instant end = Params.instant("to", to);
        end = end == null ? Instant.now() : end;
        Instant start = Params.instant("from", from);
        start = start == null ? end.minus(Duration.ofDays(7)) : start;
        Params.requireOrdered(start, end);
        Duration max = unit.equals("hour") ? MAX_HOURLY : MAX_DAILY;
        if (Duration.between(start, end).compareTo(max) > 0) {
            throw new BadParameterException("a window of at most " + max.toDays() + " days by " + unit);
        }
        MentionFilter filter = MentionFilter.of(platform, start.toString(), end.toString(), author, hashtag, lang,
                query, q);
        if (filter.author() == null && filter.hashtag() == null && filter.q() == null) {
            List<Series> rolled = new ArrayList<>();
            VolumeOverTime.byKey(volume.counts(unit, split, start, end, filter.platform(), filter.lang(),
                    filter.query())).forEach((k, counts) -> rolled.add(new Series(k, counts.stream()
                            .map(c -> new Point(c.bucket(), c.mentions())).toList())));
            return new TimeSeries(unit, split, start, end, rolled);
        }
        StringBuilder sql = new StringBuilder("select " + key + " as k, date_trunc('" + unit + "', m.created_at "
                + "at time zone 'UTC') as b, count(*) from mention m where m.kind <> 'delete' and not m.deleted");
        Map<String, Object> params = MentionFilter.params();
        filter.where(sql, params);
        sql.append(" group by k, b order by k, b");
        Map<String, List<Point>> series = new LinkedHashMap<>();
        var positional = MentionFilter.positional(sql.toString(), params);
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement(positional.getKey())) {
            bind(ps, positional.getValue());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    series.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Point(
                            rs.getTimestamp(2).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC), rs.getLong(3)));
                }
            }
        }
        List<Series> out = new ArrayList<>();
        series.forEach((k, points) -> out.add(new Series(k, points)));
        return new TimeSeries(unit, split, start, end, out);
    }

    @GET
    @Path("top/{what}")
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The most used hashtags or links",
            description = "what: hashtags or links. The mention filters apply; limit 1 to 200 (default 20). Without "
                    + "author or q, counts kept as mentions are stored answer it; authors=true also counts the "
                    + "distinct authors of each, from the mentions of the window (slower).")
    public List<Top> top(@PathParam("what") String what, @QueryParam("limit") String limit,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("platform") String platform,
            @QueryParam("author") String author, @QueryParam("lang") String lang, @QueryParam("query") String query,
            @QueryParam("q") String q, @Parameter(description = "true to count distinct authors too")
            @QueryParam("authors") String authors) throws Exception {
        return recent.get(RecentResults.key("top", what, limit, from, to, platform, author, lang, query, q, authors),
                () -> computeTop(what, limit, from, to, platform, author, lang, query, q, authors));
    }

    /** A hashtag or link, the mentions that use it, and (when asked) how many distinct authors wrote them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Top(String value, long mentions, Long authors) {
    }

    private List<Top> computeTop(String what, String limit, String from, String to, String platform,
            String author, String lang, String query, String q, String authors) throws SQLException {
        if (!what.equals("hashtags") && !what.equals("links")) {
            throw new WebApplicationException(ProblemMappers.notFound("No top " + what + ": hashtags or links"));
        }
        int size = Params.limit(limit, 20, 200);
        boolean countAuthors = switch (authors == null || authors.isBlank() ? "false" : authors) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadParameterException("authors must be true or false, not " + authors);
        };
        MentionFilter filter = MentionFilter.of(platform, from, to, author, null, lang, query, q);
        if (filter.author() == null && filter.q() == null && !countAuthors) {
            return values.top(what, filter.from(), filter.to(), filter.platform(), filter.lang(), filter.query(),
                    size).stream().map(c -> new Top(c.value(), c.mentions(), null)).toList();
        }
        StringBuilder sql = new StringBuilder("select v, count(*), count(distinct m.author_id) from mention m, "
                + "unnest(m." + what + ") as v where not m.deleted");
        Map<String, Object> params = MentionFilter.params();
        filter.where(sql, params);
        sql.append(" group by v order by count(*) desc, v limit ").append(size);
        var positional = MentionFilter.positional(sql.toString(), params);
        List<Top> top = new ArrayList<>();
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement(positional.getKey())) {
            bind(ps, positional.getValue());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    top.add(new Top(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return top;
    }

    @GET
    @Path("export/mentions")
    @Produces({ "application/x-ndjson", "text/csv" })
    @Operation(summary = "Mentions matching the filters, streamed as NDJSON or CSV, newest first",
            description = "Rows are read from the database with a cursor and written as they come, so the size of "
                    + "an export does not depend on memory; at most `max` rows (default and limit 10,000,000).")
    public Response export(@Parameter(description = "ndjson (default) or csv") @QueryParam("format") String format,
            @QueryParam("max") String max, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("platform") String platform, @QueryParam("author") String author,
            @QueryParam("hashtag") String hashtag, @QueryParam("lang") String lang, @QueryParam("query") String query,
            @QueryParam("q") String q) {
        String f = format == null || format.isBlank() ? "ndjson" : format;
        if (!f.equals("ndjson") && !f.equals("csv")) {
            throw new BadParameterException("format must be ndjson or csv, not " + format);
        }
        int rows = Params.bounded("max", max, MAX_EXPORT, 1, MAX_EXPORT);
        MentionFilter filter = MentionFilter.of(platform, from, to, author, hashtag, lang, query, q);
        StringBuilder sql = new StringBuilder("select m.id, m.conversation_id, m.platform, m.kind, m.created_at, "
                + "m.author_id, m.author_handle, m.author_display_name, m.text, m.lang, m.url, m.reply_to_id, "
                + "m.quote_of, m.repost_of, m.hashtags, m.links, m.query, m.deleted, m.edited from mention m where true");
        Map<String, Object> params = MentionFilter.params();
        filter.where(sql, params);
        sql.append(" order by m.created_at desc, m.id desc limit ").append(rows);
        var positional = MentionFilter.positional(sql.toString(), params);
        boolean csv = f.equals("csv");
        StreamingOutput body = out -> {
            try {
                lanes.within(ReadLanes.Lane.EXPORT, () -> {
                    writeExport(out, positional.getKey(), positional.getValue(), csv);
                    return null;
                });
            } catch (java.io.IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.io.IOException("Export failed", e);
            }
        };
        return Response.ok(body, csv ? "text/csv; charset=UTF-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"palabre-mentions." + (csv ? "csv" : "ndjson")
                        + "\"")
                .build();
    }

    private void writeExport(java.io.OutputStream out, String sql, List<Object> params, boolean csv)
            throws SQLException, java.io.IOException {
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement(sql)) {
            ps.setFetchSize(1000);
            bind(ps, params);
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 65536);
            if (csv) {
                w.write("id,conversation_id,platform,kind,created_at,author_id,author_handle,lang,url,"
                        + "reply_to_id,hashtags,text\r\n");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (csv) {
                        writeCsv(w, rs);
                    } else {
                        w.write(mapper.writeValueAsString(json(rs)));
                        w.write('\n');
                    }
                }
            }
            w.flush();
        }
    }

    private ObjectNode json(ResultSet rs) throws SQLException {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", rs.getString(1));
        n.put("conversationId", rs.getString(2));
        n.put("platform", rs.getString(3));
        n.put("kind", rs.getString(4));
        n.put("createdAt", rs.getTimestamp(5).toInstant().toString());
        ObjectNode a = n.putObject("author");
        a.put("id", rs.getString(6));
        a.put("handle", rs.getString(7));
        a.put("displayName", rs.getString(8));
        n.put("text", rs.getString(9));
        n.put("lang", rs.getString(10));
        n.put("url", rs.getString(11));
        n.put("replyToId", rs.getString(12));
        n.put("quoteOf", rs.getString(13));
        n.put("repostOf", rs.getString(14));
        var tags = n.putArray("hashtags");
        for (String t : (String[]) rs.getArray(15).getArray()) {
            tags.add(t);
        }
        var links = n.putArray("links");
        for (String l : (String[]) rs.getArray(16).getArray()) {
            links.add(l);
        }
        n.put("query", rs.getString(17));
        n.put("deleted", rs.getBoolean(18));
        n.put("edited", rs.getBoolean(19));
        return n;
    }

    private static void writeCsv(Writer w, ResultSet rs) throws SQLException, java.io.IOException {
        String[] values = { rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant().toString(), rs.getString(6), rs.getString(7), rs.getString(10),
                rs.getString(11), rs.getString(12), String.join(" ", (String[]) rs.getArray(15).getArray()),
                rs.getString(9) };
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(values[i] == null ? "" : GraphFormats.csvField(values[i]));
        }
        w.write("\r\n");
    }

    private static void bind(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(i + 1, values.get(i));
        }
    }
}
