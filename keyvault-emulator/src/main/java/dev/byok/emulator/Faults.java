package dev.byok.emulator;

/**
 * The faults injected into one vault, replaced as a whole through the admin API.
 *
 * @param firewallBlocked  every request gets 403 ForbiddenByFirewall
 * @param unreachable      {@code NONE}; {@code REFUSE}: the port is closed (connection refused);
 *                         {@code SILENT}: connections are accepted and never answered
 * @param latencyMs        added before every answer
 * @param throttleRetryAfterSeconds when set, every request gets 429 with this Retry-After
 * @param opsPer10s        when set, an Azure-like budget: requests beyond it in any 10 s get 429
 * @param serverErrors     the next N requests get 500 (-1: all of them)
 * @param rejectTokens     every bearer token is refused with 401
 */
public record Faults(
        boolean firewallBlocked,
        Unreachable unreachable,
        int latencyMs,
        Integer throttleRetryAfterSeconds,
        Integer opsPer10s,
        int serverErrors,
        boolean rejectTokens) {
    public static final Faults NONE = new Faults(false, Unreachable.NONE, 0, null, null, 0, false);

    public enum Unreachable {
        NONE,
        REFUSE,
        SILENT
    }

    public Faults {
        unreachable = unreachable == null ? Unreachable.NONE : unreachable;
    }

    /** Every request gets 403 ForbiddenByFirewall. */
    public static Faults blockedByFirewall() {
        return new Faults(true, Unreachable.NONE, 0, null, null, 0, false);
    }

    /** The vault cannot be reached: its port is closed ({@code REFUSE}), or it never answers ({@code SILENT}). */
    public static Faults unreachable(Unreachable how) {
        return new Faults(false, how, 0, null, null, 0, false);
    }

    /** Every answer comes {@code ms} late. */
    public static Faults latency(int ms) {
        return new Faults(false, Unreachable.NONE, ms, null, null, 0, false);
    }

    /** Every request gets 429 with this Retry-After. */
    public static Faults throttled(int retryAfterSeconds) {
        return new Faults(false, Unreachable.NONE, 0, retryAfterSeconds, null, 0, false);
    }

    /** An Azure-like budget: requests beyond {@code opsPer10s} in any 10 s get 429. */
    public static Faults budget(int opsPer10s) {
        return new Faults(false, Unreachable.NONE, 0, null, opsPer10s, 0, false);
    }

    /** The next {@code count} requests get 500 (-1: all of them). */
    public static Faults serverErrors(int count) {
        return new Faults(false, Unreachable.NONE, 0, null, null, count, false);
    }

    /** Every bearer token is refused with 401. */
    public static Faults tokensRejected() {
        return new Faults(false, Unreachable.NONE, 0, null, null, 0, true);
    }
}
