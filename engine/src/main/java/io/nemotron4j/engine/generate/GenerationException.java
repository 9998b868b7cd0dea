package io.nemotron4j.engine.generate;

/** A request the engine cannot run, with a message that says why and what to change. */
public class GenerationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GenerationException(String message) {
        super(message);
    }

    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
