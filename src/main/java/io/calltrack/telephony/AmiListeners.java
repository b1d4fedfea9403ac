package io.calltrack.telephony;

import io.calltrack.call.CallWriter;
import io.calltrack.config.ConfigApplied;
import io.calltrack.config.PbxSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One AMI link per PBX in number-pool.yaml, started when the configuration is applied (at boot and on each
 * reload: a PBX added, removed or changed is connected, dropped or reconnected; the others are left alone).
 */
@ApplicationScoped
public class AmiListeners {

    private final CallWriter writer;
    private final PbxLock lock;
    private final CdrGapFill gapFill;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final AmiConfig settings;
    private final Map<String, PbxLink> links = new ConcurrentHashMap<>();

    AmiListeners(CallWriter writer, PbxLock lock, CdrGapFill gapFill, Clock clock, MeterRegistry metrics, AmiConfig settings) {
        this.writer = writer;
        this.lock = lock;
        this.gapFill = gapFill;
        this.clock = clock;
        this.metrics = metrics;
        this.settings = settings;
    }

    void onConfigApplied(@ObservesAsync ConfigApplied applied) {
        apply(applied.file().pbxes());
    }

    synchronized void apply(List<PbxSpec> pbxes) {
        Map<String, PbxSpec> wanted = new HashMap<>();
        pbxes.forEach(p -> wanted.put(p.id(), p));
        links.values().removeIf(link -> {
            boolean gone = !link.pbx().equals(wanted.get(link.pbx().id()));
            if (gone) {
                link.stop();
            }
            return gone;
        });
        wanted.values().forEach(p -> links.computeIfAbsent(p.id(), id ->
                new PbxLink(p, settings, new AssemblyLine(p, writer, settings.queue()), lock, gapFill, clock, metrics)));
    }

    /** Each PBX link's state, for health and the admin API. */
    public Map<String, PbxStatus> status() {
        Map<String, PbxStatus> out = new TreeMap<>();
        links.forEach((id, link) -> out.put(id, new PbxStatus(link.state().name().toLowerCase(Locale.ROOT),
                link.lastError(), link.failedAttempts(), link.retryDelay().toMillis(), link.line().queued(), link.eventCount(),
                link.connectCount(), link.upSince(), link.lastEventAt())));
        return out;
    }

    /**
     * @param failedAttempts attempts since the last good connection; retryDelayMs the wait before the latest
     *                       reconnect attempt; queued events not yet assembled; events and connects since this
     *                       replica started
     */
    public record PbxStatus(String state, String lastError, int failedAttempts, long retryDelayMs, int queued, long events,
                            long connects, Instant upSince, Instant lastEventAt) {
    }

    @Scheduled(every = "${calltrack.ami.sweep-every}", delayed = "1m")
    void sweep() {
        links.values().forEach(link -> link.line().sweep(clock.instant().minus(settings.maxCallLength())));
    }

    void onStop(@Observes ShutdownEvent event) {
        links.values().forEach(PbxLink::stop);
        links.clear();
    }
}
