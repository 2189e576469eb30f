package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.obsync.manage.TaskStatus;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The phase follows Debezium's notifications about the chunked read that full synchronization requested, and only that one. */
class ChunkNotificationsTest {

    private static final Schema NOTIFICATION = SchemaBuilder.struct()
            .field("id", Schema.STRING_SCHEMA)
            .field("aggregate_type", Schema.STRING_SCHEMA)
            .field("type", Schema.STRING_SCHEMA)
            .field("additional_data", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional().build())
            .build();

    private static SourceRecord notification(String aggregate, String type, String id) {
        Struct value = new Struct(NOTIFICATION).put("id", id).put("aggregate_type", aggregate).put("type", type)
                .put("additional_data", Map.of("connector_name", "t"));
        return new SourceRecord(Map.of(), Map.of(), SignalTable.NOTIFICATION_TOPIC, NOTIFICATION, value);
    }

    @Test
    void fullSynchronizationEndsWhenItsOwnRequestCompletedOnce() {
        TaskStatus status = new TaskStatus();
        status.phase(TaskStatus.Phase.INCREMENTAL);
        ChunkNotifications notifications = new ChunkNotifications(status, true);
        String fullSync = SignalTable.requestId(SignalTable.FULL_SYNC_PREFIX, "task@mariadb-bin.000001:4");

        // a resync's read neither starts nor ends full synchronization
        notifications.accept(notification("Incremental Snapshot", "STARTED", "obsync-resync-1"));
        assertThat(status.getPhase()).isEqualTo(TaskStatus.Phase.INCREMENTAL);

        notifications.accept(notification("Incremental Snapshot", "STARTED", fullSync));
        assertThat(status.getPhase()).isEqualTo(TaskStatus.Phase.FULL);
        notifications.accept(notification("Incremental Snapshot", "COMPLETED", "obsync-resync-1"));
        assertThat(notifications.fullSyncCompleted()).isFalse();
        // the structure read at the start also reports itself as a snapshot: not the chunked read
        notifications.accept(notification("Initial Snapshot", "COMPLETED", "x"));
        assertThat(notifications.fullSyncCompleted()).isFalse();

        notifications.accept(notification("Incremental Snapshot", "COMPLETED", fullSync));
        assertThat(notifications.fullSyncCompleted()).isTrue();
        assertThat(notifications.fullSyncCompleted()).as("reported once").isFalse();
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void theEndOfAOnePassReadIsToldToTheChunksWaitingForIt() {
        ChunkNotifications notifications = new ChunkNotifications(new TaskStatus(), true);
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        notifications.onOnePassCompleted(told::incrementAndGet);
        notifications.accept(notification("Initial Snapshot", "TABLE_SCAN_COMPLETED", "x"));
        notifications.accept(notification("Incremental Snapshot", "COMPLETED", "obsync-resync-1"));
        assertThat(told).hasValue(0);
        notifications.accept(notification("Initial Snapshot", "COMPLETED", "x"));
        assertThat(told).hasValue(1);
        notifications.accept(notification("Initial Snapshot", "ABORTED", "x"));
        assertThat(told).as("a stopped one-pass read lets the chunks go on too").hasValue(2);
    }

    @Test
    void withoutChunkedFullSynchronizationThePhaseIsLeftAlone() {
        TaskStatus status = new TaskStatus();
        status.phase(TaskStatus.Phase.INCREMENTAL);
        ChunkNotifications notifications = new ChunkNotifications(status, false);
        notifications.accept(notification("Incremental Snapshot", "STARTED", SignalTable.FULL_SYNC_PREFIX + "abc"));
        notifications.accept(notification("Incremental Snapshot", "COMPLETED", SignalTable.FULL_SYNC_PREFIX + "abc"));
        assertThat(status.getPhase()).isEqualTo(TaskStatus.Phase.INCREMENTAL);
        assertThat(notifications.fullSyncCompleted()).isFalse();
        // a record that is not a notification is ignored
        notifications.accept(new SourceRecord(Map.of(), Map.of(), "other", Schema.STRING_SCHEMA, "text"));
    }

    @Test
    void signalTableNamesAndRequestIds() {
        assertThat(SignalTable.parse(" obsync.signals ").qualified()).isEqualTo("obsync.signals");
        assertThat(SignalTable.parse("db.t").holds("DB", "T")).isTrue();
        assertThat(SignalTable.requestId(SignalTable.FULL_SYNC_PREFIX, "a")).hasSize(36).isEqualTo(SignalTable.requestId(SignalTable.FULL_SYNC_PREFIX, "a"))
                .isNotEqualTo(SignalTable.requestId(SignalTable.FULL_SYNC_PREFIX, "b"));
        for (String bad : new String[] {"", "t", ".t", "db.", "db.t.u", "d b.t", "db.`t`", "x".repeat(65) + ".t"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignalTable.parse(bad)).as(bad)
                    .hasMessageStartingWith("obsync.source.signal-table is '").hasMessageContaining("name the table as database.table");
        }
    }
}
