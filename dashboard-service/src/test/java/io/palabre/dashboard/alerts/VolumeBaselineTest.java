package io.palabre.dashboard.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class VolumeBaselineTest {

    @Test
    void theLimitIsTheMedianPlusKMadsAndOneOutlierDoesNotMoveIt() {
        // median 10; deviations 0 1 1 2 2 90 3 -> sorted 0 1 1 2 2 3 90, MAD 2
        VolumeBaseline b = VolumeBaseline.of(List.of(10L, 9L, 11L, 8L, 12L, 100L, 13L), 3);
        assertEquals(11.0, b.median());
        assertEquals(2.0, b.mad());
        assertEquals(17.0, b.limit());
    }

    @Test
    void aFlatWeekStillNeedsMoreThanOneAboveItsMedian() {
        VolumeBaseline b = VolumeBaseline.of(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L), 3);
        assertEquals(0.0, b.mad());
        assertEquals(3.0, b.limit());
    }
}
