package io.palabre.ingest.connector.mastodon;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.MentionBuilder.UnmappableException;
import io.palabre.ingest.connector.Text;

/**
 * Maps Mastodon API payloads (a status, a list of statuses, a {@code /context}, a streaming event) to canonical
 * mentions.
 *
 * <p>Posts are keyed by their ActivityPub {@code uri}, the same on every instance; accounts by {@code user@domain},
 * so that a remote account stays distinct and is the same whichever instance reports it. A status's
 * {@code in_reply_to_id} is local to the instance that served it: it is resolved from the same payload when the
 * parent is there, rebuilt when the parent's author is local to that instance, and otherwise kept as an
 * instance-scoped reference ({@code mastodon:local:<instance>:<id>}) for thread completion to resolve.
 */
@ApplicationScoped
public class MastodonMapper {

    private final ObjectMapper mapper;

    public MastodonMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Maps one payload. {@code instance} is the host that served it (for local ids), or null to take the host of
     * the statuses' own URLs.
     */
    public Mapping map(JsonNode payload, String instance, Source source) {
        Mapping mapping = new Mapping();
        List<JsonNode> statuses = new ArrayList<>();
        String event = null;
        if (payload.isArray()) {
            payload.forEach(statuses::add);
        } else if (payload.has("ancestors") || payload.has("descendants")) {
            payload.path("ancestors").forEach(statuses::add);
            payload.path("descendants").forEach(statuses::add);
        } else if (payload.has("event") && payload.has("payload")) {
            event = payload.get("event").asText();
            JsonNode inner = payload.get("payload");
            if (event.equals("delete")) {
                mapping.problem("delete of status " + inner.asText() + ": a streaming delete carries only the "
                        + "instance-local id, and this status was not seen before", payload.toString());
                return mapping;
            }
            if (!event.equals("update") && !event.equals("status.update")) {
                mapping.skip("streaming event " + event + " is not a status");
                return mapping;
            }
            try {
                statuses.add(inner.isTextual() ? mapper.readTree(inner.asText()) : inner);
            } catch (JsonProcessingException e) {
                mapping.problem("streaming payload is not JSON: " + e.getOriginalMessage(), payload.toString());
                return mapping;
            }
        } else if (payload.has("state") && payload.has("quoted_status")) {
            JsonNode quoted = payload.get("quoted_status");
            if (quoted != null && quoted.isObject()) {
                statuses.add(quoted);
            } else {
                mapping.skip("quote in state " + payload.get("state").asText() + " carries no status");
            }
        } else {
            statuses.add(payload);
        }
        mapStatuses(statuses, instance, "status.update".equals(event), source, mapping);
        return mapping;
    }

