package io.nemotron4j.spring.model;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the Hugging Face hub, on 127.0.0.1 only: {@code /<owner>/<repo>/resolve/<rev>/<file>}
 * answers like the hub does for a Git LFS file (a 302 to a storage host carrying {@code X-Linked-Etag} and
 * {@code X-Linked-Size}); the storage path serves the bytes with range support. It can drop a transfer halfway,
 * ignore ranges, publish a wrong checksum, or refuse access, and it records every request.
 */
final class FakeHub implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String method, String path, String range, String authorization, String host) {
    }

    private final HttpServer server;

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    private final Map<String, String> publishedSha256 = new ConcurrentHashMap<>();

    final List<Request> requests = new CopyOnWriteArrayList<>();

    /** Transfers to cut short: each one sends only this many bytes, then closes the connection. */
    final AtomicInteger dropsLeft = new AtomicInteger();

    volatile int dropAfterBytes;

    volatile boolean ignoreRanges;

    volatile String requiredToken;

    /** Where the hub redirects downloads; another origin than the hub's by default, as on the real hub. */
    volatile String storageBase;

    FakeHub() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.createContext("/", this::handle);
        this.server.start();
        this.storageBase = "http://localhost:" + port();
    }

    int port() {
        return this.server.getAddress().getPort();
    }

    /** The hub's base URL. */
    URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Publishes a file at {@code owner/repo} (revision {@code main}) with its true checksum. */
    void publish(String repoPath, byte[] content) {
        this.files.put(repoPath, content);
        this.publishedSha256.put(repoPath, sha256(content));
    }

    /** Makes the hub announce another checksum than the file's. */
    void announceChecksum(String repoPath, String sha256) {
        this.publishedSha256.put(repoPath, sha256);
    }

    List<Request> gets() {
        return this.requests.stream().filter(r -> r.method().equals("GET")).toList();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static final Pattern RESOLVE = Pattern.compile("/([^/]+)/([^/]+)/resolve/([^/]+)/(.+)");

    private static final Pattern STORAGE = Pattern.compile("/storage/(.+)");

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        this.requests.add(new Request(exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("Range"), exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Host")));
        try (exchange) {
            Matcher resolve = RESOLVE.matcher(path);
            Matcher storage = STORAGE.matcher(path);
            if (resolve.matches()) {
                resolve(exchange, resolve.group(1) + "/" + resolve.group(2), resolve.group(3), resolve.group(4));
            }
            else if (storage.matches()) {
                serve(exchange, storage.group(1));
            }
            else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void resolve(HttpExchange exchange, String repo, String revision, String file) throws IOException {
        if (this.requiredToken != null
                && !("Bearer " + this.requiredToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.sendResponseHeaders(401, -1);
            return;
        }
        String key = repo + "/" + file;
        byte[] content = this.files.get(key);
        if (content == null || !revision.equals("main")) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + this.publishedSha256.get(key) + "\"");
        exchange.getResponseHeaders().add("X-Linked-Size", String.valueOf(content.length));
        exchange.getResponseHeaders().add("ETag", "W/\"0123456789abcdef0123456789abcdef01234567\"");
        exchange.getResponseHeaders().add("Location", this.storageBase + "/storage/" + key);
        exchange.sendResponseHeaders(302, -1);
    }

    private void serve(HttpExchange exchange, String key) throws IOException {
        byte[] content = this.files.get(key);
        if (content == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        int from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher m = (range == null) ? null : RANGE.matcher(range);
        boolean partial = m != null && m.matches() && !this.ignoreRanges;
        if (partial) {
            from = Integer.parseInt(m.group(1));
            if (from >= content.length) {
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders()
                .add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
        int length = content.length - from;
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().add("Content-Length", String.valueOf(length));
            exchange.sendResponseHeaders(partial ? 206 : 200, -1);
            return;
        }
        exchange.sendResponseHeaders(partial ? 206 : 200, length);
        OutputStream body = exchange.getResponseBody();
        if (this.dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            body.write(content, from, Math.min(this.dropAfterBytes, length));
            body.flush();
            // Closing the exchange before the promised length ends the connection mid-transfer.
            return;
        }
        body.write(content, from, length);
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
