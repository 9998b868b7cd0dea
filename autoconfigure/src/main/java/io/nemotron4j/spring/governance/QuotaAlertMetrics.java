package io.nemotron4j.spring.governance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts alerts in Micrometer as {@value #METER}, tagged with {@code limit} (one of six period limits) and
 * {@code threshold} (one of the configured percentages). Deliberately not tagged with the tenant: tenants are
 * created at run time without bound, and a tag per tenant would grow the registry (and every scrape) with them.
 * The tenant is in the warning logged for each alert, in the {@link QuotaAlertEvent} and in the webhook.
 *
 * @since 0.1.0
 */
public class QuotaAlertMetrics implements QuotaAlertListener {

    /** The counter's name. */
    public static final String METER = "nemotron.governance.alerts";

    private final MeterRegistry registry;

    /**
     * Creates the listener.
     * @param registry where the counter lives
     */
    public QuotaAlertMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onAlert(QuotaAlert alert) {
        Counter.builder(METER)
            .description("Soft-limit alerts raised, by limit and threshold")
            .tag("limit", alert.limit().name())
            .tag("threshold", Integer.toString(alert.thresholdPercent()))
            .register(this.registry)
            .increment();
    }

}
