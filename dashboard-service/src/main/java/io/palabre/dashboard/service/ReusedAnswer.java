package io.palabre.dashboard.service;

import jakarta.enterprise.context.RequestScoped;

/** Whether this request's answer came through {@link RecentResults}, so that clients may reuse it as long. */
@RequestScoped
public class ReusedAnswer {

    private boolean reusable;

    void mark() {
        reusable = true;
    }

    public boolean reusable() {
        return reusable;
    }
}
