package io.nemotron4j.engine.gguf;

import java.io.IOException;

/** A GGUF file that cannot be used, with a message that says what is wrong and, where it can, where. */
public class GGUFException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message meant for the person who supplied the file. */
    public GGUFException(String message) {
        super(message);
    }
}
