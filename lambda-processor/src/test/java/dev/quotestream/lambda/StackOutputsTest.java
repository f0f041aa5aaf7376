package dev.quotestream.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack output CamelAwsProfileArguments is pasted as printed (after {@code java} or {@code mvn compile camel:run})
 * and is what the ECS service passes: every option must be a property the aws profile defines, the options a real
 * deployment needs must all be there, and processing must be off in Camel while the Lambda processes.
 */
class StackOutputsTest {

    static final Set<String> REQUIRED = Set.of("camel.main.profile", "aws.region", "aws.stream", "aws.table",
            "aws.bucket", "aws.topic-arn", "quotes.base-url", "pipeline.process-in-camel", "report.topic-arn",
            "report.athena.workgroup", "report.athena.output-location", "report.glue.database", "report.glue.crawler");

    static Path repoRoot;
    static JsonNode template;
    static Set<String> awsProfileProperties = new TreeSet<>();

    @BeforeAll
    static void load() throws IOException {
        repoRoot = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        template = CfnYaml.load(repoRoot.resolve("infra/sam.yaml"));
        // The aws profile = application.properties overlaid with application-aws.properties.
        for (String file : new String[] {"application.properties", "application-aws.properties"}) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(repoRoot.resolve("src/main/resources").resolve(file))) {
                p.load(in);
            }
            awsProfileProperties.addAll(p.stringPropertyNames());
        }
    }

    /**
     * The output as CloudFormation prints it for one value of ProcessWithLambda: ${AWS::Region} and
     * ${LogicalId} become {@code <Region>} / {@code <LogicalId>}, the variable map's Fn::If is evaluated.
     */
    static String resolve(JsonNode sub, boolean processWithLambda) {
        assertThat(sub.isArray()).as("Fn::Sub with a variable map").isTrue();
        Map<String, String> variables = new LinkedHashMap<>();
        sub.get(1).fields().forEachRemaining(e -> {
            JsonNode when = e.getValue().get("Fn::If");
            assertThat(when.get(0).asText()).isEqualTo("LambdaProcesses");
            variables.put(e.getKey(), when.get(processWithLambda ? 1 : 2).asText());
        });
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9:.]+)}").matcher(sub.get(0).asText());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = variables.containsKey(name) ? variables.get(name)
                    : "<" + name.replace("AWS::", "") + ">";
            if (!variables.containsKey(name) && !name.startsWith("AWS::")) {
                assertThat(template.at("/Resources/" + name.split("\\.")[0]).isMissingNode()
                        && template.at("/Parameters/" + name).isMissingNode())
                        .as("${" + name + "} names a resource or parameter of the template").isFalse();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Map<String, String> options(String arguments) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String token : arguments.trim().split("\\s+")) {
            assertThat(token).as("each argument is -Dname=value").matches("-D[a-z][a-z0-9.-]*=\\S*");
            String option = token.substring(2);
            assertThat(options.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1)))
                    .as("set once: " + token).isNull();
        }
        return options;
    }

    @Test
    void everyOptionIsARealPropertyOfTheAwsProfileAndTheRequiredOnesAreThere() {
        JsonNode sub = template.at("/Outputs/CamelAwsProfileArguments/Value/Fn::Sub");
        assertThat(template.at("/Conditions/LambdaProcesses/Fn::Equals").toString())
                .isEqualTo("[{\"Ref\":\"ProcessWithLambda\"},\"true\"]");
        for (boolean lambda : new boolean[] {true, false}) {
            Map<String, String> options = options(resolve(sub, lambda));
            assertThat(awsProfileProperties).as("properties of the aws profile").containsAll(options.keySet());
            assertThat(options.keySet()).containsAll(REQUIRED);
            assertThat(options).containsEntry("camel.main.profile", "aws")
                    .containsEntry("quotes.base-url", "https://query2.finance.yahoo.com")
                    .containsEntry("pipeline.process-in-camel", String.valueOf(!lambda))
                    .containsEntry("aws.region", "<Region>")
                    .containsEntry("aws.stream", "<QuoteStream>")
                    .containsEntry("aws.table", "<QuotesTable>")
                    .containsEntry("aws.bucket", "<LakeBucket>")
                    .containsEntry("aws.topic-arn", "<AlertsTopic>")
                    .containsEntry("report.topic-arn", "<ReportsTopic>")
                    .containsEntry("report.athena.workgroup", "<AthenaWorkGroup>")
                    .containsEntry("report.athena.output-location", "s3://<LakeBucket>/athena-results/")
                    .containsEntry("report.glue.database", "<GlueDatabase>")
                    .containsEntry("report.glue.crawler", "<RawQuotesCrawler>")
                    // the report e-mail: SES from the stack's sender to its recipients (both empty = no e-mail)
                    .containsEntry("report.mail.from", "<ReportMailFrom>")
                    .containsEntry("report.mail.to", "<ReportMailTo>");
        }
        // The names the report options point at are what the stack creates for them.
        assertThat(template.at("/Resources/ReportsTopic/Type").asText()).isEqualTo("AWS::SNS::Topic");
        assertThat(template.at("/Resources/AthenaWorkGroup/Properties/WorkGroupConfiguration/ResultConfiguration/OutputLocation/Fn::Sub")
                .asText()).isEqualTo("s3://${LakeBucket}/athena-results/");
    }

    @Test
    void theEcsServicePassesExactlyTheSameOptions() {
        JsonNode container = template.at("/Resources/CamelTaskDefinition/Properties/ContainerDefinitions/0");
        JsonNode env = container.get("Environment");
        assertThat(env).hasSize(1);
        assertThat(env.get(0).get("Name").asText()).isEqualTo("JAVA_TOOL_OPTIONS");
        assertThat(env.get(0).at("/Value/Fn::Sub")).isEqualTo(template.at("/Outputs/CamelAwsProfileArguments/Value/Fn::Sub"));
    }

    @Test
    void theOptionParserRejectsWhatIsNotAnOption() {
        assertThat(options("-Da.b=1 -Dc=x")).containsExactly(Map.entry("a.b", "1"), Map.entry("c", "x"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options("-Da=1 b=2")).isInstanceOf(AssertionError.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options("-Da=1 -Da=2")).isInstanceOf(AssertionError.class);
    }
}
