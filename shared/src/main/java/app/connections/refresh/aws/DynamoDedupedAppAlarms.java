package app.connections.refresh.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.events.ConnectionEvent;
import app.connections.events.EventPublisher;
import app.connections.refresh.AppAlarms;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** One {@code OAuth App Credentials Rejected} event per app and hour, deduplicated by a conditional put. */
public final class DynamoDedupedAppAlarms implements AppAlarms {
    public static final String DETAIL_TYPE = "OAuth App Credentials Rejected";
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDedupedAppAlarms.class);

    private final DynamoDbClient dynamo;
    private final String table;
    private final EventPublisher events;

    public DynamoDedupedAppAlarms(DynamoDbClient dynamo, String table, EventPublisher events) {
        this.dynamo = dynamo;
        this.table = table;
        this.events = events;
    }

    @Override
    public void oauthClientRejected(String app, Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        try {
            dynamo.putItem(b -> b.tableName(table).conditionExpression("attribute_not_exists(pk)").item(Map.of(
                    "pk", s("ALARM#" + app), "sk", s("OAUTH_CLIENT#" + hour), "type", s("alarm"),
                    "ttl", n(hour.getEpochSecond() + 7L * 86_400))));
        } catch (ConditionalCheckFailedException alreadyRaised) {
            return;
        }
        LOG.error("OAuth client credentials of app {} were refused by its token endpoint; connections stay as they are", app);
        events.publish(new ConnectionEvent(DETAIL_TYPE, Map.of("app", app, "reason", "invalid_client", "time", now.toString())));
    }
}
