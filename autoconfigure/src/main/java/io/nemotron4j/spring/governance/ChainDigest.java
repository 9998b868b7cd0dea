package io.nemotron4j.spring.governance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.jspecify.annotations.Nullable;

/**
 * The canonical encoding the audit hash chains share: SHA-256 over the previous link's hash, the sequence number
 * (8 bytes, big-endian) and then every field as UTF-8 prefixed by its length (4 bytes; -1 for {@code null}), so that
 * no two different rows encode alike, however their texts split.
 */
final class ChainDigest {

    /** The "previous hash" of a chain's first link. */
    static final byte[] GENESIS = new byte[32];

    private final MessageDigest digest;

    private ChainDigest(byte[] previous, long seq) {
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
        this.digest.update(previous);
        this.digest.update(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
    }

    /**
     * Starts the hash of one link.
     * @param previous the previous link's hash ({@link #GENESIS} for the first)
     * @param seq the link's position in its chain
     * @return the digest, to feed the fields to
     */
    static ChainDigest link(byte[] previous, long seq) {
        return new ChainDigest(previous, seq);
    }

    /**
     * Adds a field.
     * @param value its canonical text, or {@code null}
     * @return this digest
     */
    ChainDigest field(@Nullable Object value) {
        if (value == null) {
            this.digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
            return this;
        }
        byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
        this.digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        this.digest.update(bytes);
        return this;
    }

    /** @return the link's hash */
    byte[] finish() {
        return this.digest.digest();
    }

}