    /** Maps statuses of one server-sent event stream ({@code event:} / {@code data:} blocks). */
    public Mapping mapEventStream(String text, String instance, Source source) {
        Mapping all = new Mapping();
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line : (text + "\n\n").split("\r?\n", -1)) {
            if (line.startsWith(":")) {
                continue; // heartbeat
            }
            if (line.isEmpty()) {
                if (event != null && data.length() > 0) {
                    JsonNode envelope = mapper.createObjectNode().put("event", event).put("payload", data.toString());
                    Mapping one = map(envelope, instance, source);
                    one.mentions().forEach(all::add);
                    one.problems().forEach(p -> all.problem(p.reason(), p.item()));
                    one.skipped().forEach((reason, n) -> {
                        for (int i = 0; i < n; i++) {
                            all.skip(reason);
                        }
                    });
                }
                event = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(5).trim());
            }
        }
        return all;
    }

    private void mapStatuses(List<JsonNode> statuses, String instance, boolean edits, Source source,
            Mapping mapping) {
        // What the payload itself says about local ids: statuses and accounts it contains.
        Map<String, String> statusUris = new HashMap<>();
        Map<String, Account> accounts = new HashMap<>();
        for (JsonNode s : statuses) {
            collect(s, statusUris, accounts);
            if (s.hasNonNull("reblog")) {
                collect(s.get("reblog"), statusUris, accounts);
            }
        }
        for (JsonNode s : statuses) {
            try {
                JsonNode reblog = s.get("reblog");
                if (reblog != null && reblog.isObject()) {
                    mapping.add(status(reblog, instance, false, statusUris, accounts, source));
                    Account booster = Account.of(s.get("account"));
                    mapping.add(new MentionBuilder("mastodon", source)
                            .id(Text.string(s, "uri"))
                            .createdAt(Text.instant(Text.string(s, "created_at")))
                            .author(booster.id(), booster.handle(), booster.displayName(), booster.bot())
                            .repostOf(Text.string(reblog, "uri"))
                            .build());
                } else {
                    mapping.add(status(s, instance, edits, statusUris, accounts, source));
                }
            } catch (UnmappableException | RuntimeException e) {
                mapping.problem("mastodon status: " + e.getMessage(), String.valueOf(s));
            }
        }
    }

    /**
     * Remembers what a status says about local ids. A status or account that cannot be read is left out here; the
     * status itself is then rejected, with the reason, when it is mapped.
     */
    private static void collect(JsonNode s, Map<String, String> statusUris, Map<String, Account> accounts) {
        if (s.hasNonNull("id") && s.hasNonNull("uri")) {
            statusUris.put(s.get("id").asText(), s.get("uri").asText());
        }
        if (s.hasNonNull("account")) {
            try {
                accounts.put(s.get("account").path("id").asText(), Account.of(s.get("account")));
            } catch (IllegalArgumentException unreadable) {
                // reported when the status is mapped
            }
        }
        for (JsonNode m : s.path("mentions")) {
            try {
                accounts.putIfAbsent(m.path("id").asText(), Account.ofMention(m));
            } catch (IllegalArgumentException unreadable) {
                // a mention that names no account adds nothing
            }
        }
    }

    private io.palabre.ingest.domain.MentionCaptured status(JsonNode s, String instance, boolean edit,
            Map<String, String> statusUris, Map<String, Account> accounts, Source source) throws UnmappableException {
        String uri = Text.string(s, "uri");
        if (uri == null) {
            throw new UnmappableException("no uri (the global id of a status)");
        }
        Account author = Account.of(s.get("account"));
        String html = Text.string(s, "content");
        String spoiler = Text.nonBlank(Text.string(s, "spoiler_text"));
        String text = Text.fromHtml(html);
        MentionBuilder b = new MentionBuilder("mastodon", source)
                .id(uri)
                .kind(edit ? "edit" : "post")
                .url(Text.string(s, "url"))
                .createdAt(Text.instant(Text.string(s, "created_at")))
                .author(author.id(), author.handle(), author.displayName(), author.bot())
                .text(spoiler == null ? text : spoiler + "\n\n" + text)
                .lang(Text.string(s, "language"));
        String parentLocal = Text.string(s, "in_reply_to_id");
        if (parentLocal != null) {
            String parentAccountLocal = Text.string(s, "in_reply_to_account_id");
            Account parentAuthor = parentAccountLocal == null ? null : accounts.get(parentAccountLocal);
            String servedBy = instance != null ? instance : host(Text.string(s, "url"));
            String parentUri = statusUris.get(parentLocal);
            if (parentUri == null && parentAuthor != null && parentAuthor.domain().equals(servedBy)) {
                // A local parent's URI is built from its author and its (then global) id.
                parentUri = "https://" + parentAuthor.domain() + "/users/" + parentAuthor.username() + "/statuses/"
                        + parentLocal;
            }
            b.replyTo(parentUri != null ? parentUri : "local:" + (servedBy == null ? "unknown" : servedBy) + ":"
                    + parentLocal, parentAuthor == null ? null : parentAuthor.id());
        }
        for (JsonNode m : s.path("mentions")) {
            Account a = Account.ofMention(m);
            b.mention(a.id(), a.handle());
        }
        for (JsonNode t : s.path("tags")) {
            b.hashtag(Text.string(t, "name"));
        }
        Text.linksInHtml(html).forEach(b::link);
        JsonNode quote = s.get("quote");
        if (quote != null && quote.isObject()) {
            JsonNode quoted = quote.get("quoted_status");
            if (quoted != null && quoted.hasNonNull("uri")) {
                b.quoteOf(quoted.get("uri").asText());
            } else if (quote.hasNonNull("quoted_status_id") && statusUris.containsKey(quote.get("quoted_status_id").asText())) {
                b.quoteOf(statusUris.get(quote.get("quoted_status_id").asText()));
            }
        }
        return b.build();
    }

    private static String host(String url) {
        try {
            return url == null ? null : URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An account as {@code user@domain}, whichever instance reported it. */
    public record Account(String username, String domain, String displayName, boolean bot) {

        public static Account of(JsonNode account) {
            if (account == null || account.isNull()) {
                throw new IllegalArgumentException("no account");
            }
            return from(Text.string(account, "acct"), Text.string(account, "username"), Text.string(account, "url"),
                    Text.string(account, "display_name"), account.path("bot").asBoolean(false));
        }

        static Account ofMention(JsonNode mention) {
            return from(Text.string(mention, "acct"), Text.string(mention, "username"), Text.string(mention, "url"),
                    null, false);
        }

        private static Account from(String acct, String username, String url, String displayName, boolean bot) {
            String user = username;
            String domain = host(url);
            if (acct != null && acct.contains("@")) {
                user = acct.substring(0, acct.indexOf('@'));
                domain = acct.substring(acct.indexOf('@') + 1);
            } else if (acct != null) {
                user = acct;
            }
            if (user == null || domain == null) {
                throw new IllegalArgumentException("account without username or domain");
            }
            return new Account(user, domain.toLowerCase(Locale.ROOT), displayName, bot);
        }

        String handle() {
            return username + "@" + domain;
        }

        public String id() {
            return handle();
        }
    }
}
