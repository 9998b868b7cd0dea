package io.nemotron4j.engine.model;

/** Which positions of a forward pass produce logits. */
public enum Logits {
    /** Only the last token's, {@code [vocab]}: what generation needs. */
    LAST,
    /** Every token's, {@code [tokens][vocab]}: for scoring and tests. */
    ALL
}
