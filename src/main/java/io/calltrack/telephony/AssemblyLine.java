package io.calltrack.telephony;

import io.calltrack.call.CallWriter;
import io.calltrack.config.PbxSpec;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One PBX's events turned into calls in the order they arrived, on a thread of its own (the assembler is
 * plain in-memory state), and the changed calls handed to the writer. Bounded: when the writer is full
 * (database down a long while) this line waits, its queue fills, and the AMI reader blocks, which leaves
 * the rest of the events in the socket's buffers instead of dropping them.
 */
final class AssemblyLine {

    private static final Logger LOG = Logger.getLogger(AssemblyLine.class);

    private final PbxSpec pbx;
    private final CallAssembler assembler;
    private final CallWriter writer;
    private final BlockingQueue<Runnable> queue;
    private final Thread thread;
    private volatile boolean running = true;

    AssemblyLine(PbxSpec pbx, CallWriter writer, int capacity) {
        this.pbx = pbx;
        this.assembler = new CallAssembler(pbx);
        this.writer = writer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "calls-" + pbx.id());
        thread.setDaemon(true);
        thread.start();
    }

    /** Blocks while the line is full. */
    void accept(AmiEvent event) throws InterruptedException {
        queue.put(() -> assembler.accept(event).ifPresent(writer::submit));
    }

    /** After a reconnect: see {@link CallAssembler#resync}. Runs after every event received before it. */
    void resync(List<AmiEvent> liveChannels, Instant lostAt) throws InterruptedException {
        queue.put(() -> assembler.resync(liveChannels, lostAt).forEach(writer::submit));
    }

    /** Closes calls whose hang-up never came; skipped when the line is busy (the next sweep catches up). */
    void sweep(Instant startedBefore) {
        queue.offer(() -> assembler.sweep(startedBefore).forEach(call -> {
            LOG.warnf("PBX %s: call %s had no hang-up after its maximum length; closed as incomplete", pbx.id(),
                    call.linkedid());
            writer.submit(call);
        }));
    }

    int queued() {
        return queue.size();
    }

    void stop() {
        running = false;
        thread.interrupt();
    }

    private void run() {
        while (running) {
            try {
                Runnable next = queue.poll(1, TimeUnit.SECONDS);
                if (next == null) {
                    continue;
                }
                while (writer.isFull() && running) {
                    Thread.sleep(5);
                }
                next.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "PBX %s: an event could not be assembled", pbx.id());
            }
        }
    }
}
