package app.connections.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What Lambda's event source mapping does with the table's stream, for the local stack (moto has no
 * event source mappings that run Java): reads the stream of the template's table with the SDK's
 * DynamoDB Streams client (DescribeStream, GetShardIterator, GetRecords) from the mapping's
 * {@code StartingPosition}, keeps the records its {@code FilterCriteria} select, and invokes the
 * function with them in batches of {@code BatchSize}, as the Lambda event JSON. A batch whose
 * function reports failed records ({@code ReportBatchItemFailures}) or fails is retried from the
 * first failed record at the next {@link #pump()}, at most {@code MaximumRetryAttempts} times, then
 * skipped with a log line (Lambda would send it to the on-failure destination).
 *
 * <p>One per stream and function in this JVM ({@link #of}), so records are delivered once however
 * many callers pump it. The dev server pumps it on a timer; tests pump it before reading the bus
 * ({@link BusTap#drain()}), with the target a {@link Targets} service provides when none was set.
 */
public final class StreamDelivery {
    /** The function the stream invokes: the event JSON in, the function's JSON result out. */
    @FunctionalInterface
    public interface Target {
        byte[] invoke(byte[] event) throws Exception;
    }

    /** Provides a target for a stream event when no one set one (tests: the outbox delivery as its function does it). */
    public interface Targets {
        Optional<Target> targetFor(StackDescription stack, Template.StreamEvent event);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_READS_PER_PUMP = 200;
    private static final Map<String, StreamDelivery> BY_STREAM = new ConcurrentHashMap<>();

    private final StackDescription stack;
    private final Template.StreamEvent event;
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final List<JsonNode> patterns = new ArrayList<>();
    private final Map<String, String> positions = new HashMap<>(); // shard -> iterator
    private final Map<String, String> lastRead = new HashMap<>(); // shard -> sequence number of the last record read
    private final List<Map<String, Object>> held = new ArrayList<>(); // records read and not yet delivered
    private int failedAttempts;
    private Target target;
    private Consumer<String> log = line -> System.err.println(line);

    private StreamDelivery(StackDescription stack, Template.StreamEvent event) {
        this.stack = stack;
        this.event = event;
        LocalClients clients = stack.clients();
        this.streams = clients.streams();
        String table = stack.table();
        this.streamArn = clients.dynamo().describeTable(b -> b.tableName(table)).table().latestStreamArn();
        if (streamArn == null) {
            throw new IllegalStateException("table " + table + " has no stream: template.yaml's StreamSpecification");
        }
        for (String p : event.filterPatterns()) {
            try {
                patterns.add(JSON.readTree(p));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("FilterCriteria pattern of " + event.functionLogicalId() + " is not JSON: " + p, e);
            }
        }
    }

    /** The delivery of the template's stream event of {@code functionLogicalId} on this stack (one per JVM). */
    public static StreamDelivery of(StackDescription stack, Template template, String functionLogicalId) {
        Template.StreamEvent e = template.streamEvents().stream().filter(s -> s.functionLogicalId().equals(functionLogicalId))
                .findFirst().orElseThrow(() -> new IllegalStateException(functionLogicalId + " has no DynamoDB event in template.yaml"));
        return BY_STREAM.computeIfAbsent(stack.endpoint() + "|" + stack.table() + "|" + functionLogicalId,
                k -> new StreamDelivery(stack, e));
    }

    /** Every stream delivery of the template on this stack, with a target from a {@link Targets} service when none is set. */
    public static List<StreamDelivery> all(StackDescription stack, Template template) {
        List<StreamDelivery> out = new ArrayList<>();
        for (Template.StreamEvent e : template.streamEvents()) {
            StreamDelivery d = of(stack, template, e.functionLogicalId());
            synchronized (d) {
                if (d.target == null) {
                    for (Targets t : ServiceLoader.load(Targets.class)) {
                        Optional<Target> found = t.targetFor(stack, e);
                        if (found.isPresent()) {
                            d.target = found.get();
                            break;
                        }
                    }
                }
            }
            out.add(d);
        }
        return out;
    }

    public Template.StreamEvent event() {
        return event;
    }

    /** Invokes {@code target} from now on. */
    public synchronized StreamDelivery target(Target newTarget, Consumer<String> newLog) {
        this.target = newTarget;
        this.log = newLog;
        return this;
    }

    public synchronized Optional<Target> target() {
        return Optional.ofNullable(target);
    }

    /**
     * Reads what the stream has (a bounded number of reads) and delivers the selected records; stops
     * at the first batch the function does not fully deliver (retried at the next pump). Returns
     * how many records were delivered.
     */
    public synchronized int pump() {
        if (target == null) {
            return 0;
        }
        read();
        int delivered = 0;
        while (!held.isEmpty()) {
            List<Map<String, Object>> batch = new ArrayList<>(held.subList(0, Math.min(event.batchSize(), held.size())));
            int ok = invoke(batch);
            delivered += ok;
            held.subList(0, ok).clear();
            if (ok < batch.size()) {
                failedAttempts++;
                int allowed = event.maximumRetryAttempts();
                if (allowed >= 0 && failedAttempts > allowed) {
                    log.accept("[stream] " + event.functionLogicalId() + " gave up on a batch of " + (batch.size() - ok)
                            + " records after " + failedAttempts + " attempts (Lambda sends it to the on-failure destination)");
                    held.subList(0, batch.size() - ok).clear();
                    failedAttempts = 0;
                    continue;
                }
                return delivered; // retried from the first failed record at the next pump
            }
            failedAttempts = 0;
        }
        return delivered;
    }

    /** Invokes the function with one batch; returns how many leading records it delivered. */
    private int invoke(List<Map<String, Object>> batch) {
        byte[] result;
        try {
            result = target.invoke(JSON.writeValueAsBytes(Map.of("Records", batch)));
        } catch (Exception e) {
            log.accept("[stream] " + event.functionLogicalId() + " failed on a batch of " + batch.size() + ": " + e);
            return 0;
        }
        if (!event.reportsBatchItemFailures() || result == null || result.length == 0) {
            return batch.size();
        }
        JsonNode response;
        try {
            response = JSON.readTree(result);
        } catch (java.io.IOException e) {
            log.accept("[stream] " + event.functionLogicalId() + " answered what is not a batch response: "
                    + new String(result, StandardCharsets.UTF_8));
            return 0;
        }
        List<String> failed = new ArrayList<>();
        response.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
        if (failed.isEmpty()) {
            return batch.size();
        }
        log.accept("[stream] " + event.functionLogicalId() + " reported " + failed.size() + " of " + batch.size()
                + " records not processed; retrying from the first");
        for (int i = 0; i < batch.size(); i++) {
            Object seq = ((Map<?, ?>) batch.get(i).get("dynamodb")).get("SequenceNumber");
            if (failed.contains(String.valueOf(seq))) {
                return i;
            }
        }
        return 0; // an identifier it was not given: Lambda fails the whole batch
    }

    /** Reads every shard's new records (bounded), keeping those the filter selects. */
    private void read() {
        List<Shard> shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        int reads = 0;
        for (Shard shard : shards) {
            String iterator = positions.get(shard.shardId());
            try {
                if (iterator == null) {
                    String after = lastRead.get(shard.shardId());
                    iterator = streams.getShardIterator(b -> {
                        b.streamArn(streamArn).shardId(shard.shardId());
                        if (after == null) {
                            b.shardIteratorType(event.startingPosition());
                        } else {
                            b.shardIteratorType("AFTER_SEQUENCE_NUMBER").sequenceNumber(after);
                        }
                    }).shardIterator();
                }
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                log.accept("[stream] " + event.functionLogicalId() + " could not position on shard " + shard.shardId() + ": " + e);
                continue;
            }
            while (iterator != null && reads++ < MAX_READS_PER_PUMP) {
                String current = iterator;
                GetRecordsResponse r;
                try {
                    r = streams.getRecords(b -> b.shardIterator(current).limit(1000));
                } catch (software.amazon.awssdk.core.exception.SdkException e) {
                    // an iterator that expired (or a trimmed position): position again after the last record read
                    log.accept("[stream] " + event.functionLogicalId() + " GetRecords failed, repositioning: " + e);
                    positions.remove(shard.shardId());
                    break;
                }
                for (Record record : r.records()) {
                    lastRead.put(shard.shardId(), record.dynamodb().sequenceNumber());
                    Map<String, Object> lambdaRecord = lambdaRecord(record);
                    if (selected(lambdaRecord)) {
                        held.add(lambdaRecord);
                    }
                }
                iterator = r.nextShardIterator();
                positions.put(shard.shardId(), iterator);
                if (r.records().isEmpty()) {
                    break;
                }
            }
        }
    }

    private boolean selected(Map<String, Object> record) {
        if (patterns.isEmpty()) {
            return true;
        }
        JsonNode node = JSON.valueToTree(record);
        return patterns.stream().anyMatch(p -> matches(p, node));
    }

    /**
     * EventBridge pattern matching, the part filters use here: an object matches field by field, an
     * array lists the values a field may have (exact strings, numbers, booleans, null).
     */
    static boolean matches(JsonNode pattern, JsonNode value) {
        if (pattern.isObject()) {
            var fields = pattern.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (!matches(f.getValue(), value == null ? null : value.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (pattern.isArray()) {
            for (JsonNode allowed : pattern) {
                if (allowed.isContainerNode()) {
                    throw new IllegalStateException("FilterCriteria operator not supported locally: " + allowed);
                }
                if (value != null && (allowed.equals(value) || (value.isArray() && contains(value, allowed)))) {
                    return true;
                }
                if (allowed.isNull() && (value == null || value.isNull())) {
                    return true;
                }
            }
            return false;
        }
        throw new IllegalStateException("a FilterCriteria pattern's leaves are arrays: " + pattern);
    }

    private static boolean contains(JsonNode array, JsonNode v) {
        for (JsonNode x : array) {
            if (x.equals(v)) {
                return true;
            }
        }
        return false;
    }

    /** The stream record as Lambda passes it to the function. */
    private Map<String, Object> lambdaRecord(Record r) {
        Map<String, Object> ddb = new LinkedHashMap<>();
        Instant created = r.dynamodb().approximateCreationDateTime();
        ddb.put("ApproximateCreationDateTime", created == null ? Instant.now().getEpochSecond() : created.getEpochSecond());
        ddb.put("Keys", image(r.dynamodb().keys()));
        if (r.dynamodb().hasNewImage()) {
            ddb.put("NewImage", image(r.dynamodb().newImage()));
        }
        if (r.dynamodb().hasOldImage()) {
            ddb.put("OldImage", image(r.dynamodb().oldImage()));
        }
        ddb.put("SequenceNumber", r.dynamodb().sequenceNumber());
        ddb.put("SizeBytes", r.dynamodb().sizeBytes());
        ddb.put("StreamViewType", r.dynamodb().streamViewTypeAsString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventID", r.eventID());
        out.put("eventName", r.eventNameAsString());
        out.put("eventVersion", "1.1");
        out.put("eventSource", "aws:dynamodb");
        out.put("awsRegion", stack.region());
        out.put("dynamodb", ddb);
        out.put("eventSourceARN", streamArn);
        return out;
    }

    private static Map<String, Object> image(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    private static Map<String, Object> value(AttributeValue v) {
        if (v.s() != null) {
            return Map.of("S", v.s());
        }
        if (v.n() != null) {
            return Map.of("N", new BigDecimal(v.n()).toPlainString());
        }
        if (v.bool() != null) {
            return Map.of("BOOL", v.bool());
        }
        if (Boolean.TRUE.equals(v.nul())) {
            return Map.of("NULL", true);
        }
        if (v.b() != null) {
            return Map.of("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
        }
        if (v.hasM()) {
            return Map.of("M", image(v.m()));
        }
        if (v.hasL()) {
            return Map.of("L", v.l().stream().map(StreamDelivery::value).toList());
        }
        if (v.hasSs()) {
            return Map.of("SS", v.ss());
        }
        if (v.hasNs()) {
            return Map.of("NS", v.ns());
        }
        if (v.hasBs()) {
            return Map.of("BS", v.bs().stream().map(b -> Base64.getEncoder().encodeToString(b.asByteArray())).toList());
        }
        return Map.of("NULL", true);
    }
}
