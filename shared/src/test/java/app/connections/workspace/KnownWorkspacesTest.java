package app.connections.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.testing.OAuthWorld.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KnownWorkspacesTest {
    /** An in-memory registry that counts lookups (a domain port, not an AWS service). */
    private static final class CountingRegistry implements WorkspaceRegistry {
        final List<Workspace> workspaces = new ArrayList<>();
        int finds;

        @Override
        public void put(Workspace workspace) {
            workspaces.removeIf(w -> w.accountId().equals(workspace.accountId()) && w.id().equals(workspace.id()));
            workspaces.add(workspace);
        }

        @Override
        public Optional<Workspace> find(String accountId, String workspaceId) {
            finds++;
            return workspaces.stream().filter(w -> w.accountId().equals(accountId) && w.id().equals(workspaceId)).findFirst();
        }

        @Override
        public List<Workspace> list(String accountId) {
            return workspaces.stream().filter(w -> w.accountId().equals(accountId)).toList();
        }
    }

    private final CountingRegistry registry = new CountingRegistry();
    private final MutableClock clock = new MutableClock();
    private final KnownWorkspaces known = new KnownWorkspaces(registry, Duration.ofMinutes(5), 100, clock);

    @Test
    void aWorkspaceFoundOnceIsNotLookedUpAgainForFiveMinutes() {
        registry.put(new Workspace("ws-acme", "acct-1", "Acme"));

        for (int i = 0; i < 50; i++) {
            assertThat(known.find("acct-1", "ws-acme")).isPresent();
        }
        assertThat(registry.finds).isEqualTo(1);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(known.find("acct-1", "ws-acme")).isPresent();
        assertThat(registry.finds).isEqualTo(2);
    }

    @Test
    void aWorkspaceNotFoundIsAskedForEveryTimeSoANewOneIsUsableAtOnce() {
        assertThat(known.find("acct-1", "ws-new")).isEmpty();
        assertThat(known.find("acct-1", "ws-new")).isEmpty();
        assertThat(registry.finds).as("an unknown workspace is never remembered as unknown").isEqualTo(2);

        registry.put(new Workspace("ws-new", "acct-1", "New")); // created by another execution environment

        assertThat(known.find("acct-1", "ws-new")).map(Workspace::name).contains("New");
        assertThat(registry.finds).isEqualTo(3);
    }

    @Test
    void anotherAccountsWorkspaceWithTheSameIdIsNeverAnsweredFromTheCache() {
        registry.put(new Workspace("ws-acme", "acct-1", "Acme"));
        assertThat(known.find("acct-1", "ws-acme")).isPresent();

        assertThat(known.find("acct-2", "ws-acme")).isEmpty();
    }
}
