package io.nemotron4j.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.cli.RenderCommand;
import io.nemotron4j.engine.gguf.GGUFValue;
import io.nemotron4j.engine.gguf.GGUFWriter;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code nemotron4j render} prints exactly the reference prompt, from each template source. */
class RenderCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run render(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new RenderCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String conversation(String name) {
        return ReferenceData.dir().resolve("conversations/" + name + ".json").toString();
    }

    @Test
    void templateFileGivesTheReferencePromptWithNothingAdded() {
        Path template = ReferenceData.dir().resolve("templates/nano-v2-llamacpp.jinja");

        Run run = render("--template", template.toString(), "--conversation", conversation("c04_tool_roundtrip"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(ReferenceData.rendering("nano-v2-llamacpp", "c04_tool_roundtrip")).endsWith("<think>\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void modelMetadataSuppliesTheTemplate(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model.gguf");
        new GGUFWriter().put("general.architecture", GGUFValue.string("nemotron_h"))
                .put(ChatTemplate.METADATA_KEY, GGUFValue.string(ReferenceData.template("nemotron3-nano-llamacpp")))
                .write(model);

        Run run = render("--model", model.toString(), "--conversation", conversation("c28_long_mixed"));

        assertThat(run.out()).isEqualTo(ReferenceData.rendering("nemotron3-nano-llamacpp", "c28_long_mixed"));
    }

    @Test
    void builtInTemplateIsTheFallback(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("bare.gguf");
        new GGUFWriter().put("general.architecture", GGUFValue.string("nemotron_h")).write(model);

        assertThat(render("--model", model.toString(), "--conversation", conversation("c09_continue_final_message")).out())
                .isEqualTo(ReferenceData.rendering("nano-v2-card", "c09_continue_final_message"));
        assertThat(render("--conversation", conversation("c12_tools_no_system")).out())
                .isEqualTo(ReferenceData.rendering("nano-v2-card", "c12_tools_no_system"));
    }

    @Test
    void templateErrorsFailTheCommand(@TempDir Path dir) throws IOException {
        Path template = Files.writeString(dir.resolve("bad.jinja"), "{% include 'other.jinja' %}");

        Run run = render("--template", template.toString(), "--conversation", conversation("c01_single_user"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("chat template line 1: unsupported tag 'include'");
    }

    @Test
    void conversationIsRequired() {
        Run run = render("--template", "x.jinja");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--conversation=FILE.json'");
    }
}
