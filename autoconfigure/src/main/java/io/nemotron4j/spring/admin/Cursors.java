package io.nemotron4j.spring.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import io.nemotron4j.spring.governance.RequestAudit;
import org.jspecify.annotations.Nullable;

/**
 * Opaque page cursors: where the previous page ended, base64url-encoded so that clients pass them back as they are
 * and never build them. A cursor that does not decode is a 400 on the {@code cursor} parameter.
 */
final class Cursors {

    private Cursors() {
    }

    static @Nullable String of(RequestAudit.@Nullable Position position) {
        if (position == null) {
            return null;
        }
        Instant at = position.startedAt();
        return encode("r:" + at.getEpochSecond() + ":" + at.getNano() + ":" + position.id());
    }

    static RequestAudit.@Nullable Position position(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts = decode(cursor).split(":");
        try {
            if (parts.length == 4 && parts[0].equals("r")) {
                return new RequestAudit.Position(
                        Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
                        UUID.fromString(parts[3]));
            }
        }
        catch (RuntimeException ex) {
            // Falls through to the refusal below: any malformed cursor reads the same to the client.
        }
        throw InvalidInputException.of("cursor", "is not a cursor this API issued");
    }

    static @Nullable String ofSeq(@Nullable Long seq) {
        return (seq != null) ? encode("a:" + seq) : null;
    }

    static @Nullable Long seq(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String value = decode(cursor);
        try {
            if (value.startsWith("a:")) {
                return Long.parseLong(value.substring(2));
            }
        }
        catch (NumberFormatException ex) {
            // Falls through to the refusal below.
        }
        throw InvalidInputException.of("cursor", "is not a cursor this API issued");
    }

    private static String encode(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException ex) {
            throw InvalidInputException.of("cursor", "is not a cursor this API issued");
        }
    }

}
