package app.connections.functions.workspaces;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.Template;
import app.connections.platform.Environment;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class WorkspacesHandlerTest {
    private LocalAws local;
    private WorkspacesHandler handler;

    @BeforeEach
    void setUp(LocalAws local) {
        this.local = local;
        // Built as the Lambda runtime builds it: the no-arg constructor, in the template's environment.
        handler = Environment.with(local.environmentOf("WorkspacesFunction"), WorkspacesHandler::new);
    }

    APIGatewayV2HTTPEvent event(String name) throws Exception {
        try (InputStream in = Files.newInputStream(local.root().resolve("events/workspaces/" + name))) {
            return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader()).fromJson(in);
        }
    }

    @Test
    void anAccountAdminAddsAWorkspaceAndSeesItListed() throws Exception {
        APIGatewayV2HTTPEvent put = event("put-workspace.json");
        String account = "acct-" + UUID.randomUUID();
        retarget(put, account);

        APIGatewayV2HTTPResponse created = handler.handleRequest(put, null);

        assertThat(created.getStatusCode()).isEqualTo(200);
        assertThat(created.getBody()).contains("\"name\":\"Initech\"");
        APIGatewayV2HTTPEvent list = event("list-workspaces.json");
        retarget(list, account);
        APIGatewayV2HTTPResponse listed = handler.handleRequest(list, null);
        assertThat(listed.getStatusCode()).isEqualTo(200);
        assertThat(listed.getBody()).isEqualTo("{\"workspaces\":[{\"id\":\"ws-initech\",\"accountId\":\"" + account + "\",\"name\":\"Initech\"}]}");
    }

    @Test
    void anotherAccountsWorkspacesAreNotFound() throws Exception {
        APIGatewayV2HTTPEvent list = event("list-workspaces.json");
        list.getPathParameters().put("accountId", "someone-elses-account");

        APIGatewayV2HTTPResponse response = handler.handleRequest(list, null);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).isEqualTo("{\"error\":\"not_found\",\"message\":\"account not found\"}");
    }

    @Test
    void aMemberCannotAddWorkspaces() throws Exception {
        APIGatewayV2HTTPEvent put = event("put-workspace.json");
        put.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:account_role", "member");

        assertThat(handler.handleRequest(put, null).getStatusCode()).isEqualTo(403);
    }

    @Test
    void aMissingNameIsABadRequestNamingTheField() throws Exception {
        APIGatewayV2HTTPEvent put = event("put-workspace.json");
        put.setBody("{\"name\": \"\"}");

        APIGatewayV2HTTPResponse response = handler.handleRequest(put, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("\"field\":\"name\"");
    }

    @Test
    void theHandlerAnswersExactlyTheRoutesTheTemplateGivesIt() {
        Template.Function function = local.function("WorkspacesFunction");

        assertThat(handler.routes().keys()).containsExactlyInAnyOrderElementsOf(
                function.routes().stream().map(Template.HttpRoute::routeKey).toList());
        assertThat(function.handlerClass()).isEqualTo(WorkspacesHandler.class.getName());
    }

    private static void retarget(APIGatewayV2HTTPEvent event, String account) {
        event.setPathParameters(new HashMap<>(event.getPathParameters()));
        event.getPathParameters().put("accountId", account);
        event.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:account_id", account);
    }
}
