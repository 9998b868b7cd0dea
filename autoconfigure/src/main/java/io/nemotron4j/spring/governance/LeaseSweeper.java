package io.nemotron4j.spring.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link GovernanceService#sweepExpiredLeases()} and {@link GovernanceSchema#ensureAuditPartitions} at a fixed
 * interval on one daemon thread while the application runs. Every replica runs one; they do not collide (see the
 * sweep's tenant lock). A failed round is logged and the next round tries again: enforcement never depends
 * on this job, it only frees capacity held by dead processes.
 *
 * @since 0.1.0
 */
public class LeaseSweeper implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(LeaseSweeper.class);

    private final GovernanceService service;

    private final GovernanceSchema schema;

    private final Duration interval;

    private @Nullable ScheduledExecutorService executor;

    /**
     * Creates the sweeper.
     * @param service the service whose expired leases are swept
     * @param schema the schema whose audit partitions are kept ready
     * @param interval time between rounds
     */
    public LeaseSweeper(GovernanceService service, GovernanceSchema schema, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("sweep interval must be positive, was " + interval);
        }
        this.service = service;
        this.schema = schema;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (this.executor != null) {
            return;
        }
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("nemotron4j-lease-sweeper").factory());
        ex.scheduleWithFixedDelay(this::round, this.interval.toMillis(), this.interval.toMillis(),
                TimeUnit.MILLISECONDS);
        this.executor = ex;
    }

    /** One round; public so that tests and operators can trigger it. */
    public void round() {
        try {
            this.service.sweepExpiredLeases();
            this.schema.ensureAuditPartitions(Instant.now());
        }
        catch (RuntimeException ex) {
            logger.warn("Lease sweep failed; retrying in " + this.interval, ex);
        }
    }

    @Override
    public synchronized void stop() {
        if (this.executor != null) {
            this.executor.shutdownNow();
            this.executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return this.executor != null;
    }

}
