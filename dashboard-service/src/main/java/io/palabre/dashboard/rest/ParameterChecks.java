package io.palabre.dashboard.rest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses with a 400 problem any request whose path or query parameters cannot be taken as text: malformed
 * percent-encoding, NUL or another control character, a lone surrogate. No parameter carries them further, into a
 * query, a database or a log.
 */
public class ParameterChecks {

    @ServerRequestFilter
    public Optional<Response> refuseUnusableText(UriInfo uri) {
        String detail;
        try {
            detail = firstProblem("path", uri.getPathParameters(true));
            if (detail == null) {
                detail = firstProblem("query", uri.getQueryParameters(true));
            }
        } catch (IllegalArgumentException e) {
            detail = "The request's URL is not well percent-encoded: " + e.getMessage();
        }
        return detail == null ? Optional.empty() : Optional.of(ProblemMappers.respond(Problem.of(400, "Bad Request", detail)));
    }

    private static String firstProblem(String where, Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            for (String value : p.getValue()) {
                int bad = unusable(p.getKey()) >= 0 ? unusable(p.getKey()) : unusable(value);
                if (bad >= 0) {
                    return "The " + where + " parameter '" + printable(p.getKey()) + "' holds a control character or "
                            + "a lone surrogate (at character " + bad + "); it cannot be used";
                }
            }
        }
        return null;
    }

    /** Where the text holds a control character or a lone surrogate, or -1. */
    static int unusable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isISOControl(ch) || Character.isSurrogate(ch)) {
                return i;
            }
        }
        return -1;
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(64).forEach(cp -> out.append(Character.isISOControl(cp) || Character.isSurrogate((char) cp)
                ? "?" : Character.toString(cp)));
        return out.toString();
    }
}
