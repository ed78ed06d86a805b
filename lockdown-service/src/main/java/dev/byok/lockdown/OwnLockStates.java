package dev.byok.lockdown;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The lock-state records this engine sent and has not yet read back, per tenant, so that a record
 * on the topic that it did not write (another principal's, or a tombstone) is recognised. Kafka
 * keeps one producer's records in order within a partition, so reading one of ours back also
 * accounts for every earlier one still held. At most {@value #MAX_IN_FLIGHT} per tenant are held.
 */
final class OwnLockStates {
    static final int MAX_IN_FLIGHT = 64;
    private static final byte[] TOMBSTONE = new byte[0];

    private final Map<String, Deque<byte[]>> inFlight = new HashMap<>();

    /** Remembers a record this engine sends; {@code value} null for a tombstone. */
    void sent(String tenantId, byte[] value) {
        Deque<byte[]> sent = inFlight.computeIfAbsent(tenantId, t -> new ArrayDeque<>());
        if (sent.size() == MAX_IN_FLIGHT) {
            sent.removeFirst();
        }
        sent.addLast(value == null ? TOMBSTONE : value);
    }

    /** Whether a record read back is one this engine sent (and forgets it and everything sent before it). */
    boolean readBack(String tenantId, byte[] value) {
        Deque<byte[]> sent = inFlight.get(tenantId);
        if (sent == null) {
            return false;
        }
        byte[] read = value == null ? TOMBSTONE : value;
        int position = 0;
        for (Iterator<byte[]> it = sent.iterator(); it.hasNext(); position++) {
            if (Arrays.equals(it.next(), read)) {
                for (int i = 0; i <= position; i++) {
                    sent.removeFirst();
                }
                return true;
            }
        }
        return false;
    }

    void forget(Collection<String> tenantIds) {
        tenantIds.forEach(inFlight::remove);
    }
}
