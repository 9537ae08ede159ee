package io.palabre.dashboard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReportScheduleTest {

    @Test
    void theWeekDueIsTheLastCompleteOneWhenItEndedAfterTheSubscription() {
        Instant tuesday = Instant.parse("2026-10-06T08:00:00Z"); // 2026-W41
        assertEquals(Optional.of(LocalDate.parse("2026-09-28")),
                ReportSubscriptions.dueWeek(Instant.parse("2026-09-30T12:00:00Z"), tuesday));
        assertEquals(Optional.empty(), ReportSubscriptions.dueWeek(Instant.parse("2026-10-05T00:00:01Z"), tuesday),
                "made after the week ended: its first report is the next one");
        assertEquals("2026-W40", WeeklyReports.weekName(LocalDate.parse("2026-09-28")));
        assertEquals(LocalDate.parse("2020-12-28"), WeeklyReports.weekStart("2020-W53", tuesday));
        assertEquals("2020-W53", WeeklyReports.weekName(LocalDate.parse("2020-12-28")));
    }

    @Test
    void weeksThatDoNotExistOrHaveNotStartedAreRefused() {
        Instant now = Instant.parse("2026-10-06T08:00:00Z");
        assertEquals(LocalDate.parse("2026-10-05"), WeeklyReports.weekStart("2026-W41", now));
        assertEquals(LocalDate.parse("2026-01-05"), WeeklyReports.weekStart("2026-W02", now));
        assertThrows(WeeklyReports.BadWeekException.class, () -> WeeklyReports.weekStart("2026-W42", now));
        assertThrows(WeeklyReports.BadWeekException.class, () -> WeeklyReports.weekStart("2025-W53", now));
        assertThrows(WeeklyReports.BadWeekException.class, () -> WeeklyReports.weekStart("2026-W00", now));
        assertThrows(WeeklyReports.BadWeekException.class, () -> WeeklyReports.weekStart("week 40", now));
    }
}
