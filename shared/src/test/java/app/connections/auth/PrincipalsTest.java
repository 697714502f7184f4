package app.connections.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.platform.NotSignedIn;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrincipalsTest {

    @Test
    void aBuilderUserCarriesItsAccountAndWorkspaceRoles() {
        BuilderUser user = Principals.builderUser(Map.of("sub", "u1", "custom:account_id", "acct-1",
                "custom:account_role", "member", "custom:workspace_roles", "ws-a:admin, ws-b:editor"));

        assertThat(user.accountId()).isEqualTo("acct-1");
        assertThat(user.roleIn("ws-a")).contains(WorkspaceRole.ADMIN);
        assertThat(user.roleIn("ws-b")).contains(WorkspaceRole.EDITOR);
        assertThat(user.roleIn("ws-c")).isEmpty();
    }

    @Test
    void anAccountAdminActsAsAdminOfEveryWorkspaceOfItsAccount() {
        BuilderUser admin = Principals.builderUser(Map.of("sub", "u1", "custom:account_id", "acct-1",
                "custom:account_role", "admin"));

        assertThat(admin.isAccountAdmin()).isTrue();
        assertThat(admin.roleIn("any-workspace")).contains(WorkspaceRole.ADMIN);
    }

    @Test
    void theAccountIdReservedForOurOAuthAppSecretsIsRefused() {
        assertThatThrownBy(() -> Principals.builderUser(Map.of("sub", "u1", "custom:account_id", "oauth-apps",
                "custom:account_role", "admin")))
                .isInstanceOf(NotSignedIn.class);
    }

    @Test
    void aTokenWithoutTheBuilderClaimsIsRefused() {
        assertThatThrownBy(() -> Principals.builderUser(Map.of("sub", "u1", "custom:account_id", "acct-1")))
                .isInstanceOf(NotSignedIn.class);
        assertThatThrownBy(() -> Principals.builderUser(Map.of("sub", "u1", "custom:account_id", "acct-1",
                "custom:account_role", "owner")))
                .isInstanceOf(NotSignedIn.class);
    }

    @Test
    void malformedWorkspaceRolesMakeTheTokenUnusable() {
        assertThatThrownBy(() -> Principals.builderUser(Map.of("sub", "u1", "custom:account_id", "acct-1",
                "custom:account_role", "member", "custom:workspace_roles", "ws-a:superuser")))
                .isInstanceOf(NotSignedIn.class);
        assertThatThrownBy(() -> Principals.builderUser(Map.of("sub", "u1", "custom:account_id", "acct-1",
                "custom:account_role", "member", "custom:workspace_roles", "../x:admin")))
                .isInstanceOf(NotSignedIn.class);
    }

    @Test
    void aPortalClientIsBoundToOneWorkspace() {
        PortalClient client = Principals.portalClient(Map.of("sub", "c1", "custom:account_id", "acct-1",
                "custom:workspace_id", "ws-a"));

        assertThat(client.workspaceId()).isEqualTo("ws-a");
    }

    @Test
    void aBuilderTokenIsNotAPortalToken() {
        assertThatThrownBy(() -> Principals.portalClient(Map.of("sub", "u1", "custom:account_id", "acct-1",
                "custom:account_role", "admin", "custom:workspace_id", "ws-a")))
                .isInstanceOf(NotSignedIn.class);
    }
}
