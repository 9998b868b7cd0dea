package io.nemotron4j.engine.generate;

/**
 * Receives the events of one generation, on the engine's thread, one at a time. It should return quickly; an
 * exception it throws cancels the generation.
 */
@FunctionalInterface
public interface GenerationListener {

    void onEvent(GenerationEvent event);
}
