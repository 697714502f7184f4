package app.connections.workspace.aws;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.TestStack;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.workspace.Workspace;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class DynamoWorkspaceRegistryTest {

    @Test
    void aWorkspaceIsFoundOnlyInItsOwnAccount(LocalAws local) {
        var registry = new DynamoWorkspaceRegistry(TestStack.clients().dynamo(), TestStack.config(local).tableName());
        String account = "acct-" + UUID.randomUUID();
        registry.put(new Workspace("ws-b", account, "Beta"));
        registry.put(new Workspace("ws-a", account, "Alpha"));
        registry.put(new Workspace("ws-a", account, "Alpha renamed"));

        assertThat(registry.find(account, "ws-a")).contains(new Workspace("ws-a", account, "Alpha renamed"));
        assertThat(registry.find("another-account", "ws-a")).isEmpty();
        assertThat(registry.list(account)).extracting(Workspace::id).containsExactly("ws-a", "ws-b");
    }
}
