package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts each alert as JSON to a webhook, off the request path: {@link #onAlert} only starts an asynchronous
 * request and returns. Each attempt has a timeout; failed attempts (no answer, 5xx, 408, 429) are retried with a
 * doubling delay up to a fixed number of attempts, other answers outside 2xx are not. A delivery that fails for
 * good is logged and dropped; it never reaches the request that raised the alert. At most
 * {@value #MAX_PENDING} deliveries are in progress at once; beyond that alerts are dropped (and logged) rather than
 * queued without bound while the endpoint is down.
 *
 * <p>Delivery is at most once per process: an alert whose process stops before the post succeeds is not sent
 * again, though its row stays in {@code n4j_quota_alert}. Receivers that see a retried post twice can drop the
 * second by its {@code alertId}.
 *
 * @since 0.1.0
 */
public class QuotaAlertWebhook implements QuotaAlertListener, AutoCloseable {

    /** The most deliveries (first attempts and retries) in progress at once. */
    public static final int MAX_PENDING = 1000;

    private static final Log logger = LogFactory.getLog(QuotaAlertWebhook.class);

    private final URI url;

    private final Duration timeout;

    private final int maxAttempts;

    private final Duration retryDelay;

    private final HttpClient client;

    private final ScheduledExecutorService retries;

    private final Semaphore pending = new Semaphore(MAX_PENDING);

    /**
     * Creates the webhook.
     * @param url where alerts are posted ({@code http} or {@code https})
     * @param timeout how long one attempt may take, connecting included
     * @param maxAttempts attempts per alert, at least 1
     * @param retryDelay the delay before the second attempt; it doubles for each further one
     */
    public QuotaAlertWebhook(URI url, Duration timeout, int maxAttempts, Duration retryDelay) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("the alert webhook must be an http or https URL, was " + url);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the alert webhook timeout must be positive, was " + timeout);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("the alert webhook attempts must be 1 to 10, was " + maxAttempts);
        }
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("the alert webhook retry delay must be >= 0, was " + retryDelay);
        }
        this.url = url;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.retries = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .name("nemotron4j-alert-webhook")
            .daemon(true)
            .factory());
    }

    @Override
    public void onAlert(QuotaAlert alert) {
        if (!this.pending.tryAcquire()) {
            logger.warn("Quota alert " + alert.id() + " not posted to the webhook: " + MAX_PENDING
                    + " deliveries are still in progress");
            return;
        }
        send(payload(alert), alert, 1);
    }

    /**
     * The JSON posted for an alert.
     * @param alert the alert
     * @return the JSON text
     */
    public static String payload(QuotaAlert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "nemotron4j.quota-alert");
        json.put("alertId", alert.id().toString());
        json.put("tenantId", alert.tenantId().toString());
        json.put("tenantName", alert.tenantName());
        json.put("limit", alert.limit().name());
        json.put("thresholdPercent", alert.thresholdPercent());
        json.put("limitValue", plain(alert.limitValue()));
        json.put("used", plain(alert.used()));
        json.put("periodStart", alert.periodStart().toString());
        json.put("periodEnds", alert.periodEnds().toString());
        json.put("requestId", alert.requestId().toString());
        json.put("raisedAt", alert.raisedAt().toString());
        return JsonMapper.shared().writeValueAsString(json);
    }

    /** Whole numbers as integers (1000, not 1E+3 or 1000.00000000), others without trailing zeros. */
    private static Number plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() <= 0) ? stripped.toBigIntegerExact() : stripped;
    }

    private void send(String body, QuotaAlert alert, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(this.url)
            .timeout(this.timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        this.client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            int status = (response != null) ? response.statusCode() : 0;
            if (failure == null && status / 100 == 2) {
                this.pending.release();
                return;
            }
            String problem = (failure != null) ? failure.toString() : "HTTP " + status;
            boolean retryable = failure != null || status >= 500 || status == 408 || status == 429;
            if (retryable && attempt < this.maxAttempts) {
                long delay = this.retryDelay.toMillis() << (attempt - 1);
                try {
                    this.retries.schedule(() -> send(body, alert, attempt + 1), delay, TimeUnit.MILLISECONDS);
                    return;
                }
                catch (RejectedExecutionException closed) {
                    problem += " (shutting down, no retry)";
                }
            }
            this.pending.release();
            logger.warn("Quota alert " + alert.id() + " was not delivered to " + this.url + " after " + attempt
                    + " attempt(s): " + problem);
        });
    }

    /** Stops retrying and waits for the attempts in flight, each bounded by the timeout. */
    @Override
    public void close() {
        this.retries.shutdownNow();
        this.client.close();
    }

}
