package io.nemotron4j.spring.governance;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets context propagation capture the bound {@link Caller} under {@link Caller#CONTEXT_KEY}. Spring MVC captures
 * every registered accessor into the Reactor context when it subscribes to a controller's {@code Flux}, so a model
 * call that a streaming pipeline makes later, on another thread, still knows whom to charge.
 *
 * <p>Capture only: a {@link ScopedValue} cannot be bound from outside its scope, so setting and restoring do
 * nothing; {@link GovernedChatModel} reads the captured caller from the Reactor context itself. Registered through
 * {@code META-INF/services}, and used only when {@code io.micrometer:context-propagation} is on the class path (the
 * governance starter brings it).
 *
 * @since 0.1.0
 */
public final class CallerContextAccessor implements ThreadLocalAccessor<Caller> {

    @Override
    public Object key() {
        return Caller.CONTEXT_KEY;
    }

    @Override
    public @Nullable Caller getValue() {
        return Caller.current();
    }

    @Override
    public void setValue(Caller value) {
        // A scoped value is bound only by Caller.callAs; see the class comment.
    }

    @Override
    public void setValue() {
        // Nothing was set, so nothing is cleared.
    }

}
