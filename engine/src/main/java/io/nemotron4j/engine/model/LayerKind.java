package io.nemotron4j.engine.model;

/** The one mixer a Nemotron-H block holds, with the character the layer pattern uses for it. */
public enum LayerKind {
    MAMBA('M'),
    ATTENTION('*'),
    MLP('-');

    private final char symbol;

    LayerKind(char symbol) {
        this.symbol = symbol;
    }

    /** The pattern character: {@code M}, {@code *} or {@code -}. */
    public char symbol() {
        return symbol;
    }

    /** The kind for a pattern character. */
    public static LayerKind fromSymbol(char c) {
        for (LayerKind k : values()) {
            if (k.symbol == c) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown layer symbol '" + c + "' (expected M, * or -)");
    }
}
