package io.nemotron4j.spring.governance;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** What the redactor masks, and what it must leave alone. */
class RedactorTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            write to jane.doe+ai@example.co.uk today      | write to [EMAIL] today
            JANE@EXAMPLE.COM.                              | [EMAIL].
            call +49 30 1234567 now                        | call [PHONE] now
            call (555) 123-4567.                           | call [PHONE].
            call 555.123.4567 or 0049 89 123456            | call [PHONE] or [PHONE]
            card 4111 1111 1111 1111 expires               | card [NUMBER] expires
            card 4111-1111-1111-1111                       | card [NUMBER]
            iban digits 12345678901234567890123            | iban digits [NUMBER]
            key n4j_0123456789ab_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG ok | key [API_KEY] ok
            openai sk-proj-abcdefghijklmnop1234 and AKIAABCDEFGHIJKLMNOP | openai [API_KEY] and [API_KEY]
            gh ghp_abcdefghijklmnopqrstuvwxyz0123 slack xoxb-1234567890-abc | gh [API_KEY] slack [API_KEY]
            Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig_nature | Authorization: Bearer [API_KEY]
            from 192.168.1.20, to 10.0.0.1.                | from [IP], to [IP].
            v6 2001:db8:85a3::8a2e:370:7334 and ::1 and fe80::1%eth0 | v6 [IP] and [IP] and [IP]%eth0
            full 2001:0db8:0000:0000:0000:ff00:0042:8329 end | full [IP] end
            """)
    void masks(String text, String redacted) {
        assertThat(Redactor.redact(text)).isEqualTo(redacted);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            meet at 10:30:45 on 2026-11-23
            deadline 2026-11-23 10:30 sharp
            version 1.2.3 and 3.14159
            uuid 123e4567-e89b-12d3-a456-426614174000
            order 12345678 of 99 items
            std::vector<int> and a :: b
            mac de:ad:be:ef:00:01
            the n4j_ prefix alone, sk-short
            price 1,299.00 EUR
            """)
    void leavesAlone(String text) {
        assertThat(Redactor.redact(text)).isEqualTo(text);
    }

    @Test
    void ipv6CandidatesAreCheckedGroupByGroup() {
        assertThat(Redactor.isIpv6("1:2:3:4:5:6:7:8")).isTrue();
        assertThat(Redactor.isIpv6("::1")).isTrue();
        assertThat(Redactor.isIpv6("fe80::")).isTrue();
        assertThat(Redactor.isIpv6("1:2:3")).isFalse();
        assertThat(Redactor.isIpv6("::")).isFalse();
        assertThat(Redactor.isIpv6("1::2::3")).isFalse();
        assertThat(Redactor.isIpv6("12345::1")).isFalse();
        assertThat(Redactor.isIpv6("1:2:3:4:5:6:7:8:9")).isFalse();
    }

    @Test
    void longRunsWithoutAMatchTakeLinearTime() {
        // Each pattern is tried once per run, not from every position of it: 200,000 characters would take
        // minutes if a pattern rescanned the run from every position.
        String text = "x".repeat(200_000) + " " + "1".repeat(5) + "a".repeat(200_000) + ":" + "f".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(Redactor.redact(text)).isEqualTo(text));
    }

    @Test
    void aMessageWithEverythingKeepsItsWordsAndLosesItsData() {
        String text = "Hi, I'm Jo (jo@corp.io, +1 415 555 0100). My key n4j_abcdef012345_"
                + "x".repeat(43) + " fails from 203.0.113.9; card 5500 0000 0000 0004.";
        assertThat(Redactor.redact(text)).isEqualTo(
                "Hi, I'm Jo ([EMAIL], [PHONE]). My key [API_KEY] fails from [IP]; card [NUMBER].");
    }

}
