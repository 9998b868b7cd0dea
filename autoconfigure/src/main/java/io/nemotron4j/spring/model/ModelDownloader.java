package io.nemotron4j.spring.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Downloads a model file once into a cache directory: progress in the log, resumption of an interrupted download
 * (HTTP range requests, also across restarts: the partial file is kept as {@code <file>.part}), and a SHA-256 check
 * before the file takes its final name. A file under its final name has passed the check, so later starts use it
 * without touching the network.
 *
 * <p>The expected checksum is the configured one, else the one the Hugging Face hub publishes for files stored in
 * Git LFS (the {@code X-Linked-Etag} header, which is the file's SHA-256), else none: then the download is only
 * checked for its length and a warning says so.
 *
 * <p>Redirects are followed by hand so that the hub token is sent to the hub only, never to the storage host a
 * download is redirected to.
 *
 * @since 0.1.0
 */
public final class ModelDownloader {

    private static final Log logger = LogFactory.getLog(ModelDownloader.class);

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes (\\d+)-");

    private static final int MAX_REDIRECTS = 10;

    private static final String CHECKSUM_SUFFIX = ".sha256";

    private final Settings settings;

    /** Creates a downloader with the given settings. */
    public ModelDownloader(Settings settings) {
        Assert.notNull(settings, "settings must not be null");
        this.settings = settings;
    }

    /** The settings. */
    public Settings settings() {
        return this.settings;
    }

    /**
     * The local copy of a file on the Hugging Face hub, downloaded first if the cache does not hold it.
     * @param reference the file
     * @param sha256 the expected SHA-256 in hex, or {@code null} to use the hub's
     * @throws NemotronModelException if it cannot be downloaded or fails the check
     */
    public Path download(HuggingFaceReference reference, @Nullable String sha256) {
        return fetch(reference.toString(), reference.downloadUri(this.settings.hubUrl()),
                reference.cachePath(this.settings.cacheDir()), sha256);
    }

    /**
     * The local copy of a file at an http(s) URL, downloaded first if the cache does not hold it.
     * @param url the file's URL
     * @param sha256 the expected SHA-256 in hex, or {@code null} for none
     * @throws NemotronModelException if it cannot be downloaded or fails the check
     */
    public Path download(URI url, @Nullable String sha256) {
        if (url.getHost() == null) {
            throw new NemotronModelException("nemotron.model.uri names no host: " + url,
                    "write it as https://host/path/file.gguf");
        }
        String path = Objects.requireNonNullElse(url.getPath(), "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isBlank()) {
            name = "model.gguf";
        }
        String key = sha256Hex(url.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path target = this.settings.cacheDir().resolve("url").resolve(url.getHost()).resolve(key).resolve(name);
        return fetch(url.toString(), url, target, sha256);
    }

    private Path fetch(String label, URI source, Path target, @Nullable String configuredSha256) {
        String configured = normalizeSha256(configuredSha256);
        if (Files.isRegularFile(target)) {
            checkCached(label, target, configured);
            logger.info("Using the cached model " + target + " for " + label);
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
        }
        catch (IOException ex) {
            throw new NemotronModelException("cannot create the model cache directory " + target.getParent() + ": "
                    + ex.getMessage(), "point nemotron.model.cache-dir at a writable directory", ex);
        }
        Remote remote = probe(label, source);
        if (configured != null && remote.sha256() != null && !configured.equals(remote.sha256())) {
            throw new NemotronModelException(label + " has SHA-256 " + remote.sha256() + " on the server, but "
                    + "nemotron.model.sha256 expects " + configured,
                    "check that the reference names the file you mean, or update nemotron.model.sha256");
        }
        String expected = (configured != null) ? configured : remote.sha256();
        if (expected == null) {
            logger.warn("No SHA-256 is known for " + label + "; the download is checked for its length only. Set "
                    + "nemotron.model.sha256 to verify it");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Transfer transfer = new Transfer(label, remote, part);
        for (int attempt = 0;; attempt++) {
            try {
                transfer.run();
                break;
            }
            catch (IOException ex) {
                long have = transfer.partSize();
                if (attempt >= this.settings.retries()) {
                    throw new NemotronModelException("the download of " + label + " was interrupted at "
                            + Units.bytes(have) + (remote.size() != null ? " of " + Units.bytes(remote.size()) : "")
                            + ": " + ex.getMessage(), "start the application again: the download resumes from "
                                    + part + " where it stopped",
                            ex);
                }
                logger.warn("The download of " + label + " was interrupted at " + Units.bytes(have) + " ("
                        + ex.getMessage() + "); resuming, attempt " + (attempt + 2) + " of "
                        + (this.settings.retries() + 1));
                pause(attempt);
            }
        }
        String actual = transfer.sha256();
        if (expected != null && !expected.equals(actual)) {
            deleteQuietly(part);
            throw new NemotronModelException("the download of " + label + " has SHA-256 " + actual + " but "
                    + expected + " was expected; the file was deleted",
                    "start the application again to download it afresh; if this repeats, check the reference and "
                            + "nemotron.model.sha256");
        }
        try {
            Files.writeString(checksumFile(target), actual + "\n");
            moveIntoPlace(part, target);
        }
        catch (IOException ex) {
            throw new NemotronModelException("cannot move the download of " + label + " into place at " + target
                    + ": " + ex.getMessage(), "check the permissions of nemotron.model.cache-dir", ex);
        }
        logger.info("Downloaded " + label + " to " + target + " (" + Units.bytes(transfer.partSize())
                + ", SHA-256 " + actual + (expected == null ? ", not verified" : ", verified") + ")");
        return target;
    }

    /**
     * A cached file passed its check when it was downloaded; it is hashed again only when the configured checksum
     * is not the one it was checked against.
     */
    private void checkCached(String label, Path target, @Nullable String configured) {
        if (configured == null) {
            return;
        }
        Path checksumFile = checksumFile(target);
        try {
            String recorded = Files.isRegularFile(checksumFile) ? Files.readString(checksumFile).strip() : null;
            if (configured.equals(recorded)) {
                return;
            }
            logger.info("Checking the SHA-256 of the cached model " + target);
            String actual = sha256Of(target);
            if (!configured.equals(actual)) {
                throw new NemotronModelException("the cached model " + target + " for " + label + " has SHA-256 "
                        + actual + " but nemotron.model.sha256 expects " + configured,
                        "delete " + target + " to download it again, or correct nemotron.model.sha256");
            }
            Files.writeString(checksumFile, actual + "\n");
        }
        catch (IOException ex) {
            throw new NemotronModelException("cannot read the cached model " + target + ": " + ex.getMessage(),
                    "check the file's permissions, or delete it to download it again", ex);
        }
    }

    /** Asks where the file is served, how big it is and what checksum the server publishes, without its body. */
    private Remote probe(String label, URI source) {
        URI current = source;
        @Nullable String linkedSha256 = null;
        @Nullable Long linkedSize = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection connection = null;
            try {
                connection = open(current, "HEAD");
                int status = connection.getResponseCode();
                // The hub puts an LFS file's hash and size on the redirect, not on the storage response.
                linkedSha256 = firstNonNull(linkedSha256, sha256FromEtag(connection.getHeaderField("X-Linked-Etag")));
                linkedSize = firstNonNull(linkedSize, parseLong(connection.getHeaderField("X-Linked-Size")));
                if (status >= 300 && status < 400) {
                    String location = connection.getHeaderField("Location");
                    if (location == null) {
                        throw new NemotronModelException(label + ": HTTP " + status + " from " + current
                                + " without a Location header", "check nemotron.model.hub-url and the reference");
                    }
                    current = current.resolve(location);
                    if (linkedSize != null) {
                        // The hub has said all it knows; storage URLs are often signed for GET alone, so the
                        // probe stops here rather than sending them a HEAD.
                        return new Remote(current, linkedSize, linkedSha256);
                    }
                    continue;
                }
                if (status == 401 || status == 403) {
                    throw new NemotronModelException(label + " cannot be downloaded: HTTP " + status + " (access "
                            + "denied) from " + current,
                            "gated or private repositories need an access token in nemotron.model.hub-token; "
                                    + "check that it may read this repository");
                }
                if (status == 404) {
                    throw new NemotronModelException(label + " was not found: HTTP 404 from " + current,
                            "check the owner, repository, revision and file name of nemotron.model.uri");
                }
                if (status != 200) {
                    throw new NemotronModelException(label + " cannot be downloaded: HTTP " + status + " from "
                            + current, "check nemotron.model.uri and nemotron.model.hub-url, then try again");
                }
                String sha256 = firstNonNull(linkedSha256, sha256FromEtag(connection.getHeaderField("ETag")));
                Long size = firstNonNull(linkedSize, contentLength(connection));
                return new Remote(current, size, sha256);
            }
            catch (IOException ex) {
                throw new NemotronModelException("cannot reach " + current + " to download " + label + ": "
                        + ex.getMessage(),
                        "check the network, a proxy (https.proxyHost) or nemotron.model.hub-url; or download the "
                                + "file yourself and set nemotron.model.path",
                        ex);
            }
            finally {
                if (connection != null) {
                    connection.disconnect();
                }
            }
        }
        throw new NemotronModelException(label + ": more than " + MAX_REDIRECTS + " redirects",
                "check nemotron.model.hub-url");
    }

    private HttpURLConnection open(URI uri, String method) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setInstanceFollowRedirects(false);
        connection.setRequestMethod(method);
        connection.setConnectTimeout(Math.toIntExact(this.settings.connectTimeout().toMillis()));
        connection.setReadTimeout(Math.toIntExact(this.settings.readTimeout().toMillis()));
        connection.setRequestProperty("User-Agent", "nemotron4j");
        String token = this.settings.hubToken();
        if (token != null && !token.isBlank() && sameOrigin(uri, this.settings.hubUrl())) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        return connection;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost())) && port(a) == port(b);
    }

    private static @Nullable String lower(@Nullable String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(this.settings.retryBackoff().multipliedBy(attempt + 1L));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new NemotronModelException("interrupted while downloading the model",
                    "start the application again: the download resumes where it stopped", ex);
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException ex) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path checksumFile(Path target) {
        return target.resolveSibling(target.getFileName() + CHECKSUM_SUFFIX);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException ex) {
            logger.warn("Cannot delete " + path + ": " + ex.getMessage());
        }
    }

    /** The SHA-256 an ETag carries, or {@code null} when it is not one (the hub's non-LFS files carry a Git hash). */
    static @Nullable String sha256FromEtag(@Nullable String etag) {
        if (etag == null) {
            return null;
        }
        String value = etag.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "").toLowerCase(Locale.ROOT);
        return SHA256.matcher(value).matches() ? value : null;
    }

    /**
     * The configured checksum in lower-case hex, or {@code null} for none.
     * @throws NemotronModelException if it is not 64 hex digits
     */
    static @Nullable String normalizeSha256(@Nullable String sha256) {
        if (sha256 == null || sha256.isBlank()) {
            return null;
        }
        String value = sha256.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("sha256:")) {
            value = value.substring("sha256:".length());
        }
        if (!SHA256.matcher(value).matches()) {
            throw new NemotronModelException("nemotron.model.sha256 is not a SHA-256 (64 hex digits): " + sha256,
                    "copy the file's SHA-256 from the model page, or remove nemotron.model.sha256");
        }
        return value;
    }

    /** The SHA-256 of a file in hex. */
    static String sha256Of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java runtime has SHA-256", ex);
        }
    }

    private static @Nullable Long contentLength(HttpURLConnection connection) {
        long length = connection.getContentLengthLong();
        return length >= 0 ? length : null;
    }

    private static @Nullable Long parseLong(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    private static <T> @Nullable T firstNonNull(@Nullable T a, @Nullable T b) {
        return a != null ? a : b;
    }

    /** Where the bytes are, how many, and the checksum the server publishes. */
    private record Remote(URI contentUri, @Nullable Long size, @Nullable String sha256) {
    }

    /**
     * One file's transfer into its {@code .part} file, resumable: each run continues from the part's length and
     * hashes as it writes, so a finished download needs no second pass over the file.
     */
    private final class Transfer {

        private final String label;

        private final Remote remote;

        private final Path part;

        private final MessageDigest digest = newDigest();

        private long hashed = -1;

        private long nextProgressNanos;

        private final long startNanos = System.nanoTime();

        private long startBytes = -1;

        Transfer(String label, Remote remote, Path part) {
            this.label = label;
            this.remote = remote;
            this.part = part;
        }

        long partSize() {
            try {
                return Files.isRegularFile(this.part) ? Files.size(this.part) : 0;
            }
            catch (IOException ex) {
                return 0;
            }
        }

        String sha256() {
            return HexFormat.of().formatHex(this.digest.digest());
        }

        void run() throws IOException {
            long have = partSize();
            Long size = this.remote.size();
            if (size != null && have > size) {
                // Not a prefix of this file (it changed on the server?): start over.
                Files.delete(this.part);
                have = 0;
            }
            syncDigest(have);
            if (size != null && have == size) {
                return;
            }
            if (this.startBytes < 0) {
                this.startBytes = have;
                logger.info((have > 0 ? "Resuming the download of " : "Downloading ") + this.label + " from "
                        + this.remote.contentUri().getHost() + (size != null ? " (" + Units.bytes(size) + ")" : "")
                        + (have > 0 ? " at " + Units.bytes(have) : ""));
            }
            HttpURLConnection connection = open(this.remote.contentUri(), "GET");
            try {
                if (have > 0) {
                    connection.setRequestProperty("Range", "bytes=" + have + "-");
                }
                int status = connection.getResponseCode();
                boolean append;
                if (status == 206) {
                    Matcher m = CONTENT_RANGE_START.matcher(Objects.requireNonNullElse(
                            connection.getHeaderField("Content-Range"), ""));
                    if (!m.lookingAt() || Long.parseLong(m.group(1)) != have) {
                        throw new IOException("the server resumed at the wrong offset ("
                                + connection.getHeaderField("Content-Range") + ", expected " + have + ")");
                    }
                    append = true;
                }
                else if (status == 200) {
                    // The server ignored the range: what it sends is the whole file.
                    append = false;
                    have = 0;
                    this.digest.reset();
                    this.hashed = 0;
                }
                else if (status == 416) {
                    Files.deleteIfExists(this.part);
                    this.hashed = -1;
                    throw new IOException("the server refused to resume at " + have + " bytes (HTTP 416)");
                }
                else if (status >= 500) {
                    throw new IOException("HTTP " + status + " from " + this.remote.contentUri().getHost());
                }
                else {
                    throw new NemotronModelException(this.label + " cannot be downloaded: HTTP " + status + " from "
                            + this.remote.contentUri(), "check nemotron.model.uri, then try again");
                }
                long expectedBytes = connection.getContentLengthLong();
                long received = 0;
                try (InputStream in = connection.getInputStream();
                        OutputStream out = Files.newOutputStream(this.part, StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0;) {
                        out.write(buffer, 0, n);
                        this.digest.update(buffer, 0, n);
                        received += n;
                        this.hashed = have + received;
                        progress(have + received, size);
                    }
                }
                // Some stacks report a dropped connection as a normal end of stream; the length tells them apart.
                if (expectedBytes >= 0 && received < expectedBytes) {
                    throw new IOException("the connection closed after " + received + " of " + expectedBytes
                            + " bytes");
                }
                long total = have + received;
                if (size != null && total != size) {
                    throw new IOException("the download ended at " + total + " of " + size + " bytes");
                }
            }
            finally {
                connection.disconnect();
            }
        }

        /** Makes the digest cover exactly the first {@code have} bytes of the part file. */
        private void syncDigest(long have) throws IOException {
            if (have < 0 || this.hashed == have) {
                return;
            }
            this.digest.reset();
            if (have > 0) {
                try (InputStream in = Files.newInputStream(this.part)) {
                    byte[] buffer = new byte[1 << 20];
                    long left = have;
                    while (left > 0) {
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (n <= 0) {
                            throw new IOException("the partial download " + this.part + " shrank while reading it");
                        }
                        this.digest.update(buffer, 0, n);
                        left -= n;
                    }
                }
            }
            this.hashed = have;
        }

        private void progress(long bytes, @Nullable Long size) {
            long now = System.nanoTime();
            if (now < this.nextProgressNanos) {
                return;
            }
            this.nextProgressNanos = now + ModelDownloader.this.settings.progressInterval().toNanos();
            double seconds = Math.max(1e-9, (now - this.startNanos) / 1e9);
            double rate = (bytes - Math.max(0, this.startBytes)) / seconds;
            String percent = (size != null && size > 0) ? " (" + (100 * bytes / size) + "%)" : "";
            logger.info("Downloading " + this.label + ": " + Units.bytes(bytes)
                    + (size != null ? " of " + Units.bytes(size) : "") + percent + " at " + Units.bytes((long) rate)
                    + "/s");
        }
    }

    /**
     * How and where to download.
     *
     * @param cacheDir where downloaded models are kept
     * @param hubUrl the Hugging Face hub's base URL
     * @param hubToken an access token for gated or private repositories, or {@code null}
     * @param revision the revision of {@code hf://} references that name none
     * @param connectTimeout how long to wait for a connection
     * @param readTimeout how long a read may stall before the transfer counts as interrupted
     * @param retries how many times an interrupted download is resumed before start-up fails
     * @param retryBackoff the wait before the first resumption; later ones wait longer
     * @param progressInterval how often progress is logged
     */
    public record Settings(Path cacheDir, URI hubUrl, @Nullable String hubToken, String revision,
            Duration connectTimeout, Duration readTimeout, int retries, Duration retryBackoff,
            Duration progressInterval) {

        /** The public Hugging Face hub. */
        public static final URI DEFAULT_HUB_URL = URI.create("https://huggingface.co");

        /** Checks the settings. */
        public Settings {
            Assert.notNull(cacheDir, "cacheDir must not be null");
            Assert.notNull(hubUrl, "hubUrl must not be null");
            Assert.hasText(revision, "revision must not be empty");
            Assert.isTrue(retries >= 0, "retries must be 0 or more");
        }

        /** Defaults: the user's cache directory, the public hub, branch {@code main}, three resumptions. */
        public static Settings defaults() {
            return new Settings(defaultCacheDir(), DEFAULT_HUB_URL, null, "main", Duration.ofSeconds(30),
                    Duration.ofSeconds(60), 3, Duration.ofSeconds(1), Duration.ofSeconds(5));
        }

        /** {@code ~/.cache/nemotron4j/models}. */
        public static Path defaultCacheDir() {
            return Path.of(System.getProperty("user.home"), ".cache", "nemotron4j", "models");
        }
    }
}
