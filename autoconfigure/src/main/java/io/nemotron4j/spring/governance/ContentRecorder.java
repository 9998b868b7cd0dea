package io.nemotron4j.spring.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * Records one request's prompt and answer as its tenant's {@link ContentPolicy} asks, for the audit row's
 * {@code content}.
 *
 * <p>The <em>transcript</em> is every prompt message as {@code ROLE: text} followed by a line feed, in order, then
 * {@code ASSISTANT: } and the answer (no line feed after it); {@code ROLE} is the message type in capitals
 * ({@code SYSTEM}, {@code USER}, {@code ASSISTANT}, {@code TOOL}). {@link ContentPolicy#SHA256} stores the lowercase
 * hex SHA-256 of the whole transcript's UTF-8 bytes, computed as the text arrives, so a long stream is never held
 * in memory for it. {@link ContentPolicy#FULL} and {@link ContentPolicy#REDACTED} store the transcript (masked by
 * {@link Redactor} for the latter) up to {@value #MAX_BYTES} UTF-8 bytes; a longer one is cut at a character
 * boundary and ends with a marker that gives the transcript's full size. Only a little more than that bound is ever
 * kept, so a long generation cannot grow it.
 *
 * <p>Not thread-safe: one request's text arrives in order, from one thread at a time.
 *
 * @since 0.1.0
 */
public final class ContentRecorder {

    /** The most UTF-8 bytes of content an audit row keeps, marker included. */
    public static final int MAX_BYTES = 64 * 1024;

    // Characters kept beyond the bound, so that redaction sees whole e-mail addresses or keys at the cut instead
    // of a fragment it would not recognise.
    private static final int SLACK_CHARS = 4 * 1024;

    private final ContentPolicy policy;

    private final @Nullable MessageDigest digest;

    private final StringBuilder kept = new StringBuilder();

    // Text not yet fed to the digest, so that a surrogate pair split across two pieces is encoded whole.
    private final StringBuilder pending = new StringBuilder();

    private long totalBytes;

    // Whether text arrived that no longer fit into what is kept.
    private boolean cut;

    private boolean answerStarted;

    /**
     * Creates a recorder.
     * @param policy what to keep
     */
    public ContentRecorder(ContentPolicy policy) {
        this.policy = policy;
        this.digest = (policy == ContentPolicy.SHA256) ? sha256() : null;
    }

    /** @return the policy this recorder follows */
    public ContentPolicy policy() {
        return this.policy;
    }

    /**
     * Adds a prompt message; all of them come before the answer.
     * @param role the message type, for example {@code USER}
     * @param text the message's text ({@code null} counts as empty)
     * @return this recorder
     */
    public ContentRecorder message(String role, @Nullable String text) {
        if (this.answerStarted) {
            throw new IllegalStateException("prompt messages come before the answer");
        }
        append(role).append(": ").append((text != null) ? text : "").append("\n");
        return this;
    }

    /**
     * Adds a piece of the answer: all of it for a call, each streamed delta for a stream.
     * @param text the piece ({@code null} counts as empty)
     * @return this recorder
     */
    public ContentRecorder answer(@Nullable String text) {
        if (!this.answerStarted) {
            this.answerStarted = true;
            append("ASSISTANT: ");
        }
        return append((text != null) ? text : "");
    }

    /**
     * The audit content for what was recorded.
     * @return {@code null} for {@link ContentPolicy#NONE}, else the hash, redacted or full transcript
     */
    public @Nullable String content() {
        return switch (this.policy) {
            case NONE -> null;
            case SHA256 -> {
                flush(true);
                yield HexFormat.of().formatHex(snapshot(this.digest).digest());
            }
            case REDACTED -> keptContent(Redactor.redact(this.kept.toString()));
            case FULL -> keptContent(this.kept.toString());
        };
    }

    private ContentRecorder append(String text) {
        if (this.policy == ContentPolicy.NONE || text.isEmpty()) {
            return this;
        }
        if (this.digest != null) {
            this.pending.append(text);
            if (this.pending.length() >= 8192) {
                flush(false);
            }
            return this;
        }
        this.totalBytes += utf8Length(text);
        int room = MAX_BYTES + SLACK_CHARS - this.kept.length();
        this.kept.append(text, 0, Math.max(0, Math.min(room, text.length())));
        this.cut |= room < text.length();
        return this;
    }

    private void flush(boolean all) {
        int end = this.pending.length();
        if (!all && end > 0 && Character.isHighSurrogate(this.pending.charAt(end - 1))) {
            end--;
        }
        byte[] bytes = this.pending.substring(0, end).getBytes(StandardCharsets.UTF_8);
        this.digest.update(bytes);
        this.totalBytes += bytes.length;
        this.pending.delete(0, end);
    }

    /**
     * Bounds audit content to {@value #MAX_BYTES} UTF-8 bytes: longer text is cut at a character boundary and ends
     * with a marker giving the original size.
     * @param content the content, or {@code null}
     * @return the content, bounded
     */
    public static @Nullable String bounded(@Nullable String content) {
        if (content == null) {
            return null;
        }
        long bytes = utf8Length(content);
        return (bytes <= MAX_BYTES) ? content : truncated(content, bytes);
    }

    private String keptContent(String text) {
        return this.cut ? truncated(text, this.totalBytes) : bounded(text);
    }

    private static String truncated(String content, long totalBytes) {
        String marker = "\n[truncated: the transcript has " + totalBytes + " bytes]";
        int budget = MAX_BYTES - marker.length();
        int end = 0;
        int bytes = 0;
        while (end < content.length()) {
            int codePoint = content.codePointAt(end);
            int size = utf8Length(codePoint);
            if (bytes + size > budget) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return content.substring(0, end) + marker;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            }
            else {
                // A lone surrogate is encoded as '?' (one byte) by String.getBytes.
                bytes += (c < 0x80 || Character.isSurrogate(c)) ? 1 : (c < 0x800) ? 2 : 3;
            }
        }
        return bytes;
    }

    private static int utf8Length(int codePoint) {
        return (codePoint < 0x80) ? 1 : (codePoint < 0x800) ? 2 : (codePoint < 0x10000) ? 3 : 4;
    }

    /** A copy to finish, so that asking for the content twice gives the same hash. */
    private static MessageDigest snapshot(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        }
        catch (CloneNotSupportedException ex) {
            throw new IllegalStateException("the platform's SHA-256 cannot be copied", ex);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }

}
