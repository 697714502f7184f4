package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bin/user's command line: the pool and the custom attributes the seed gives users of each role. */
class UserCommandTest {

    @Test
    void anAccountAdmin() {
        UserCommand.NewUser user = UserCommand.parse(List.of("add", "boss@x.test", "--account", "acct-x", "--account-role", "admin"));

        assertThat(user.pool()).isEqualTo("BuilderUserPool");
        assertThat(user.attributes()).isEqualTo(Map.of("custom:account_id", "acct-x", "custom:account_role", "admin",
                "custom:workspace_roles", ""));
        assertThat(user.workspaces()).isEmpty();
    }

    @Test
    void aMemberWithRolesInTwoWorkspaces() {
        UserCommand.NewUser user = UserCommand.parse(List.of("add", "ed@x.test", "--account", "acct-x",
                "--workspace", "ws-a", "--role", "editor", "--workspace", "ws-b", "--role", "ADMIN"));

        assertThat(user.attributes()).containsEntry("custom:account_role", "member")
                .containsEntry("custom:workspace_roles", "ws-a:editor,ws-b:admin");
        assertThat(user.workspaces()).containsExactly("ws-a", "ws-b");
    }

    @Test
    void aPortalClient() {
        UserCommand.NewUser user = UserCommand.parse(List.of("add", "client@x.test", "--account", "acct-x", "--portal", "ws-a"));

        assertThat(user.pool()).isEqualTo("PortalUserPool");
        assertThat(user.attributes()).isEqualTo(Map.of("custom:account_id", "acct-x", "custom:workspace_id", "ws-a"));
        assertThat(user.workspaces()).containsExactly("ws-a");
    }

    @Test
    void commandLinesThatDoNotSayWhatToAddAreRefused() {
        for (List<String> args : List.of(
                List.of("add", "a@x.test"),
                List.of("add", "not-an-email", "--account", "a"),
                List.of("add", "a@x.test", "--account", "a", "--workspace", "ws"),
                List.of("add", "a@x.test", "--account", "a", "--role", "admin"),
                List.of("add", "a@x.test", "--account", "a", "--workspace", "ws", "--role", "member"),
                List.of("add", "a@x.test", "--account", "a", "--account-role", "owner"),
                List.of("add", "a@x.test", "--account", "a", "--portal", "ws", "--account-role", "admin"),
                List.of("add", "a@x.test", "--account", "bad id"),
                List.of("remove", "a@x.test"))) {
            assertThatThrownBy(() -> UserCommand.parse(args)).as(String.join(" ", args)).isInstanceOf(UserCommand.UsageException.class);
        }
    }
}
