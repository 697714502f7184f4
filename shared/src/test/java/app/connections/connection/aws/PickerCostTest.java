package app.connections.connection.aws;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.TestStack;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Page;
import app.connections.connection.Scope;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The picker costs exactly one DynamoDB Query per page, and never a Scan: counted at the SDK. */
@ExtendWith(LocalAwsExtension.class)
class PickerCostTest {

    static final class CallCounter implements ExecutionInterceptor {
        final List<String> operations = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }

    @Test
    void eachPickerPageIsOneQueryAndNoScan(LocalAws local) {
        String table = TestStack.config(local).tableName();
        String account = "acct-" + UUID.randomUUID();
        DynamoConnectionStore setup = new DynamoConnectionStore(TestStack.clients().dynamo(), table);
        Instant now = Instant.now();
        for (int i = 0; i < 7; i++) {
            setup.create(Connection.create(UUID.randomUUID().toString(), account, Optional.of("ws-1"), Scope.WORKSPACE,
                    i % 2 == 0 ? "hubspot" : "slack", "Label " + i, CredentialKind.API_KEY, ConnectionStatus.ACTIVE, Map.of(),
                    "u", now));
        }
        CallCounter counter = new CallCounter();
        DynamoDbClient counted = DynamoDbClient.builder()
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
        DynamoConnectionStore store = new DynamoConnectionStore(counted, table);

        List<String> labels = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            Page<Connection> page = store.picker(account, "ws-1", Optional.of("hubspot"), Set.of(CredentialKind.API_KEY), 2, token);
            page.items().forEach(c -> labels.add(c.label()));
            token = page.nextToken();
            pages++;
        } while (token.isPresent());

        assertThat(labels).containsExactly("Label 0", "Label 2", "Label 4", "Label 6");
        assertThat(counter.operations).hasSize(pages).containsOnly("Query");
    }

    @Test
    void aPageFilteredByKindIsFullEvenWhenTheOtherKindsComeFirst(LocalAws local) {
        String table = TestStack.config(local).tableName();
        String account = "acct-" + UUID.randomUUID();
        DynamoConnectionStore store = new DynamoConnectionStore(TestStack.clients().dynamo(), table);
        Instant now = Instant.now();
        // in the index's order, ten OAuth connections come before the three API keys the node asks for
        for (int i = 0; i < 13; i++) {
            store.create(Connection.create(UUID.randomUUID().toString(), account, Optional.of("ws-1"), Scope.WORKSPACE,
                    "hubspot", (i < 10 ? "A oauth " : "B key ") + i, i < 10 ? CredentialKind.OAUTH2 : CredentialKind.API_KEY,
                    ConnectionStatus.ACTIVE, Map.of(), "u", now));
        }

        Page<Connection> first = store.picker(account, "ws-1", Optional.of("hubspot"), Set.of(CredentialKind.API_KEY), 2,
                Optional.empty());
        Page<Connection> second = store.picker(account, "ws-1", Optional.of("hubspot"), Set.of(CredentialKind.API_KEY), 2,
                first.nextToken());

        assertThat(first.items()).extracting(Connection::label).containsExactly("B key 10", "B key 11");
        assertThat(first.nextToken()).isPresent();
        assertThat(second.items()).extracting(Connection::label).containsExactly("B key 12");
        assertThat(second.nextToken()).as("the index ended").isEmpty();
    }
}
