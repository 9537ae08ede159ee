package io.palabre.dashboard.alerts;

import java.util.ArrayList;
import java.util.List;

/**
 * A robust baseline of hourly counts: the median, the median absolute deviation, and the limit above which a count is
 * a spike, median + k × MAD. A MAD of zero (a flat week) would make any excess a spike, so the deviation used is at
 * least 1.
 */
public record VolumeBaseline(double median, double mad, double limit) {

    public static VolumeBaseline of(List<Long> counts, double k) {
        List<Double> values = new ArrayList<>();
        counts.forEach(n -> values.add(n.doubleValue()));
        double median = median(values);
        List<Double> deviations = new ArrayList<>();
        values.forEach(v -> deviations.add(Math.abs(v - median)));
        double mad = median(deviations);
        return new VolumeBaseline(median, mad, median + k * Math.max(mad, 1.0));
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
