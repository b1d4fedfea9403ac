package io.calltrack.support;

import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Requests written byte by byte to the test server's socket, for what HTTP clients refuse to send: malformed
 * %-escapes, no Host header, control bytes in the request line.
 */
public final class RawHttp {

    /** Status code and body of a raw response. */
    public record Answer(int status, String head, String body) {
    }

    private RawHttp() {
    }

    /** Sends {@code request} (request line and headers, CRLF-separated, without the final blank line). */
    public static Answer send(String request) {
        return sendFrom(null, request, "");
    }

    /**
     * Sends {@code request} with {@code requestBody} (UTF-8, its Content-Length added) from a local address of the
     * loopback range other than 127.0.0.1 ({@code null}: any), as a client the service does not trust would.
     */
    public static Answer sendFrom(String localAddress, String request, String requestBody) {
        try (Socket socket = new Socket()) {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            byte[] content = requestBody.getBytes(StandardCharsets.UTF_8);
            String length = content.length == 0 ? "" : "\r\nContent-Length: " + content.length;
            out.write((request + length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            return new Answer(Integer.parseInt(head.split(" ")[1]), head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
