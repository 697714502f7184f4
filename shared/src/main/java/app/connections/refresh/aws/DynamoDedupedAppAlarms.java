package app.connections.refresh.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.events.ConnectionEvent;
import app.connections.events.aws.OutboxItems;
import app.connections.refresh.AppAlarms;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * One {@code OAuth App Credentials Rejected} event per app and hour: the conditional put that
 * deduplicates it and its outbox item are one transaction, so the event is committed exactly when
 * the hour's alarm is.
 */
public final class DynamoDedupedAppAlarms implements AppAlarms {
    public static final String DETAIL_TYPE = "OAuth App Credentials Rejected";
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDedupedAppAlarms.class);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDedupedAppAlarms(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void oauthClientRejected(String app, Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        ConnectionEvent event = new ConnectionEvent(app + ":" + hour + ":oauth-app-credentials-rejected", DETAIL_TYPE,
                Map.of("app", app, "reason", "invalid_client", "time", now.toString()));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table).conditionExpression("attribute_not_exists(pk)")
                            .item(Map.of("pk", s("ALARM#" + app), "sk", s("OAUTH_CLIENT#" + hour), "type", s("alarm"),
                                    "ttl", n(hour.getEpochSecond() + 7L * 86_400)))).build(),
                    OutboxItems.put(table, event, now)));
        } catch (TransactionCanceledException alreadyRaised) {
            return;
        }
        LOG.error("OAuth client credentials of app {} were refused by its token endpoint; connections stay as they are", app);
    }
}
