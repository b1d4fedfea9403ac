package io.calltrack.support;

import io.calltrack.telephony.AmiEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded AMI session from ../shared/fixtures/ami: every byte Asterisk sent (NAME.ami.txt) and when each
 * recv() returned (NAME.ami.txt.timing), so events can be replayed with their real arrival times.
 */
public final class AmiTranscript {

    public static final Path FIXTURES = Path.of("../shared/fixtures/ami");

    private final byte[] bytes;
    private final List<double[]> recvs = new ArrayList<>();

    public AmiTranscript(String name) {
        try {
            bytes = Files.readAllBytes(FIXTURES.resolve(name + ".ami.txt"));
            for (String line : Files.readAllLines(FIXTURES.resolve(name + ".ami.txt.timing"))) {
                String[] f = line.split("\t");
                recvs.add(new double[]{Double.parseDouble(f[0]), Long.parseLong(f[1]) + Long.parseLong(f[2])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name + " (../shared/fixtures/ami beside the repo)", e);
        }
    }

    /** The raw bytes, as a protocol-level fake server sends them. */
    public byte[] bytes() {
        return bytes;
    }

    /** The events (not responses) in order, each stamped with start + the time its last byte arrived. */
    public List<AmiEvent> events(Instant start) {
        List<AmiEvent> out = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // byte offsets == char offsets
        int at = text.indexOf("\r\n") + 2; // after the banner line
        while (at < text.length()) {
            int end = text.indexOf("\r\n\r\n", at);
            if (end < 0) {
                break;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : new String(bytes, at, end - at, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    headers.put(line.substring(0, colon), line.substring(colon + 2));
                } else if (line.endsWith(":")) {
                    headers.put(line.substring(0, line.length() - 1), "");
                }
            }
            if (headers.containsKey("Event")) {
                out.add(new AmiEvent(headers.get("Event"), headers, start.plusNanos(Math.round(arrival(end + 4) * 1e9))));
            }
            at = end + 4;
        }
        return out;
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
