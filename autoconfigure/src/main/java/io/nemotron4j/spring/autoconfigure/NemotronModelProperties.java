package io.nemotron4j.spring.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.nemotron4j.spring.model.ModelDownloader;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which model to load and where to get it ({@code nemotron.model.*}).
 *
 * @since 0.1.0
 */
@ConfigurationProperties(NemotronModelProperties.PREFIX)
public class NemotronModelProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "nemotron.model";

    /** Local GGUF file of the Nemotron-H model to load. */
    private @Nullable Path path;

    /** Where to get the model instead: hf://owner/repo[@revision]/file.gguf, https://host/file.gguf or file:/path. */
    private @Nullable String uri;

    /** Expected SHA-256 of the model file (hex); checked after download, and at start for a local path. */
    private @Nullable String sha256;

    /** Model name that responses and metrics carry; defaults to the GGUF's general.name or the file name. */
    private @Nullable String name;

    /** Directory where downloaded models are kept (default ~/.cache/nemotron4j/models). */
    private Path cacheDir = ModelDownloader.Settings.defaultCacheDir();

    /** Base URL of the Hugging Face hub, or a mirror, that hf:// references come from (default https://huggingface.co). */
    private URI hubUrl = ModelDownloader.Settings.DEFAULT_HUB_URL;

    /** Access token for gated or private Hugging Face repositories; sent to the hub only. */
    private @Nullable String hubToken;

    /** Revision (branch, tag or commit) of hf:// references that name none. */
    private String revision = "main";

    /** How long to wait for a connection to the download server. */
    private Duration connectTimeout = Duration.ofSeconds(30);

    /** How long a download may stall before it counts as interrupted. */
    private Duration readTimeout = Duration.ofSeconds(60);

    /** How many times an interrupted download is resumed before start-up fails. */
    private int downloadRetries = 3;

    /** How often download progress is logged. */
    private Duration progressInterval = Duration.ofSeconds(5);

    public @Nullable Path getPath() {
        return this.path;
    }

    public void setPath(@Nullable Path path) {
        this.path = path;
    }

    public @Nullable String getUri() {
        return this.uri;
    }

    public void setUri(@Nullable String uri) {
        this.uri = uri;
    }

    public @Nullable String getSha256() {
        return this.sha256;
    }

    public void setSha256(@Nullable String sha256) {
        this.sha256 = sha256;
    }

    public @Nullable String getName() {
        return this.name;
    }

    public void setName(@Nullable String name) {
        this.name = name;
    }

    public Path getCacheDir() {
        return this.cacheDir;
    }

    public void setCacheDir(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public URI getHubUrl() {
        return this.hubUrl;
    }

    public void setHubUrl(URI hubUrl) {
        this.hubUrl = hubUrl;
    }

    public @Nullable String getHubToken() {
        return this.hubToken;
    }

    public void setHubToken(@Nullable String hubToken) {
        this.hubToken = hubToken;
    }

    public String getRevision() {
        return this.revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return this.readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public int getDownloadRetries() {
        return this.downloadRetries;
    }

    public void setDownloadRetries(int downloadRetries) {
        this.downloadRetries = downloadRetries;
    }

    public Duration getProgressInterval() {
        return this.progressInterval;
    }

    public void setProgressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    /** The download settings these properties describe. */
    public ModelDownloader.Settings toDownloadSettings() {
        return new ModelDownloader.Settings(this.cacheDir, this.hubUrl, this.hubToken, this.revision,
                this.connectTimeout, this.readTimeout, this.downloadRetries, Duration.ofSeconds(1),
                this.progressInterval);
    }
}
