package io.nemotron4j.spring.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The transcript each content policy keeps, and its size bound. */
class ContentRecorderTests {

    static String sha256(String text) throws Exception {
        return HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static ContentRecorder recorded(ContentPolicy policy, String... answerPieces) {
        ContentRecorder recorder = new ContentRecorder(policy).message("SYSTEM", "Be brief.")
            .message("USER", "Mail me at a@b.io");
        for (String piece : answerPieces) {
            recorder.answer(piece);
        }
        return recorder;
    }

    @Test
    void eachPolicyKeepsWhatItSays() throws Exception {
        String transcript = "SYSTEM: Be brief.\nUSER: Mail me at a@b.io\nASSISTANT: Sure, a@b.io.";
        assertThat(recorded(ContentPolicy.NONE, "Sure, a@b.io.").content()).isNull();
        assertThat(recorded(ContentPolicy.FULL, "Sure, ", "a@b.io.").content()).isEqualTo(transcript);
        assertThat(recorded(ContentPolicy.REDACTED, "Sure, a@b.io.").content())
            .isEqualTo("SYSTEM: Be brief.\nUSER: Mail me at [EMAIL]\nASSISTANT: Sure, [EMAIL].");
        ContentRecorder hashed = recorded(ContentPolicy.SHA256, "Sure, ", "a@b.io.");
        assertThat(hashed.content()).isEqualTo(sha256(transcript)).hasSize(64);
        assertThat(hashed.content()).as("asked twice").isEqualTo(sha256(transcript));
    }

    @Test
    void theHashOfAStreamIsTheHashOfItsWholeTextHoweverItIsSplit() throws Exception {
        // 20,000 emoji: the pieces split surrogate pairs and cross the recorder's internal flushes.
        String answer = "\uD83D\uDE00".repeat(20_000) + "é";
        ContentRecorder recorder = recorded(ContentPolicy.SHA256);
        for (int i = 0; i < answer.length(); i += 777) {
            recorder.answer(answer.substring(i, Math.min(answer.length(), i + 777)));
        }
        assertThat(recorder.content())
            .isEqualTo(sha256("SYSTEM: Be brief.\nUSER: Mail me at a@b.io\nASSISTANT: " + answer));
    }

    @Test
    void longContentIsCutAtACharacterBoundaryWithAMarker() {
        String answer = "ü".repeat(100_000);
        String content = recorded(ContentPolicy.FULL, answer).content();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isLessThanOrEqualTo(ContentRecorder.MAX_BYTES).isGreaterThan(ContentRecorder.MAX_BYTES - 100);
        long total = ("SYSTEM: Be brief.\nUSER: Mail me at a@b.io\nASSISTANT: ").length() + 2L * 100_000;
        assertThat(content).startsWith("SYSTEM: Be brief.").endsWith("\n[truncated: the transcript has " + total
                + " bytes]");
        assertThat(content).doesNotContain("\uFFFD");

        // Redaction sees the text beyond the cut, so an address across it is masked, not left half visible.
        String padding = "x".repeat(ContentRecorder.MAX_BYTES - 100);
        String redacted = recorded(ContentPolicy.REDACTED, padding + " someone.with.a.long.name@example.org "
                + "y".repeat(10_000)).content();
        assertThat(redacted).doesNotContain("someone").doesNotContain("@example");
        assertThat(redacted.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(ContentRecorder.MAX_BYTES);

        assertThat(ContentRecorder.bounded("short")).isEqualTo("short");
        assertThat(ContentRecorder.bounded(null)).isNull();
        assertThat(new Settlement(new Usage(1, 0, 1), Outcome.COMPLETED, null, null, null, "z".repeat(70_000))
            .content()).hasSizeLessThanOrEqualTo(ContentRecorder.MAX_BYTES).contains("[truncated: the transcript has 70000 bytes]");
    }

    @Test
    void promptMessagesComeBeforeTheAnswer() {
        ContentRecorder recorder = recorded(ContentPolicy.FULL, "answer");
        assertThatIllegalStateException().isThrownBy(() -> recorder.message("USER", "late"));
    }

}
