package io.palabre.dashboard.alerts;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.palabre.support.UntrustedText;

/**
 * A rule as the API receives it. Unset numbers take the type's default; {@link #toRule} checks everything and says
 * what is wrong, all of it at once.
 */
public record RuleRequest(String name, String type, String accountId, String query, String hashtag, Double threshold,
        Integer windowMinutes, Integer minCount, Integer cooldownMinutes, String webhookUrl, String webhookFormat,
        String webhookSecret, List<String> emails, Boolean enabled) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A request that cannot be used, with every reason. */
    public static final class InvalidRuleException extends RuntimeException {

        private final List<String> errors;

        InvalidRuleException(List<String> errors) {
            super(String.join("; ", errors), null, false, false);
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    /**
     * The rule this request makes. {@code previous} is the rule it replaces, or null: its webhook secret is kept
     * unless the request gives one; a webhook without a secret gets a new random one.
     */
    public AlertRule toRule(long id, AlertRule previous, String caller, Instant now) {
        List<String> errors = new ArrayList<>();
        String cleanName = name == null ? "" : UntrustedText.clean(name, false, 200).strip();
        if (cleanName.isEmpty()) {
            errors.add("name is required");
        }
        RuleType kind = type == null ? null : RuleType.of(type).orElse(null);
        if (kind == null) {
            errors.add("type must be one of unanswered, response-rate, volume-spike, conversation-growth, "
                    + "pagerank-top");
            throw new InvalidRuleException(errors);
        }
        String account = blankToNull(accountId);
        if (kind.needsAccount() && account == null) {
            errors.add("accountId is required: the organisation account the rule watches");
        }
        if (!kind.needsAccount() && account != null) {
            errors.add("accountId does not apply to " + kind.id() + " (use query or hashtag)");
        }
        if (account != null && UntrustedText.unusable(account) >= 0) {
            errors.add("accountId holds a control character");
        }
        String tag = hashtag(blankToNull(hashtag));
        String listening = blankToNull(query) == null ? null : UntrustedText.clean(query, false, 200).strip();
        if (kind != RuleType.VOLUME_SPIKE && (tag != null || listening != null)) {
            errors.add("query and hashtag apply to volume-spike only");
        }
        double t = number(errors, "threshold", threshold, defaultThreshold(kind), kind);
        int window = whole(errors, "windowMinutes", windowMinutes, defaultWindow(kind), minWindow(kind), 43_200);
        int min = whole(errors, "minCount", minCount, defaultMinCount(kind), 0, 1_000_000_000);
        int cooldown = whole(errors, "cooldownMinutes", cooldownMinutes, 60, 0, 10_080);

        String url = blankToNull(webhookUrl);
        if (url != null && (!UntrustedText.isWebUrl(url) || url.length() > 2000)) {
            errors.add("webhookUrl must be an http or https address");
        }
        String format = blankToNull(webhookFormat) == null ? "generic" : webhookFormat.strip().toLowerCase(Locale.ROOT);
        if (format.equals("mattermost")) {
            format = "slack"; // the same payload
        }
        if (!format.equals("generic") && !format.equals("slack")) {
            errors.add("webhookFormat must be generic, slack or mattermost");
        }
        String secret = blankToNull(webhookSecret);
        if (secret != null && (secret.length() < 16 || secret.length() > 200 || UntrustedText.unusable(secret) >= 0)) {
            errors.add("webhookSecret must be 16 to 200 printable characters");
        }
        if (secret == null && previous != null && url != null) {
            secret = previous.webhookSecret();
        }
        if (secret == null && url != null) {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        List<String> addresses = EmailAddresses.checked(emails, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRuleException(errors);
        }
        return new AlertRule(id, cleanName, kind, account, listening, tag, t, window, min, cooldown, url,
                url == null ? null : format, url == null ? null : secret, List.copyOf(addresses),
                enabled == null || enabled, previous == null ? caller : previous.createdBy(),
                previous == null ? now : previous.createdAt(), now, null);
    }

    private static double number(List<String> errors, String field, Double value, double fallback, RuleType kind) {
        double v = value == null ? fallback : value;
        boolean ok = switch (kind) {
            case UNANSWERED -> v >= 1 && v <= 43_200 && v == Math.rint(v);
            case RESPONSE_RATE -> v > 0 && v <= 1;
            case VOLUME_SPIKE -> v > 0 && v <= 100;
            case CONVERSATION_GROWTH -> v >= 1 && v <= 1_000_000 && v == Math.rint(v);
            case PAGERANK_TOP -> v >= 1 && v <= 100 && v == Math.rint(v);
        };
        if (value != null && (value.isNaN() || value.isInfinite()) || !ok) {
            errors.add(field + " for " + kind.id() + " must be " + switch (kind) {
                case UNANSWERED -> "whole minutes from 1 to 43200 (how long a mention may wait)";
                case RESPONSE_RATE -> "a rate above 0 and at most 1";
                case VOLUME_SPIKE -> "k, above 0 and at most 100 (median + k × MAD)";
                case CONVERSATION_GROWTH -> "a whole number of replies an hour, at least 1";
                case PAGERANK_TOP -> "a whole rank from 1 to 100";
            });
        }
        return v;
    }

    private static int whole(List<String> errors, String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            errors.add(field + " must be from " + min + " to " + max);
        }
        return v;
    }

    private static double defaultThreshold(RuleType kind) {
        return switch (kind) {
            case UNANSWERED -> 60;
            case RESPONSE_RATE -> 0.5;
            case VOLUME_SPIKE -> 3;
            case CONVERSATION_GROWTH -> 20;
            case PAGERANK_TOP -> 10;
        };
    }

    private static int defaultWindow(RuleType kind) {
        return switch (kind) {
            case UNANSWERED, CONVERSATION_GROWTH -> 10_080;
            case RESPONSE_RATE -> 1_440;
            case VOLUME_SPIKE -> 60;
            case PAGERANK_TOP -> 0;
        };
    }

    private static int minWindow(RuleType kind) {
        return switch (kind) {
            case VOLUME_SPIKE, PAGERANK_TOP -> 0;
            default -> 60;
        };
    }

    private static int defaultMinCount(RuleType kind) {
        return switch (kind) {
            case RESPONSE_RATE -> 5;
            case VOLUME_SPIKE -> 10;
            default -> 0;
        };
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** The hashtag as stored: NFKC lower case, without its leading signs. */
    static String hashtag(String tag) {
        if (tag == null) {
            return null;
        }
        String t = Normalizer.normalize(UntrustedText.clean(tag, false, 200).strip(), Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT);
        while (t.startsWith("#") || t.startsWith("＃")) {
            t = t.substring(1);
        }
        return t.isEmpty() ? null : t;
    }
}
