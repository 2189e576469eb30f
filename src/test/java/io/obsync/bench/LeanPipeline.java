package io.obsync.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.obsync.config.Options;
import io.obsync.destination.ShardingKey;
import io.obsync.event.ChangeEvent;
import io.obsync.event.DebeziumRecordConverter;
import io.obsync.format.FormatName;
import io.obsync.format.JsonChangeEventFormat;
import io.obsync.format.MessageFormats;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The lean safe reference: the same Debezium engine and settings as the raw reader, obsync's converter
 * and message format written with Jackson's streaming generator, a plain Kafka producer with obsync's
 * producer settings, and each batch's offsets committed only after every send of it was acknowledged.
 * No Camel, no table selection, no filters: what any safe pipeline on this engine has to do per event.
 */
final class LeanPipeline {

    private LeanPipeline() {
    }

    /** Runs until {@code expected} changes of {@code table} were acknowledged; returns changes per second from the start. */
    static double run(Properties settings, String bootstrapServers, String topic, String table, FormatName formatName, long expected)
            throws Exception {
        DebeziumRecordConverter converter = new DebeziumRecordConverter("");
        JsonChangeEventFormat format = MessageFormats.create(formatName, new MessageFormats.Settings(settings.getProperty("name"), ""));
        JsonFactory json = JsonFactory.builder().build();
        AtomicLong acknowledged = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerSettings(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer())) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
            DebeziumEngine.ChangeConsumer<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> handler = (records, committer) -> {
                List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
                int changes = 0;
                for (var r : records) {
                    ChangeEvent event = r.value() == null ? null : converter.convert(r.value());
                    if (event == null || event.operation() == null || !table.equals(event.table()) || event.after() == null) {
                        continue;
                    }
                    buffer.reset();
                    try (JsonGenerator out = json.createGenerator(buffer, JsonEncoding.UTF8)) {
                        format.write(event, out);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    String key = ShardingKey.of(event.schema(), event.after());
                    sends.add(producer.send(new ProducerRecord<>(topic, key, buffer.toByteArray())));
                    changes++;
                }
                for (Future<RecordMetadata> send : sends) {
                    try {
                        send.get();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("the lean reference's send failed", e.getCause());
                    }
                }
                for (var r : records) {
                    committer.markProcessed(r);
                }
                committer.markBatchFinished();
                acknowledged.addAndGet(changes);
            };
            try (DebeziumEngine<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> engine = DebeziumEngine.create(Connect.class)
                    .using(settings).notifying(handler).build()) {
                ExecutorService runner = Executors.newSingleThreadExecutor();
                long start = System.nanoTime();
                try {
                    runner.execute(engine);
                    long deadline = start + TimeUnit.MINUTES.toNanos(20);
                    while (acknowledged.get() < expected) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("only " + acknowledged.get() + " of " + expected + " changes after 20 minutes");
                        }
                        Thread.sleep(5);
                    }
                    return expected / ((System.nanoTime() - start) / 1e9);
                } finally {
                    runner.shutdown();
                }
            }
        }
    }

    /** obsync's Kafka producer settings (the kafka step of routes/pipeline.camel.yaml with the shipped defaults). */
    static Map<String, Object> producerSettings(String bootstrapServers) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, Integer.parseInt(Options.KAFKA_LINGER_MS.defaultValue()),
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.parseInt(Options.KAFKA_BATCH_SIZE.defaultValue()),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, Options.KAFKA_COMPRESSION.defaultValue());
    }
}
