package io.nemotron4j.spring.governance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a free loopback port that records the bodies posted to it and answers each post with the
 * next scripted status (200 once the script is used up).
 */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;

    private final List<String> posts = new ArrayList<>();

    private final Deque<Integer> statuses = new ArrayDeque<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    static WebhookReceiver start(Integer... statuses) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookReceiver receiver = new WebhookReceiver(server);
        receiver.statuses.addAll(List.of(statuses));
        server.createContext("/alerts", (exchange) -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int status;
                synchronized (receiver) {
                    receiver.posts.add(exchange.getRequestMethod() + " "
                            + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
                    status = receiver.statuses.isEmpty() ? 200 : receiver.statuses.poll();
                    receiver.notifyAll();
                }
                exchange.sendResponseHeaders(status, -1);
            }
            finally {
                exchange.close();
            }
        });
        server.start();
        return receiver;
    }

    URI url() {
        return URI.create("http://" + this.server.getAddress().getHostString() + ":" + this.server.getAddress().getPort()
                + "/alerts");
    }

    /** Each post as "METHOD content-type body". */
    synchronized List<String> posts() {
        return List.copyOf(this.posts);
    }

    /** Waits until at least {@code count} posts arrived or the time is up, then returns all of them. */
    synchronized List<String> awaitPosts(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.posts.size() < count && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return List.copyOf(this.posts);
    }

    @Override
    public void close() {
        this.server.stop(0);
    }

}
