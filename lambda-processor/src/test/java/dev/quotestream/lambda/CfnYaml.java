package dev.quotestream.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a CloudFormation/SAM YAML template into JSON, turning the short-form intrinsic tags
 * ({@code !Ref X}, {@code !GetAtt A.B}, {@code !Sub ...}) into their long forms ({@code {"Ref": "X"}},
 * {@code {"Fn::GetAtt": ["A", "B"]}}, {@code {"Fn::Sub": ...}}), as CloudFormation itself reads them.
 */
final class CfnYaml {

    private static final List<String> FUNCTIONS = List.of("And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt",
            "GetAZs", "If", "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform", "Length",
            "ToJsonString",
            // Rules functions
            "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll");

    private CfnYaml() {
    }

    static JsonNode load(Path template) throws IOException {
        Object yaml = new Yaml(new IntrinsicConstructor()).load(Files.readString(template));
        return new ObjectMapper().valueToTree(yaml);
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String name;

            Intrinsic(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    value = name.equals("Fn::GetAtt") ? Arrays.asList(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(name, value);
            }
        }
    }
}
