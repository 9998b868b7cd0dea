package io.nemotron4j.spring.governance;

import org.springframework.context.ApplicationEvent;

/**
 * Published to the application context for each {@link QuotaAlert}, after the settlement that raised it
 * committed. Listeners run on the settling thread unless they are asynchronous ({@code @Async}).
 *
 * @since 0.1.0
 */
public class QuotaAlertEvent extends ApplicationEvent {

    private final QuotaAlert alert;

    /**
     * Creates the event.
     * @param source what published it
     * @param alert the alert
     */
    public QuotaAlertEvent(Object source, QuotaAlert alert) {
        super(source);
        this.alert = alert;
    }

    /** @return the alert */
    public QuotaAlert alert() {
        return this.alert;
    }

}
