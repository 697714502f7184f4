package app.connections.connection.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.TestStack;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Scope;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.StaleVersion;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class DynamoConnectionStoreTest {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private DynamoConnectionStore store;
    private String table;

    @BeforeEach
    void setUp(LocalAws local) {
        table = TestStack.config(local).tableName();
        store = new DynamoConnectionStore(TestStack.clients().dynamo(), table);
    }

    static Connection newConnection(ConnectionStatus status) {
        return Connection.create(UUID.randomUUID().toString(), "acct-1", Optional.of("ws-1"), Scope.WORKSPACE, "freshdesk",
                "Acme Freshdesk", CredentialKind.API_KEY, status, java.util.Map.of(), "user-1", NOW);
    }

    @Test
    void aCreatedConnectionReadsBackWithVersionOne() {
        Connection created = store.create(newConnection(ConnectionStatus.ACTIVE));

        assertThat(created.version()).isEqualTo(1);
        assertThat(store.find(created.id())).contains(created);
    }

    @Test
    void anIdIsNeverReused() {
        Connection created = store.create(newConnection(ConnectionStatus.ACTIVE));

        assertThatThrownBy(() -> store.create(created.withVersion(0)))
                .isInstanceOf(StaleVersion.class);
    }

    @Test
    void aStaleUpdateIsRefusedAndLosesNothing() {
        Connection created = store.create(newConnection(ConnectionStatus.ACTIVE));
        Connection renamedByAlice = store.update(created.withLabel("Alice's name", NOW));

        assertThatThrownBy(() -> store.update(created.withLabel("Bob's name", NOW)))
                .as("the store's own signal, not a caller's conflict").isInstanceOf(StaleVersion.class);
        assertThat(store.find(created.id()).orElseThrow().label()).isEqualTo("Alice's name");
        assertThat(renamedByAlice.version()).isEqualTo(2);
    }

    @Test
    void noWriteFromAReadBeforeTheRevokeBringsARevokedConnectionBack() {
        Connection active = store.create(newConnection(ConnectionStatus.ACTIVE)
                .withExternalIdentity("agent-7", Optional.empty()));
        app.connections.connection.IdentityKey key = app.connections.connection.IdentityKey.of(active);
        // revoked by someone else, written over the very version the writers below read
        Connection revoked = store.revoke(active.revoked("revoked_by_user", NOW), Optional.of(key), java.util.List.of(), Optional.empty());
        Connection asRead = active.withVersion(revoked.version()); // even a writer holding the current version

        for (Runnable write : java.util.List.<Runnable>of(
                () -> store.update(asRead.withLabel("renamed", NOW)),
                () -> store.updateReleasing(asRead.withLabel("renamed", NOW), key),
                () -> store.updateClaiming(asRead.activated(NOW), key))) {
            assertThatThrownBy(write::run).isInstanceOf(app.connections.platform.InvalidState.class)
                    .hasMessageContaining("revoked");
        }
        assertThat(store.find(active.id()).orElseThrow()).isEqualTo(revoked);
    }

    @Test
    void onlyOfferedConnectionsCarryThePickerKeys() {
        Connection pending = store.create(newConnection(ConnectionStatus.PENDING));
        Connection active = store.create(newConnection(ConnectionStatus.ACTIVE));

        var dynamo = TestStack.clients().dynamo();
        var pendingItem = dynamo.getItem(b -> b.tableName(table).key(ConnectionItems.key(pending.id()))).item();
        var activeItem = dynamo.getItem(b -> b.tableName(table).key(ConnectionItems.key(active.id()))).item();
        assertThat(pendingItem).doesNotContainKey("pickerPk");
        assertThat(activeItem.get("pickerPk").s()).isEqualTo("WS#acct-1#ws-1");
        assertThat(activeItem.get("pickerSk").s()).isEqualTo("freshdesk#acme freshdesk#" + active.id());
    }

    @Test
    void anUnknownIdIsAbsent() {
        assertThat(store.find("no-such-connection")).isEmpty();
    }
}
