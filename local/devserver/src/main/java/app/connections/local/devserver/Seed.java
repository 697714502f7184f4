package app.connections.local.devserver;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The demo data the dev stack starts with ({@code seed.json}): one agency account, two client
 * workspaces, and one user of each role in the builder and portal pools. Local only: the
 * password is a dev password of the local emulator.
 */
record Seed(String password, List<Account> accounts, List<User> users, Map<String, String> standInKeys) {
    record Account(String id, List<WorkspaceSeed> workspaces) {
    }

    record WorkspaceSeed(String id, String name) {
    }

    record User(String email, String pool, String role, Map<String, String> attributes) {
    }

    static Seed load() {
        try (InputStream in = Seed.class.getResourceAsStream("/seed.json")) {
            return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(in, Seed.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read seed.json", e);
        }
    }

    void apply(LocalAws local) {
        var registry = new DynamoWorkspaceRegistry(local.clients().dynamo(), local.stack().table());
        for (Account account : accounts) {
            for (WorkspaceSeed ws : account.workspaces()) {
                registry.put(new Workspace(ws.id(), account.id(), ws.name()));
            }
        }
        CognitoUsers cognito = new CognitoUsers(local.stack());
        for (User user : users) {
            cognito.ensure(user.pool(), user.email(), user.attributes(), password);
        }
    }

    /** A fresh ID token for a seeded user. */
    String token(app.connections.local.aws.StackDescription stack, String email) {
        User user = user(email);
        return new CognitoUsers(stack).idToken(user.pool(), user.email(), password);
    }

    User user(String email) {
        return users.stream().filter(u -> u.email().equalsIgnoreCase(email)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no seeded user " + email + "; seeded: " + emails()));
    }

    List<String> emails() {
        return users.stream().map(u -> u.email() + " (" + u.role() + ")").toList();
    }

    String accountAdminEmail() {
        return users.get(0).email();
    }

    String demoAccountId() {
        return accounts.get(0).id();
    }
}
