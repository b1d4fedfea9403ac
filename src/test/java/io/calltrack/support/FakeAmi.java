package io.calltrack.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A stand-in for Asterisk's manager interface at the protocol level: the banner, MD5 challenge login,
 * CoreSettings, Ping, CoreShowChannels (the channels its replayed events left up) and Logoff, each answered
 * with the client's ActionID, and events written as Asterisk writes them. Asterisk-Java connects to it as to
 * a real PBX. One per test JVM, on {@link #PORT} (the test number-pool.yaml points its PBX there).
 */
public final class FakeAmi {

    public static final int PORT = freePort();
    public static final String USERNAME = "calltrack";
    public static final String SECRET = "amisecret";
    private static final String CHALLENGE = "840415273";
    private static FakeAmi instance;

    private final ServerSocket server;
    private final Map<String, Map<String, String>> liveChannels = new LinkedHashMap<>();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger replays = new AtomicInteger();
    private volatile Socket client;
    private volatile OutputStream out;
    private volatile boolean refuseLogins;
    /** CoreShowChannel events (as recorded) to answer the next CoreShowChannels with, instead of the tracked channels. */
    private List<String> recordedChannels;
    /** The connected client's Filter actions: with any, only events one matches are sent (as Asterisk does). */
    private final List<java.util.regex.Pattern> filters = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.regex.Pattern> excluded = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FakeAmi() throws IOException {
        server = new ServerSocket(PORT, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fake-ami");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static synchronized FakeAmi instance() {
        if (instance == null) {
            try {
                instance = new FakeAmi();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Waits until a client is logged in on a socket still open. */
    public void awaitConnected(Duration timeout) throws InterruptedException {
        await(() -> client != null, "no AMI client connected", timeout);
    }

    /** Successful logins so far. */
    public int logins() {
        return logins.get();
    }

    /** Waits until a client has logged in more than {@code after} times in all. */
    public void awaitLogin(int after, Duration timeout) throws InterruptedException {
        await(() -> logins.get() > after, "no AMI login", timeout);
    }

    private static void await(BooleanSupplier done, String failure, Duration timeout)
            throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(failure + " within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    public void refuseLogins(boolean refuse) {
        this.refuseLogins = refuse;
    }

    /** Closes the client's socket, as a PBX restart or a network cut does. */
    public void drop() throws IOException {
        Socket c = client;
        if (c != null) {
            c.close();
        }
    }

    /** A prefix for {@link #ids}, unique in this run. */
    public String freshSystemName() {
        return "replay" + replays.incrementAndGet() + "x" + System.nanoTime() % 100_000 + "-";
    }

    /**
     * Ids as Asterisk writes them with {@code systemname} set (SYSTEM-1795371676.1), so the same recording
     * can be replayed as a new call.
     */
    public static UnaryOperator<String> ids(String system) {
        return text -> text.replaceAll("(?m)^((?:Dest)?(?:Uniqueid|Linkedid|UniqueID)): (\\d{9,11}\\.\\d+)$",
                "$1: " + system + "$2");
    }

    /**
     * The next CoreShowChannels is answered with these recorded CoreShowChannel events (their ActionID set to the
     * request's): the channels a real Asterisk listed when a listener connected in the middle of a call.
     */
    public synchronized void answerNextCoreShowChannels(List<String> channels) {
        recordedChannels = channels;
    }

    /** The channel hung up while no client was connected: CoreShowChannels no longer lists it. */
    public synchronized void hangUpUnseen(String linkedid) {
        liveChannels.values().removeIf(c -> linkedid.equals(c.get("Linkedid")));
    }

    /** The recording's events (not its responses), rewritten, ready for {@link #send}. */
    public static List<String> events(AmiTranscript transcript, UnaryOperator<String> rewrite) {
        return transcript.messages().stream().filter(AmiTranscript.Message::isEvent).map(m -> rewrite.apply(m.text()))
                .toList();
    }

    /** Sends the recording's events as fast as the socket takes them. */
    public void play(AmiTranscript transcript, UnaryOperator<String> rewrite) throws IOException {
        for (String event : events(transcript, rewrite)) {
            send(event);
        }
    }

    /** Sends the recording's events at the pace they were recorded; blocks until the last is sent. */
    public void playInRealTime(AmiTranscript transcript, UnaryOperator<String> rewrite) throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (AmiTranscript.Message m : transcript.messages()) {
            if (m.isEvent()) {
                long due = start + (long) (m.at() * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                send(rewrite.apply(m.text()));
            }
        }
    }

    /** Writes one message (blank-line terminated) to the connected client. */
    public void send(String message) throws IOException {
        sendBatch(List.of(message));
    }

    /** Writes many messages at once (one socket write), as a busy PBX does. */
    public synchronized void sendBatch(List<String> messages) throws IOException {
        for (String m : messages) {
            if (m.startsWith("Event: Newchannel") || m.startsWith("Event: Hangup")) {
                track(AmiTranscript.headers(m));
            }
        }
        sendPrepared(prepare(messages));
    }

    /**
     * Load generation: the messages the connected client's filters let through, as the bytes to write, so a
     * benchmark can render its traffic before the clock starts. Sent with {@link #sendPrepared}, they are not
     * tracked for CoreShowChannels.
     */
    public byte[] prepare(List<String> messages) {
        StringBuilder all = new StringBuilder();
        for (String m : messages) {
            if (passes(m)) {
                all.append(m);
            }
        }
        return all.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes what {@link #prepare} rendered, in one socket write. */
    public synchronized void sendPrepared(byte[] messages) throws IOException {
        OutputStream o = out;
        if (o == null) {
            throw new IOException("no AMI client connected");
        }
        o.write(messages);
        o.flush();
    }

    /** As Asterisk applies Filter actions: an event must match one filter (if any), then no '!' filter. */
    private boolean passes(String event) {
        return (filters.isEmpty() || filters.stream().anyMatch(f -> f.matcher(event).find()))
                && excluded.stream().noneMatch(f -> f.matcher(event).find());
    }

    /** Channels still up after what was sent: what CoreShowChannels lists. */
    private synchronized void track(Map<String, String> event) {
        String channel = event.get("Channel");
        if ("Newchannel".equals(event.get("Event"))) {
            liveChannels.put(channel, event);
        } else if ("Hangup".equals(event.get("Event"))) {
            liveChannels.remove(channel);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "fake-ami-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            OutputStream o = s.getOutputStream();
            o.write("Asterisk Call Manager/11.0.0\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            Map<String, String> action = new LinkedHashMap<>();
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        action.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
                    }
                    continue;
                }
                if (!answer(s, o, action)) {
                    return;
                }
                action = new LinkedHashMap<>();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            synchronized (this) {
                if (client == s) {
                    client = null;
                    out = null;
                }
            }
        }
    }

    /** @return false when the connection is to be closed */
    private boolean answer(Socket s, OutputStream o, Map<String, String> action) throws IOException {
        String id = "ActionID: " + action.getOrDefault("actionid", "") + "\r\n";
        String name = action.getOrDefault("action", "").toLowerCase();
        switch (name) {
            case "challenge" -> write(o, "Response: Success\r\n" + id + "Challenge: " + CHALLENGE + "\r\n\r\n");
            case "login" -> {
                boolean ok = !refuseLogins && USERNAME.equals(action.get("username"))
                        && md5(CHALLENGE + SECRET).equals(action.get("key"));
                if (!ok) {
                    write(o, "Response: Error\r\n" + id + "Message: Authentication failed\r\n\r\n");
                    return false;
                }
                write(o, "Response: Success\r\n" + id + "Message: Authentication accepted\r\n\r\n");
                write(o, "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 16\r\nLastReload: 16\r\n"
                        + "Status: Fully Booted\r\n\r\n");
            }
            case "coresettings" -> write(o, "Response: Success\r\n" + id + "AMIversion: 11.0.0\r\n"
                    + "AsteriskVersion: 22.10.1\r\nSystemName: \r\nCoreMaxCalls: 0\r\nCoreMaxLoadAvg: 0.000000\r\n"
                    + "CoreRunUser: asterisk\r\nCoreRunGroup: asterisk\r\nCoreMaxFilehandles: 0\r\n"
                    + "CoreRealTimeEnabled: No\r\nCoreCDRenabled: Yes\r\nCoreHTTPenabled: No\r\n\r\n");
            case "filter" -> {
                String filter = action.getOrDefault("filter", "");
                if (filter.startsWith("!")) {
                    excluded.add(java.util.regex.Pattern.compile(filter.substring(1)));
                } else {
                    filters.add(java.util.regex.Pattern.compile(filter));
                }
                write(o, "Response: Success\r\n" + id + "Message: Filter Added Successfully\r\n\r\n");
            }
            case "ping" -> write(o, "Response: Success\r\n" + id + "Ping: Pong\r\nTimestamp: 1795371676.000000\r\n\r\n");
            case "coreshowchannels" -> showChannels(o, id);
            case "logoff" -> {
                write(o, "Response: Goodbye\r\n" + id + "Message: Thanks for all the fish.\r\n\r\n");
                return false;
            }
            default -> write(o, "Response: Error\r\n" + id + "Message: Invalid/unknown command\r\n\r\n");
        }
        if ("login".equals(name)) {
            synchronized (this) {
                client = s;
                out = o;
                filters.clear();
                excluded.clear();
            }
            logins.incrementAndGet();
        }
        return true;
    }

    private synchronized void showChannels(OutputStream o, String id) throws IOException {
        StringBuilder b = new StringBuilder("Response: Success\r\n" + id + "EventList: start\r\n"
                + "Message: Channels will follow\r\n\r\n");
        if (recordedChannels != null) {
            for (String c : recordedChannels) {
                b.append(c.replaceFirst("ActionID: [^\r]*\r\n", java.util.regex.Matcher.quoteReplacement(id)));
            }
            b.append("Event: CoreShowChannelsComplete\r\n").append(id).append("EventList: Complete\r\nListItems: ")
                    .append(recordedChannels.size()).append("\r\n\r\n");
            recordedChannels = null;
            write(o, b.toString());
            return;
        }
        for (Map<String, String> c : liveChannels.values()) {
            b.append("Event: CoreShowChannel\r\n").append(id);
            for (String h : List.of("Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName",
                    "ConnectedLineNum", "ConnectedLineName", "Language", "AccountCode", "Context", "Exten", "Priority",
                    "Uniqueid", "Linkedid")) {
                b.append(h).append(": ").append(c.getOrDefault(h, "")).append("\r\n");
            }
            b.append("BridgeId: \r\nApplication: Dial\r\nApplicationData: \r\nDuration: 00:00:02\r\n\r\n");
        }
        b.append("Event: CoreShowChannelsComplete\r\n").append(id).append("EventList: Complete\r\nListItems: ")
                .append(liveChannels.size()).append("\r\n\r\n");
        write(o, b.toString());
    }

    private synchronized void write(OutputStream o, String text) throws IOException {
        o.write(text.getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
