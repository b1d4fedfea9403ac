package io.calltrack.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A customer's website on its own origin (http://127.0.0.1:PORT): serves the pages under
 * src/test/resources/pages with {{SCRIPT}} replaced by the tracker's script URL, and /dead-api.js, the
 * site's script as the tracker serves it but pointing at an API that does not answer.
 */
public final class CustomerSite implements AutoCloseable {

    private final HttpServer server;
    private final String scriptUrl;

    public CustomerSite(String scriptUrl) {
        this.scriptUrl = scriptUrl;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            String type = "text/html; charset=utf-8";
            int status = 200;
            if (path.equals("/favicon.ico")) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            if (path.equals("/dead-api.js")) {
                body = deadApiScript().getBytes(StandardCharsets.UTF_8);
                type = "text/javascript";
            } else {
                String page = path.startsWith("/spa") ? "spa.html" : path.substring(path.lastIndexOf('/') + 1);
                String html = page(page.isEmpty() ? "plain.html" : page);
                if (html == null) {
                    status = 404;
                    html = "not found";
                }
                body = html.replace("{{SCRIPT}}", exchange.getRequestURI().getQuery() != null
                        && exchange.getRequestURI().getQuery().contains("dead") ? "/dead-api.js" : scriptUrl)
                        .replace("{{API}}", api())
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The tracker's origin, as the embed code's preconnect hint names it. */
    public String api() {
        return scriptUrl.substring(0, scriptUrl.indexOf("/s/"));
    }

    public String url(String page) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + page;
    }

    private static String page(String name) throws IOException {
        try (InputStream in = CustomerSite.class.getResourceAsStream("/pages/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The real script with its API pointed at a closed port: what a visitor sees when the tracker is down. */
    private String deadApiScript() throws IOException {
        try {
            String script = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(scriptUrl)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return script.replace("\"api\":\"" + api() + "\"", "\"api\":\"http://127.0.0.1:9\"");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
