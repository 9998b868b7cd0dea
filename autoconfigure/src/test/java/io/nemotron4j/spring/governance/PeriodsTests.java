package io.nemotron4j.spring.governance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeriodsTests {

    @Test
    void periodsFollowTheTenantsZoneNotUtc() {
        // 23:30 UTC on Sunday 2026-03-01 is already Monday 2026-03-02 in Tokyo, still Sunday in New York.
        Instant now = Instant.parse("2026-03-01T23:30:00Z");
        Periods tokyo = Periods.at(now, ZoneId.of("Asia/Tokyo"));
        assertThat(tokyo.day()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(tokyo.weekStart()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(tokyo.monthStart()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(tokyo.dayEnds()).isEqualTo(Instant.parse("2026-03-02T15:00:00Z"));
        assertThat(tokyo.weekEnds()).isEqualTo(Instant.parse("2026-03-08T15:00:00Z"));
        assertThat(tokyo.monthEnds()).isEqualTo(Instant.parse("2026-03-31T15:00:00Z"));

        Periods newYork = Periods.at(now, ZoneId.of("America/New_York"));
        assertThat(newYork.day()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(newYork.weekStart()).isEqualTo(LocalDate.of(2026, 2, 23));
        assertThat(newYork.monthStart()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(newYork.earliestStart()).isEqualTo(LocalDate.of(2026, 2, 23));
        // The month ends at local midnight, which is 04:00 UTC after the DST switch of 2026-03-08.
        assertThat(newYork.monthEnds()).isEqualTo(Instant.parse("2026-04-01T04:00:00Z"));
    }

    @Test
    void aNewPeriodStartsExactlyAtTheBoundaryWithoutAnyReset() {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        Periods before = Periods.at(Instant.parse("2026-05-31T21:59:59Z"), zone);
        Periods after = Periods.at(Instant.parse("2026-05-31T22:00:00Z"), zone);
        assertThat(before.monthStart()).isEqualTo(LocalDate.of(2026, 5, 1));
        assertThat(before.monthEnds()).isEqualTo(Instant.parse("2026-05-31T22:00:00Z"));
        assertThat(after.monthStart()).isEqualTo(LocalDate.of(2026, 6, 1));
        assertThat(after.day()).isEqualTo(LocalDate.of(2026, 6, 1));
    }

}
