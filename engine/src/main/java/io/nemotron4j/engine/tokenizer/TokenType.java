package io.nemotron4j.engine.tokenizer;

/** The role of a vocabulary entry, from the GGUF key {@code tokenizer.ggml.token_type}. */
enum TokenType {
    /** Any code the format does not define; llama.cpp reads those the same way. */
    UNDEFINED,
    NORMAL,
    UNKNOWN,
    CONTROL,
    USER_DEFINED,
    UNUSED,
    BYTE;

    /** The type for a GGUF code (1 normal … 6 byte); the ordinals above follow those codes. */
    static TokenType fromCode(long code) {
        return code >= 1 && code <= 6 ? values()[(int) code] : UNDEFINED;
    }

    /** Whether the entry is matched by its literal text instead of being produced by byte-pair merges. */
    boolean isSpecial() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }
}
