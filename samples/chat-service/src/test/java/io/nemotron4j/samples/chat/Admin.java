package io.nemotron4j.samples.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The governance admin API over real HTTP, signed in as the built-in admin, as the README's curl commands use it. */
final class Admin {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;

    private final String api;

    private final String authorization;

    Admin(HttpClient http, int port, String password) {
        this.http = http;
        this.api = "http://localhost:" + port + "/nemotron/admin/api";
        this.authorization = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Creates a tenant from its JSON and returns its id. */
    String createTenant(String json) throws IOException, InterruptedException {
        return created(send("POST", "/tenants", json)).get("id").asString();
    }

    /** Issues a key for the tenant and returns its secret. */
    String issueKey(String tenantId, String name) throws IOException, InterruptedException {
        return created(send("POST", "/tenants/" + tenantId + "/keys", "{\"name\": \"" + name + "\"}"))
            .get("secret").asString();
    }

    /** Sends a request to the admin API. */
    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.api + path))
            .header("Authorization", this.authorization)
            .timeout(Duration.ofSeconds(30));
        if (json != null) {
            request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

}
