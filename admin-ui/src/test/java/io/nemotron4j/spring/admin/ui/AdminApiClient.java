package io.nemotron4j.spring.admin.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Sets the scene for a browser test through the admin API itself, as a script would: HTTP Basic as the admin user,
 * JSON in and out. Only what the test is about is then done in the browser.
 */
final class AdminApiClient {

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    private final String api;

    private final String credentials;

    /**
     * A client of the admin API of the application on the given port.
     * @param port the application's port
     */
    AdminApiClient(int port) {
        this.api = "http://127.0.0.1:" + port + "/nemotron/admin/api/";
        this.credentials = "Basic " + Base64.getEncoder()
            .encodeToString((DashboardTestApplication.ADMIN + ":" + DashboardTestApplication.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Creates a tenant and returns its id. */
    String createTenant(String name, String zone, Map<String, Object> limits) {
        return (String) send("POST", "tenants", Map.of("name", name, "timeZone", zone, "limits", limits), 201)
            .get("id");
    }

    /** Issues a key for a tenant. */
    void createKey(String tenantId, String name) {
        send("POST", "tenants/" + tenantId + "/keys", Map.of("name", name), 201);
    }

    /** Sends a playground request and reads its stream to the end; returns the HTTP status (200, or 429 refused). */
    int play(Map<String, Object> request) {
        HttpResponse<String> response = exchange("POST", "playground", request);
        if (response.statusCode() != 200 && response.statusCode() != 429) {
            throw new AssertionError("playground: " + response.statusCode() + " " + response.body());
        }
        return response.statusCode();
    }

    private Map<?, ?> send(String method, String path, Object body, int expected) {
        HttpResponse<String> response = exchange(method, path, body);
        if (response.statusCode() != expected) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return json.readValue(response.body(), Map.class);
    }

    private HttpResponse<String> exchange(String method, String path, Object body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(this.api + path))
            .header("Authorization", this.credentials)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build();
        try {
            return this.http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
