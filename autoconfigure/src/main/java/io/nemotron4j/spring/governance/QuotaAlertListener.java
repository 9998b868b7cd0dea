package io.nemotron4j.spring.governance;

/**
 * Told about each {@link QuotaAlert} once, after the settlement that raised it has committed. Called on the
 * settling thread, so an implementation that does slow work (network calls) hands it off; an exception it throws
 * is logged and never fails the request.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface QuotaAlertListener {

    /** A listener that does nothing. */
    QuotaAlertListener NONE = (alert) -> {
    };

    /**
     * Reacts to an alert.
     * @param alert the alert
     */
    void onAlert(QuotaAlert alert);

}
