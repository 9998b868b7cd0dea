package io.nemotron4j.spring.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.spring.autoconfigure.NemotronChatAutoConfiguration;
import io.nemotron4j.spring.chat.NemotronChatModel;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a model comes from: references, local files, and a hub download all the way to a working chat model. */
class ModelSourceTests {

    @TempDir
    Path dir;

    private final ModelLocator locator = new ModelLocator(new ModelDownloader(new ModelDownloader.Settings(
            Path.of("target/unused-cache"), URI.create("http://127.0.0.1:9"), null, "main", Duration.ofSeconds(1),
            Duration.ofSeconds(1), 0, Duration.ZERO, Duration.ZERO)));

    @Test
    void huggingFaceReferencesParseWithAndWithoutARevision() {
        HuggingFaceReference plain = HuggingFaceReference.parse("hf://bartowski/nano-GGUF/model Q8.gguf", "main");
        assertThat(plain).isEqualTo(new HuggingFaceReference("bartowski", "nano-GGUF", "main", "model Q8.gguf"));
        assertThat(plain.downloadUri(URI.create("https://huggingface.co")))
            .hasToString("https://huggingface.co/bartowski/nano-GGUF/resolve/main/model%20Q8.gguf");

        HuggingFaceReference pinned = HuggingFaceReference.parse("HF://o/r@v1.0/q8/m.gguf", "main");
        assertThat(pinned.revision()).isEqualTo("v1.0");
        assertThat(pinned.file()).isEqualTo("q8/m.gguf");
        assertThat(pinned.cachePath(Path.of("/c"))).isEqualTo(Path.of("/c/hf/o/r/v1.0/q8/m.gguf"));
        assertThat(pinned.downloadUri(URI.create("http://mirror.local/hub/")))
            .hasToString("http://mirror.local/hub/o/r/resolve/v1.0/q8/m.gguf");

        assertThatThrownBy(() -> HuggingFaceReference.parse("hf://o/r", "main"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HuggingFaceReference.parse("hf://o/r/../x.gguf", "main"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HuggingFaceReference.parse("hf://o/@v/x.gguf", "main"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HuggingFaceReference.parse("hf://o/r@../x.gguf", "main"))
            .as("a revision cannot climb out of the cache").isInstanceOf(IllegalArgumentException.class);
        assertThat(HuggingFaceReference.isReference("https://x")).isFalse();
    }

    @Test
    void localFilesAreCheckedBeforeLoading() throws IOException {
        assertThat(this.locator.locate(TinyModel.path(), null, null)).isEqualTo(TinyModel.path().toAbsolutePath());
        assertThat(this.locator.locate(null, TinyModel.path().toUri().toString(), null))
            .isEqualTo(TinyModel.path().toAbsolutePath());
        String sha = ModelDownloader.sha256Of(TinyModel.path());
        assertThat(this.locator.locate(TinyModel.path(), null, sha)).isEqualTo(TinyModel.path().toAbsolutePath());

        assertThatThrownBy(() -> this.locator.locate(this.dir.resolve("none.gguf"), null, null))
            .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> this.locator.locate(null, null, null))
            .hasMessageContaining("no Nemotron model is configured");
        assertThatThrownBy(() -> this.locator.locate(null, "gopher://x/y.gguf", null))
            .hasMessageContaining("unsupported scheme 'gopher'");
        assertThatThrownBy(() -> this.locator.locate(null, "not a uri", null))
            .hasMessageContaining("not a valid URI");
        assertThatThrownBy(() -> this.locator.locate(null, "https:///model.gguf", null))
            .hasMessageContaining("names no host");
    }

    @Test
    void aTruncatedGgufIsRefusedWithTheEnginesReason() throws IOException {
        byte[] whole = Files.readAllBytes(TinyModel.path());
        Path truncated = Files.write(this.dir.resolve("truncated.gguf"), java.util.Arrays.copyOf(whole, 4096));
        assertThatThrownBy(() -> ModelLocator.load(truncated, io.nemotron4j.engine.model.EngineOptions.defaults()))
            .isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("is not a usable Nemotron-H GGUF")
            .hasMessageContaining(truncated.toString());
    }

    @Test
    void aModelFromTheHubRunsAsTheChatModel() throws IOException {
        try (FakeHub hub = new FakeHub()) {
            hub.publish("nvidia/tiny-gguf/tiny.gguf", Files.readAllBytes(TinyModel.path()));
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NemotronChatAutoConfiguration.class))
                .withPropertyValues("nemotron.model.uri=hf://nvidia/tiny-gguf/tiny.gguf",
                        "nemotron.model.hub-url=" + hub.url(), "nemotron.model.cache-dir=" + this.dir,
                        "nemotron.engine.threads=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    NemotronEngine engine = context.getBean(NemotronEngine.class);
                    assertThat(engine.model().file().path())
                        .isEqualTo(this.dir.resolve("hf/nvidia/tiny-gguf/main/tiny.gguf"));
                    ChatResponse response = context.getBean(NemotronChatModel.class)
                        .call(new Prompt("Hi", NemotronChatOptions.builder().maxTokens(3).build()));
                    assertThat(response.getMetadata().getUsage().getCompletionTokens()).isBetween(1, 3);
                });
            assertThat(hub.gets()).hasSize(1);
        }
    }
}
