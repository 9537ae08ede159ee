package io.palabre.support;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/**
 * RFC 9457 problem details made outside a service's own resources (filters, security): the same fields, the same
 * media type as the services' own problems.
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    /** The problem's fields, in order. */
    public static Map<String, Object> body(int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    /** The answer carrying the problem. */
    public static Response response(int status, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(body(status, title, detail)).build();
    }
}
