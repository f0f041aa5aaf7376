package dev.quotestream.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every DynamoDB operation the code can call is allowed by the role that runs it, on the table. A role is checked
 * in the template only, so a missing action shows first in production, as AccessDenied on a write: the Camel task's
 * role once lacked BatchWriteItem, which its table and alert-log writes use.
 */
class RolesCoverTheCodeTest {

    /** SDK client method -> IAM action. */
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("putItem", "dynamodb:PutItem"),
            Map.entry("getItem", "dynamodb:GetItem"),
            Map.entry("updateItem", "dynamodb:UpdateItem"),
            Map.entry("deleteItem", "dynamodb:DeleteItem"),
            Map.entry("query", "dynamodb:Query"),
            Map.entry("queryPaginator", "dynamodb:Query"),
            Map.entry("scan", "dynamodb:Scan"),
            Map.entry("batchWriteItem", "dynamodb:BatchWriteItem"),
            Map.entry("batchGetItem", "dynamodb:BatchGetItem"),
            Map.entry("transactWriteItems", "dynamodb:TransactWriteItems"),
            Map.entry("transactGetItems", "dynamodb:TransactGetItems"),
            Map.entry("describeTable", "dynamodb:DescribeTable"));
    private static final Pattern CALL = Pattern.compile("\\.(" + String.join("|", ACTIONS.keySet()) + ")\\(");

    static Path repoRoot;
    static JsonNode resources;

    @BeforeAll
    static void load() throws IOException {
        repoRoot = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        resources = CfnYaml.load(repoRoot.resolve("infra/sam.yaml")).get("Resources");
    }

    @Test
    void theLambdaRoleAllowsWhatTheSharedCoreAndTheHandlerCall() {
        Set<String> called = dynamoActionsCalledUnder("src/main/java/dev/quotestream/core",
                "lambda-processor/src/main/java/dev/quotestream/lambda");
        assertThat(called).as("the scan finds the batch write").contains("dynamodb:BatchWriteItem");
        assertThat(tableActions("ProcessorRole")).containsAll(called);
    }

    @Test
    void theCamelTaskRoleAllowsWhatTheApplicationCalls() {
        // AwsBootstrap creates missing resources for emulators and sandboxes only (aws.create-resources); the
        // deployed task never does, and its role must not be able to.
        Set<String> called = dynamoActionsCalledUnder("src/main/java");
        called.removeAll(actionsIn(repoRoot.resolve("src/main/java/dev/quotestream/aws/AwsBootstrap.java")));
        called.add("dynamodb:DescribeTable"); // the bootstrap's check that the table exists, which it keeps
        assertThat(called).as("the scan finds the batch write and the startup query")
                .contains("dynamodb:BatchWriteItem", "dynamodb:Query");
        assertThat(tableActions("CamelTaskRole")).containsAll(called);
    }

    private static Set<String> dynamoActionsCalledUnder(String... folders) {
        Set<String> actions = new TreeSet<>();
        for (String folder : folders) {
            try (Stream<Path> files = Files.walk(repoRoot.resolve(folder))) {
                files.filter(f -> f.toString().endsWith(".java")).filter(RolesCoverTheCodeTest::usesDynamoDb)
                        .forEach(f -> actions.addAll(actionsIn(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return actions;
    }

    private static boolean usesDynamoDb(Path file) {
        return read(file).contains("software.amazon.awssdk.services.dynamodb");
    }

    private static Set<String> actionsIn(Path file) {
        Set<String> actions = new TreeSet<>();
        Matcher m = CALL.matcher(read(file));
        while (m.find()) {
            actions.add(ACTIONS.get(m.group(1)));
        }
        return actions;
    }

    /** The role's DynamoDB actions on the quotes table. */
    private static Set<String> tableActions(String role) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode policy : resources.at("/" + role + "/Properties/Policies")) {
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                if (!statement.at("/Resource/Fn::GetAtt/0").asText().equals("QuotesTable")) {
                    continue;
                }
                statement.get("Action").forEach(a -> actions.add(a.asText()));
            }
        }
        assertThat(actions).as(role + " has a statement on QuotesTable").isNotEmpty();
        return actions;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
