package io.palabre.analysis.text;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One spelling for hashtags and links, so that counts add up across platforms: hashtags in NFKC lower case
 * without '#'; links with a lower-case scheme and host, no default port, no fragment, no tracking parameters
 * (utm_*, fbclid, gclid, ...), and no trailing slash on a path.
 */
public final class Normalized {

    private static final Set<String> TRACKING = Set.of("fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "igshid",
            "ref_src", "ref_url", "cmpid", "_hsenc", "_hsmi", "mkt_tok", "yclid", "msclkid");

    private Normalized() {
    }

    public static List<String> hashtags(List<String> tags) {
        return distinct(tags, Normalized::hashtag);
    }

    public static String hashtag(String tag) {
        if (tag == null) {
            return null;
        }
        String t = Normalizer.normalize(tag.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        while (t.startsWith("#") || t.startsWith("＃")) {
            t = t.substring(1);
        }
        return t.isEmpty() ? null : t;
    }

    public static List<String> links(List<String> links) {
        return distinct(links, Normalized::link);
    }

    /** Each value normalised, without nulls and repeats, in first-seen order. */
    private static List<String> distinct(List<String> values, java.util.function.UnaryOperator<String> normal) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String value : values) {
                String n = normal.apply(value);
                if (n != null) {
                    out.add(n);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The link in its normal form; a text that is not an absolute http(s) link is returned trimmed. */
    public static String link(String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        String trimmed = link.strip();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            return trimmed;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getRawAuthority() == null || uri.getHost() == null) {
            return trimmed;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if ("/".equals(path)) {
            path = "";
        }
        StringBuilder out = new StringBuilder(trimmed.length()).append(scheme).append("://");
        if (uri.getRawUserInfo() != null) {
            out.append(uri.getRawUserInfo()).append('@');
        }
        out.append(host);
        if (!defaultPort) {
            out.append(':').append(port);
        }
        out.append(path);
        String query = query(uri.getRawQuery());
        if (!query.isEmpty()) {
            out.append('?').append(query);
        }
        return out.toString();
    }

    private static String query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String name = pair.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (name.startsWith("utm_") || TRACKING.contains(name)) {
                continue;
            }
            if (kept.length() > 0) {
                kept.append('&');
            }
            kept.append(pair);
        }
        return kept.toString();
    }
}
