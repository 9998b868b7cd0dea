package io.nemotron4j.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFTensorInfo;
import io.nemotron4j.engine.tensor.GGMLType;
import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nemotron4j inspect} on the tiny reference model and on a file that is not GGUF. */
class InspectCommandTest {

    private static final Path TINY_Q8 = TestResources.path("reference/tiny/tiny-q8_0.gguf");

    @Test
    void describesTheTinyModel() {
        String out = CliRun.of("inspect", TINY_Q8.toString()).requireSuccess().out();

        assertThat(out).containsPattern("(?m)^pattern:\\s+M\\*M-M\\*-$");
        assertThat(number(out, "(?m)^parameters: (.+)$")).isEqualTo(214_280);
        assertThat(out).containsPattern("(?m)^\\s+blk\\.1\\.attn_q\\.weight\\s+Q8_0\\s+\\[64, 64\\]\\s");
    }

    /** The per-type rows add up what the tensor table holds, counted here independently of the command. */
    @Test
    void sumsBytesByTensorType() throws IOException {
        String out = CliRun.of("inspect", TINY_Q8.toString()).requireSuccess().out();

        try (GGUFFile gguf = GGUFFile.open(TINY_Q8)) {
            for (GGMLType type : new GGMLType[] {GGMLType.Q8_0, GGMLType.F32}) {
                long tensors = 0;
                long elements = 0;
                long bytes = 0;
                for (GGUFTensorInfo t : gguf.tensors()) {
                    if (t.type() == type) {
                        tensors++;
                        elements += t.elementCount();
                        bytes += t.byteSize();
                    }
                }
                Matcher row = Pattern.compile("(?m)^\\s+" + type + "\\s+(\\d+) tensors\\s+(\\S+) elements\\s+(\\S+) bytes")
                        .matcher(out);
                assertThat(row.find()).as("a %s row in%n%s", type, out).isTrue();
                assertThat(digits(row.group(1))).as("%s tensors", type).isEqualTo(tensors).isPositive();
                assertThat(digits(row.group(2))).as("%s elements", type).isEqualTo(elements);
                assertThat(digits(row.group(3))).as("%s bytes", type).isEqualTo(bytes);
            }
        }
    }

    @Test
    void refusesAFileThatIsNotGguf(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.gguf"), "these are plain-text notes, not a model\n");

        CliRun run = CliRun.of("inspect", text.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("notes.gguf").contains("not a GGUF file")
                .contains("74 68 65 73"); // "thes", the bytes found where the magic should be
        assertThat(run.out()).isEmpty();
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        CliRun run = CliRun.of("inspect", dir.resolve("absent.gguf").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("absent.gguf");
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/%s/ in%n%s", regex, text).isTrue();
        return digits(m.group(1));
    }

    // Grouping separators follow the default locale, so only the digits are compared.
    private static long digits(String formatted) {
        return Long.parseLong(formatted.replaceAll("\\D", ""));
    }
}
