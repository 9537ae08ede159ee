package io.palabre.support;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses with a 400 problem ({@code application/problem+json}) any request whose path or query parameters cannot be
 * taken as text: malformed percent-encoding, NUL or another control character, a lone surrogate. No parameter
 * carries them further, into a query, a database or a log. Every service that depends on this module gets it.
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
        if (detail == null) {
            return Optional.empty();
        }
        return Optional.of(Problems.response(400, "Bad Request", detail));
    }

    private static String firstProblem(String where, Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            for (String value : p.getValue()) {
                int bad = UntrustedText.unusable(p.getKey()) >= 0 ? UntrustedText.unusable(p.getKey())
                        : UntrustedText.unusable(value);
                if (bad >= 0) {
                    return "The " + where + " parameter '" + UntrustedText.clean(p.getKey(), false, 64) + "' holds a "
                            + "control character or a lone surrogate (at character " + bad + "); it cannot be used";
                }
            }
        }
        return null;
    }
}
