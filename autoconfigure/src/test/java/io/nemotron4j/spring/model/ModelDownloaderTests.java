package io.nemotron4j.spring.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ModelDownloader} against {@link FakeHub}, a real HTTP server on the loopback interface that answers like
 * the Hugging Face hub: downloads once, resumes, verifies, and explains failures.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelDownloaderTests {

    private static final String FILE = "nvidia/nano-gguf/model-q8_0.gguf";

    private static final HuggingFaceReference REFERENCE = HuggingFaceReference.parse("hf://" + FILE, "main");

    @TempDir
    Path cache;

    private FakeHub hub;

    private byte[] content;

    @BeforeEach
    void startHub() throws IOException {
        this.hub = new FakeHub();
        this.content = new byte[300_000];
        new Random(42).nextBytes(this.content);
        this.hub.publish(FILE, this.content);
    }

    @AfterEach
    void stopHub() {
        this.hub.close();
    }

    private ModelDownloader downloader(int retries) {
        return downloader(retries, null);
    }

    private ModelDownloader downloader(int retries, String token) {
        return new ModelDownloader(new ModelDownloader.Settings(this.cache, this.hub.url(), token, "main",
                Duration.ofSeconds(5), Duration.ofSeconds(5), retries, Duration.ofMillis(10), Duration.ZERO));
    }

    private Path expectedTarget() {
        return this.cache.resolve("hf/nvidia/nano-gguf/main/model-q8_0.gguf");
    }

    @Test
    void aHubFileIsDownloadedOnceVerifiedAndThenServedFromTheCache(CapturedOutput output) throws IOException {
        Path file = downloader(0).download(REFERENCE, null);

        assertThat(file).isEqualTo(expectedTarget());
        assertThat(Files.readAllBytes(file)).isEqualTo(this.content);
        assertThat(file.resolveSibling("model-q8_0.gguf.part")).doesNotExist();
        assertThat(file.resolveSibling("model-q8_0.gguf.sha256")).content().isEqualTo(FakeHub.sha256(this.content) + "\n");
        assertThat(this.hub.requests).extracting(FakeHub.Request::method).containsExactly("HEAD", "GET");
        assertThat(this.hub.requests.getFirst().path()).isEqualTo("/nvidia/nano-gguf/resolve/main/model-q8_0.gguf");
        assertThat(this.hub.gets().getFirst().path()).isEqualTo("/storage/" + FILE);
        assertThat(output).contains("Downloading " + REFERENCE + " from localhost (300.0 KB)")
            .containsPattern("Downloading hf://\\S+: [0-9.]+ KB of 300.0 KB \\(\\d+%\\)")
            .contains("verified");

        int before = this.hub.requests.size();
        Path again = downloader(0).download(REFERENCE, null);
        assertThat(again).isEqualTo(file);
        assertThat(this.hub.requests).as("a cached file needs no network").hasSize(before);
        assertThat(output).contains("Using the cached model " + file);
    }

    @Test
    void anInterruptedTransferResumesWithARangeRequest() throws IOException {
        this.hub.dropsLeft.set(2);
        this.hub.dropAfterBytes = 100_000;

        Path file = downloader(3).download(REFERENCE, null);

        assertThat(Files.readAllBytes(file)).isEqualTo(this.content);
        assertThat(this.hub.gets()).extracting(FakeHub.Request::range)
            .containsExactly(null, "bytes=100000-", "bytes=200000-");
    }

    @Test
    void aDownloadInterruptedForGoodResumesAtTheNextStart() throws IOException {
        this.hub.dropsLeft.set(1);
        this.hub.dropAfterBytes = 120_000;

        assertThatThrownBy(() -> downloader(0).download(REFERENCE, null)).isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("was interrupted at 120.0 KB of 300.0 KB")
            .satisfies(ex -> assertThat(((NemotronModelException) ex).getAction()).contains("resumes"));
        Path part = expectedTarget().resolveSibling("model-q8_0.gguf.part");
        assertThat(part).hasSize(120_000);
        assertThat(expectedTarget()).doesNotExist();

        // The next start: a new downloader, as after a restart.
        Path file = downloader(0).download(REFERENCE, null);
        assertThat(Files.readAllBytes(file)).isEqualTo(this.content);
        assertThat(this.hub.gets().getLast().range()).isEqualTo("bytes=120000-");
    }

    @Test
    void aServerThatIgnoresRangesSendsEverythingAgainAndTheResultIsStillRight() throws IOException {
        Path part = Files.createDirectories(expectedTarget().getParent()).resolve("model-q8_0.gguf.part");
        Files.write(part, Arrays.copyOf(this.content, 50_000));
        this.hub.ignoreRanges = true;

        Path file = downloader(0).download(REFERENCE, null);

        assertThat(Files.readAllBytes(file)).isEqualTo(this.content);
        assertThat(this.hub.gets().getFirst().range()).isEqualTo("bytes=50000-");
    }

    @Test
    void aPartialFileThatIsNotAPrefixFailsTheChecksumAndIsDeleted() throws IOException {
        Path part = Files.createDirectories(expectedTarget().getParent()).resolve("model-q8_0.gguf.part");
        Files.write(part, new byte[50_000]);

        assertThatThrownBy(() -> downloader(0).download(REFERENCE, null)).isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("has SHA-256")
            .hasMessageContaining(FakeHub.sha256(this.content) + " was expected");
        assertThat(part).doesNotExist();
        assertThat(expectedTarget()).doesNotExist();

        Path file = downloader(0).download(REFERENCE, null);
        assertThat(Files.readAllBytes(file)).as("the next start downloads afresh").isEqualTo(this.content);
    }

    @Test
    void aWrongPublishedChecksumFailsAndKeepsNothing() {
        this.hub.announceChecksum(FILE, "ab".repeat(32));
        assertThatThrownBy(() -> downloader(0).download(REFERENCE, null)).isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("ab".repeat(32) + " was expected");
        assertThat(expectedTarget()).doesNotExist();
        assertThat(expectedTarget().resolveSibling("model-q8_0.gguf.part")).doesNotExist();
    }

    @Test
    void aConfiguredChecksumThatDisagreesWithTheHubFailsBeforeDownloading() {
        assertThatThrownBy(() -> downloader(0).download(REFERENCE, "cd".repeat(32)))
            .isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("nemotron.model.sha256 expects " + "cd".repeat(32));
        assertThat(this.hub.gets()).isEmpty();
    }

    @Test
    void aConfiguredChecksumIsCheckedAgainstAFileCachedUnderAnother() throws IOException {
        Path file = downloader(0).download(REFERENCE, FakeHub.sha256(this.content).toUpperCase());
        assertThat(Files.readAllBytes(file)).isEqualTo(this.content);
        assertThatThrownBy(() -> downloader(0).download(REFERENCE, "ef".repeat(32)))
            .isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("the cached model " + file)
            .satisfies(ex -> assertThat(((NemotronModelException) ex).getAction()).contains("delete " + file));
    }

    @Test
    void missingFilesAndDeniedAccessSayWhatToCheck() {
        assertThatThrownBy(() -> downloader(0).download(HuggingFaceReference.parse("hf://nvidia/nano-gguf/other.gguf",
                "main"), null))
            .isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("was not found: HTTP 404")
            .satisfies(ex -> assertThat(((NemotronModelException) ex).getAction()).contains("file name"));

        this.hub.requiredToken = "secret";
        assertThatThrownBy(() -> downloader(0).download(REFERENCE, null)).isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("HTTP 401")
            .satisfies(ex -> assertThat(((NemotronModelException) ex).getAction()).contains("nemotron.model.hub-token"));
    }

    @Test
    void theTokenGoesToTheHubButNeverToTheStorageHost() throws IOException {
        this.hub.requiredToken = "secret";
        Path file = downloader(0, "secret").download(REFERENCE, null);
        assertThat(Files.readAllBytes(file)).isEqualTo(this.content);
        assertThat(this.hub.requests).filteredOn(r -> r.path().contains("/resolve/"))
            .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer secret"));
        assertThat(this.hub.requests).filteredOn(r -> r.path().startsWith("/storage/"))
            .isNotEmpty()
            .allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void aPlainHttpUrlIsDownloadedAndCheckedAgainstTheConfiguredChecksum() throws IOException {
        URI url = URI.create("http://127.0.0.1:" + this.hub.port() + "/storage/" + FILE);
        Path file = downloader(0).download(url, FakeHub.sha256(this.content));
        assertThat(Files.readAllBytes(file)).isEqualTo(this.content);
        assertThat(file.getFileName().toString()).isEqualTo("model-q8_0.gguf");
        assertThat(file.startsWith(this.cache.resolve("url").resolve("127.0.0.1"))).isTrue();
    }

    @Test
    void anUnreachableHubSaysSo() {
        int port = this.hub.port();
        this.hub.close();
        ModelDownloader downloader = new ModelDownloader(new ModelDownloader.Settings(this.cache,
                URI.create("http://127.0.0.1:" + port), null, "main", Duration.ofSeconds(2), Duration.ofSeconds(2), 0,
                Duration.ofMillis(10), Duration.ZERO));
        assertThatThrownBy(() -> downloader.download(REFERENCE, null)).isInstanceOf(NemotronModelException.class)
            .hasMessageContaining("cannot reach")
            .satisfies(ex -> assertThat(((NemotronModelException) ex).getAction()).contains("nemotron.model.path"));
    }

    @Test
    void etagsAreReadAsChecksumsOnlyWhenTheyAreOne() {
        assertThat(ModelDownloader.sha256FromEtag("\"" + "AB".repeat(32) + "\"")).isEqualTo("ab".repeat(32));
        assertThat(ModelDownloader.sha256FromEtag("W/\"" + "ab".repeat(32) + "\"")).isEqualTo("ab".repeat(32));
        assertThat(ModelDownloader.sha256FromEtag("\"0123456789abcdef0123456789abcdef01234567\"")).isNull();
        assertThat(ModelDownloader.sha256FromEtag(null)).isNull();
        assertThat(ModelDownloader.normalizeSha256(" sha256:" + "AB".repeat(32))).isEqualTo("ab".repeat(32));
        assertThat(ModelDownloader.normalizeSha256("")).isNull();
        assertThatThrownBy(() -> ModelDownloader.normalizeSha256("abc")).isInstanceOf(NemotronModelException.class);
    }
}
