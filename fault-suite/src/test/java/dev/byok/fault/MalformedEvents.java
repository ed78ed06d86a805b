package dev.byok.fault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated bad input for the ingest topic: every record here must end in the dead-letter topic. */
final class MalformedEvents {
    static final int CLASSES = 10;

    private MalformedEvents() {}

    /** {@code perClass} records of each class, interleaved class by class. */
    static List<byte[]> generate(String tenant, int perClass, Random random) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            for (int kind = 0; kind < CLASSES; kind++) {
                out.add(one(kind, tenant, "bad-" + i + "-" + kind, i, random));
            }
        }
        return out;
    }

    private static byte[] one(int kind, String tenant, String id, int i, Random random) {
        String valid = "\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + id
                + "\",\"occurredAt\":\"2026-11-28T09:00:00Z\"," + "\"activityType\":\"file.share\"";
        String json = switch (kind) {
            case 0 -> "{" + valid + ",\"actor\":\"al"; // broken JSON
            case 1 -> null; // binary junk
            case 2 -> ""; // empty record
            case 3 ->
                "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":" + i + ",\"occurredAt\":true,"
                        + "\"activityType\":[1],\"actor\":{}}"; // wrong types
            case 4 -> "{" + valid + "}"; // missing actor
            case 5 ->
                i % 100 == 0
                        ? "{" + valid + ",\"actor\":\"a@b\",\"attributes\":{\"x\":\"" + "x".repeat(300 * 1024)
                                + "\"}}" // record over the size limit
                        : "{" + valid + ",\"actor\":\"" + "a".repeat(5_000) + "\"}"; // a field over its limit
            case 6 ->
                "{" + valid.replace("\"tenantId\":\"" + tenant + "\"", "\"tenantId\":\"Bad Tenant!#" + i + "\"")
                        + ",\"actor\":\"a@b\"}";
            case 7 ->
                "{" + valid.replace("\"tenantId\":\"" + tenant + "\"", "\"tenantId\":\"someone-else\"")
                        + ",\"actor\":\"a@b\"}"; // key mismatch
            case 8 -> "{" + valid + ",\"actor\":\"a@b\",\"colour\":\"red\"}"; // unknown top-level field
            default -> "{" + valid.replace("\"schemaVersion\":1", "\"schemaVersion\":99") + ",\"actor\":\"a@b\"}";
        };
        if (json != null) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        byte[] junk = new byte[1 + random.nextInt(200)];
        random.nextBytes(junk);
        junk[0] = (byte) 0xff; // never a JSON start
        return junk;
    }
}
