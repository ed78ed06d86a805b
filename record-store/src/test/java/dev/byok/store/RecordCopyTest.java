package dev.byok.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordCopyTest {
    private static final UUID DEK = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");

    @Test
    void write_producesPostgresBinaryCopy_oneTupleOfSixFieldsPerRecord() throws IOException {
        Instant occurred = Instant.parse("2000-01-01T00:00:01.000002Z");
        RecordRepository.SealedRecord row = new RecordRepository.SealedRecord(
                "tenant-é", "ev-1", DEK, new byte[] {1, 2, 3}, occurred, Instant.parse("2000-01-01T00:00:00Z"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            RecordCopy.write(List.of(row, row), out);
        }

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(in.readNBytes(11))
                .isEqualTo(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0});
        assertThat(in.readInt()).as("flags").isZero();
        assertThat(in.readInt()).as("header extension").isZero();
        for (int tuple = 0; tuple < 2; tuple++) {
            assertThat(in.readShort()).isEqualTo((short) 6);
            assertThat(field(in)).isEqualTo("tenant-é".getBytes(StandardCharsets.UTF_8));
            assertThat(field(in)).isEqualTo("ev-1".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readInt()).isEqualTo(16);
            assertThat(new UUID(in.readLong(), in.readLong())).isEqualTo(DEK);
            assertThat(field(in)).containsExactly(1, 2, 3);
            assertThat(in.readInt()).isEqualTo(8);
            assertThat(in.readLong()).as("microseconds since 2000-01-01").isEqualTo(1_000_002L);
            assertThat(in.readInt()).isEqualTo(8);
            assertThat(in.readLong()).isZero();
        }
        assertThat(in.readShort()).as("trailer").isEqualTo((short) -1);
        assertThat(in.available()).isZero();
    }

    @Test
    void failureCause_namesRedeliveriesRefusedRowsAndTheStore_fromTheSqlStateAnywhereInTheChain() {
        assertThat(RecordCopy.failureCause(wrapped("23505"))).isEqualTo("already-stored");
        assertThat(RecordCopy.failureCause(wrapped("23514"))).isEqualTo("refused-row");
        assertThat(RecordCopy.failureCause(wrapped("22021"))).isEqualTo("refused-row");
        assertThat(RecordCopy.failureCause(wrapped("54000"))).isEqualTo("refused-row");
        assertThat(RecordCopy.failureCause(wrapped("08006"))).isEqualTo("store");
        assertThat(RecordCopy.failureCause(new IllegalStateException("pool exhausted")))
                .isEqualTo("store");
    }

    private static RuntimeException wrapped(String sqlState) {
        return new IllegalStateException("COPY failed", new IOException(new SQLException("refused", sqlState)));
    }

    private static byte[] field(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
    }
}
