package dev.byok.service;

/**
 * A loop this service runs on its own thread (a consumer, an engine, a topic view). If one dies the
 * service cannot heal itself: {@link LoopsLiveness} reports DOWN and Kubernetes restarts the pod.
 */
public interface LiveLoop {
    /** Names the loop in the liveness report, e.g. {@code ingest}. */
    String loopName();

    /** False once the loop's thread has ended while the service still runs. */
    boolean alive();
}
