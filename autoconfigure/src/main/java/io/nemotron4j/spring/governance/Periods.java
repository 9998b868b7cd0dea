package io.nemotron4j.spring.governance;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * The tenant-local day, ISO week and calendar month that contain an instant, and when each ends. Computed from the
 * clock every time, which is why no job has to reset a budget (and none can fail to).
 *
 * @param day the local day
 * @param weekStart the Monday that starts the week
 * @param monthStart the first day of the month
 * @param dayEnds when the next day starts
 * @param weekEnds when the next week starts
 * @param monthEnds when the next month starts
 * @since 0.1.0
 */
public record Periods(LocalDate day, LocalDate weekStart, LocalDate monthStart, Instant dayEnds, Instant weekEnds,
        Instant monthEnds) {

    /**
     * The periods that contain an instant in a zone.
     * @param now the instant
     * @param zone the tenant's zone
     * @return the periods
     */
    public static Periods at(Instant now, ZoneId zone) {
        return of(LocalDate.ofInstant(now, zone), zone);
    }

    /**
     * The periods that contain a tenant-local day.
     * @param day the day
     * @param zone the tenant's zone
     * @return the periods
     */
    public static Periods of(LocalDate day, ZoneId zone) {
        LocalDate weekStart = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate monthStart = day.withDayOfMonth(1);
        // atStartOfDay(zone) handles days that do not start at midnight (DST gaps).
        return new Periods(day, weekStart, monthStart, day.plusDays(1).atStartOfDay(zone).toInstant(),
                weekStart.plusWeeks(1).atStartOfDay(zone).toInstant(),
                monthStart.plusMonths(1).atStartOfDay(zone).toInstant());
    }

    /** @return the earliest day any of the periods starts on */
    public LocalDate earliestStart() {
        return this.weekStart.isBefore(this.monthStart) ? this.weekStart : this.monthStart;
    }

}
