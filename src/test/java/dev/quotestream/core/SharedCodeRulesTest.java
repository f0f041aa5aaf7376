package dev.quotestream.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code the route and the Lambda share has one home, the package dev.quotestream.core, and the Lambda compiles it
 * by one rule (lambda-processor/pom.xml). Nothing in it imports Camel or the Camel application's other packages; only
 * core/aws (the SDK adapters and the one client factory) imports the AWS SDK. So both sides run the same decoder,
 * dead letters, outbox and failure classification.
 */
class SharedCodeRulesTest {

    static final Path MAIN = Path.of("src/main/java/dev/quotestream");
    static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    static final String[] APPLICATION = {"org.apache.camel", "dev.quotestream.pipeline", "dev.quotestream.local",
            "dev.quotestream.quotes", "dev.quotestream.aws.", "dev.quotestream.report", "dev.quotestream.dashboard",
            "dev.quotestream.tools", "dev.quotestream.lambda"};

    @Test
    void theSharedPackageImportsNoCamelAndNothingOfTheApplication() throws IOException {
        assertThat(imports("core", APPLICATION)).isEmpty();
    }

    @Test
    void onlyTheSdkAdaptersImportTheAwsSdk() throws IOException {
        List<String> sdk = imports("core", "software.amazon");
        assertThat(sdk).allMatch(line -> line.startsWith(MAIN.resolve("core/aws").toString()));
        assertThat(imports("core/metrics", "com.fasterxml")).isEmpty();
    }

    @Test
    void theLambdaCompilesTheSharedPackageByOneRule() throws IOException {
        String pom = Files.readString(Path.of("lambda-processor/pom.xml"));
        Matcher block = Pattern.compile("<includes>(.*?)</includes>", Pattern.DOTALL).matcher(pom);
        assertThat(block.find()).isTrue();
        List<String> rules = new ArrayList<>();
        Matcher include = Pattern.compile("<include>(.*?)</include>").matcher(block.group(1));
        while (include.find()) {
            rules.add(include.group(1));
        }
        assertThat(rules).containsExactlyInAnyOrder("dev/quotestream/lambda/**", "dev/quotestream/core/**");
    }

    private static List<String> imports(String pkg, String... forbidden) throws IOException {
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    for (String prefix : forbidden) {
                        if (m.group(2).startsWith(prefix)) {
                            offending.add(file + ": " + m.group(2));
                        }
                    }
                }
            }
        }
        return offending;
    }
}
