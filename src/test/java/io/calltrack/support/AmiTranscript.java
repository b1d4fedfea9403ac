package io.calltrack.support;

import io.calltrack.telephony.AmiEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded AMI session of a real Asterisk, kept in the test resources (ami/, see its README): every byte
 * Asterisk sent (NAME.ami.txt) and when each recv() returned (NAME.ami.txt.timing), so events can be
 * replayed with their real arrival times.
 */
public final class AmiTranscript {

    private final byte[] bytes;
    private final List<double[]> recvs = new ArrayList<>();

    public AmiTranscript(String name) {
        try {
            bytes = resource(name + ".ami.txt");
            for (String line : new String(resource(name + ".ami.txt.timing"), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                recvs.add(new double[]{Double.parseDouble(f[0]), Long.parseLong(f[1]) + Long.parseLong(f[2])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("AMI fixture " + name, e);
        }
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = AmiTranscript.class.getResourceAsStream("/ami/" + file)) {
            if (in == null) {
                throw new IOException("no test resource ami/" + file);
            }
            return in.readAllBytes();
        }
    }

    /** The raw bytes, as a protocol-level fake server sends them. */
    public byte[] bytes() {
        return bytes;
    }

    /** One AMI message as sent: its bytes (blank-line terminated), headers, and seconds after connect. */
    public record Message(String text, Map<String, String> headers, double at) {
        public boolean isEvent() {
            return headers.containsKey("Event");
        }
    }

    /** Every message after the banner line, responses included, in order. */
    public List<Message> messages() {
        List<Message> out = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // byte offsets == char offsets
        int at = text.indexOf("\r\n") + 2; // after the banner line
        while (at < text.length()) {
            int end = text.indexOf("\r\n\r\n", at);
            if (end < 0) {
                break;
            }
            String message = new String(bytes, at, end + 4 - at, StandardCharsets.UTF_8);
            out.add(new Message(message, headers(message), arrival(end + 4)));
            at = end + 4;
        }
        return out;
    }

    /** The events (not responses) in order, each stamped with start + the time its last byte arrived. */
    public List<AmiEvent> events(Instant start) {
        return messages().stream().filter(Message::isEvent)
                .map(m -> new AmiEvent(m.headers().get("Event"), m.headers(), start.plusNanos(Math.round(m.at() * 1e9))))
                .toList();
    }

    public static Map<String, String> headers(String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                headers.put(line.substring(0, colon), line.substring(colon + 2));
            } else if (line.endsWith(":")) {
                headers.put(line.substring(0, line.length() - 1), "");
            }
        }
        return headers;
    }

    private double arrival(long byteEnd) {
        for (double[] r : recvs) {
            if (r[1] >= byteEnd) {
                return r[0];
            }
        }
        return recvs.get(recvs.size() - 1)[0];
    }
}
