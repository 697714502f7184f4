package app.connections.portal;

import app.connections.connection.Visibility;
import app.connections.connection.lifecycle.Revocations;
import app.connections.auth.PortalClient;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Target;
import app.connections.oauth.CallbackResult;
import app.connections.oauth.ConnectFlow;
import app.connections.oauth.ConnectSession;
import app.connections.oauth.NewConnectSession;
import app.connections.platform.InvalidState;
import app.connections.platform.NotVisible;
import app.connections.refresh.RefreshOutcome;
import app.connections.refresh.RefreshReason;
import app.connections.refresh.TokenRefresher;
import app.connections.vault.SecretOwner;
import app.connections.vault.Vault;
import app.connections.workspace.WorkspaceRegistry;
import java.util.List;
import java.util.Optional;

/**
 * The client portal: a client of the agency manages the OAuth connections they authorized in
 * their own workspace — connect, rotate, revoke — and nothing else. Anything else is "not found".
 */
public final class Portal {
    private final ConnectionStore store;
    private final WorkspaceRegistry workspaces;
    private final ConnectFlow flow;
    private final TokenRefresher refresher;
    private final Revocations revocations;
    private final Vault vault;
    private final AppCatalog catalog;

    public Portal(ConnectionStore store, WorkspaceRegistry workspaces, ConnectFlow flow, TokenRefresher refresher,
                  Revocations revocations, Vault vault, AppCatalog catalog) {
        this.catalog = catalog;
        this.store = store;
        this.workspaces = workspaces;
        this.flow = flow;
        this.refresher = refresher;
        this.revocations = revocations;
        this.vault = vault;
    }

    /** The outcome of a rotation. */
    public sealed interface Rotation {
        record Rotated(Connection connection) implements Rotation {
        }

        /** The provider cannot refresh: reconnect instead (a connect session in reconnect mode). */
        record ReauthorizationRequired(String reauthorizeUrl) implements Rotation {
        }
    }

    /**
     * The apps a client can authorize for the agency here: the catalog's OAuth 2.0 apps (a client
     * signs in to their own account; API keys and model-provider keys are the agency's to add).
     */
    public List<App> apps(PortalClient client) {
        return catalog.all().stream().filter(app -> app.supports(CredentialKind.OAUTH2) && "app".equals(app.category()))
                .toList();
    }

    public ConnectSession connect(PortalClient client, NewConnectSession request) {
        workspaces.find(client.accountId(), client.workspaceId()).orElseThrow(() -> new NotVisible("workspace"));
        return flow.createSessionAs(client.accountId(), Target.workspace(client.workspaceId()), client.userId(),
                ConnectSession.Opener.PORTAL, new NewConnectSession(request.app(), request.label(), request.fields(), null,
                        request.nonce()));
    }

    /** The client's own portal page completes the flow its popup authorized (only the client who started it). */
    public CallbackResult complete(PortalClient client, String sessionId, String completionCode) {
        return flow.complete(new ConnectFlow.Completer(client.accountId(), client.userId(), ConnectSession.Opener.PORTAL),
                Target.workspace(client.workspaceId()), sessionId, completionCode);
    }

    public String startUrl(ConnectSession session) {
        return flow.startUrl(session).toString();
    }

    public List<Connection> connections(PortalClient client) {
        return store.authorizedBy(client.accountId(), client.workspaceId(), client.userId());
    }

    /** Fresh tokens now, under the same lease as every refresh; the superseded refresh token is revoked at the provider. */
    public Rotation rotate(PortalClient client, String connectionId, String nonce) {
        Connection c = own(client, connectionId);
        if (c.status() == ConnectionStatus.REVOKED) {
            throw new InvalidState("connection_revoked", "a revoked connection cannot be rotated; connect the app again");
        }
        SecretOwner owner = new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app());
        String before = c.secretRef().map(ref -> vault.read(ref, owner).get("refreshToken")).orElse(null);
        RefreshOutcome outcome = refresher.refreshNow(c, RefreshReason.ROTATION);
        if (outcome instanceof RefreshOutcome.TooSoon soon) {
            throw new InvalidState("rotated_recently", "this connection's tokens were renewed moments ago; try again after "
                    + soon.notBefore());
        }
        if (outcome instanceof RefreshOutcome.Refreshed refreshed) {
            String after = vault.read(refreshed.connection().secretRef().orElseThrow(), owner).get("refreshToken");
            if (before != null && !before.equals(after)) {
                revocations.revokeSuperseded(refreshed.connection(), before);
            }
            return new Rotation.Rotated(refreshed.connection());
        }
        ConnectSession session = flow.createSessionAs(client.accountId(), Target.workspace(client.workspaceId()), client.userId(),
                ConnectSession.Opener.PORTAL, new NewConnectSession(c.app(), null, c.fields(), c.id(), nonce));
        return new Rotation.ReauthorizationRequired(flow.startUrl(session).toString());
    }

    public Connection revoke(PortalClient client, String connectionId) {
        return revocations.revoke(own(client, connectionId), "revoked_by_client");
    }

    /** The client's own OAuth connection in their workspace; anything else is "not found". */
    private Connection own(PortalClient client, String connectionId) {
        return Optional.ofNullable(connectionId).filter(Visibility::plausibleId).flatMap(store::find)
                .filter(c -> Visibility.toPortalClient(c, client))
                .orElseThrow(() -> new NotVisible("connection"));
    }
}
