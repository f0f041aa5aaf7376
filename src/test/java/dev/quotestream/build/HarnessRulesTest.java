package dev.quotestream.build;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loopback AWS servers have one harness, dev.quotestream.testing under src/test/java, which lambda-processor
 * compiles by one rule (its pom's "loopback-aws-harness" test source and one testIncludes pattern). So the
 * harness may use only what both test builds have, and no other test starts servers of its own.
 */
class HarnessRulesTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path HARNESS = ROOT.resolve("src/test/java/dev/quotestream/testing");
    /** Libraries on both test class paths (Jackson included); no Camel, no AWS SDK (lambda-processor has no Kinesis client). */
    static final List<String> ALLOWED_IMPORTS = List.of("java.", "org.junit.", "com.github.tomakehurst.wiremock.",
            "org.gaul.s3proxy.", "org.jclouds.", "com.fasterxml.jackson.", "dev.quotestream.testing.");
    /** Code that starts an emulator or a fault proxy: only the harness has it. */
    static final Pattern STARTS_A_SERVER = Pattern.compile(
            "S3Proxy\\.builder\\(|new ProcessBuilder\\(\"node\"|\"(main|cli)\\.js\"|class\\s+\\w*TcpProxy\\b");
    static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void theHarnessImportsOnlyWhatBothTestBuildsHave() throws IOException {
        List<Path> files = javaFiles(HARNESS);
        assertThat(files).isNotEmpty();
        List<String> offending = new ArrayList<>();
        for (Path file : files) {
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                String imported = m.group(2);
                if (ALLOWED_IMPORTS.stream().noneMatch(imported::startsWith)) {
                    offending.add(HARNESS.relativize(file) + ": " + imported);
                }
            }
            assertThat(file.getFileName().toString()).as("no test classes in the harness: lambda-processor would run them too")
                    .doesNotEndWith("Test.java").doesNotEndWith("Tests.java");
        }
        assertThat(offending).isEmpty();
    }

    @Test
    void noOtherTestSourceStartsLoopbackServers() throws IOException {
        List<String> offending = new ArrayList<>();
        for (Path tests : List.of(ROOT.resolve("src/test/java"), ROOT.resolve("lambda-processor/src/test/java"))) {
            for (Path file : javaFiles(tests)) {
                if (file.startsWith(HARNESS)) {
                    continue;
                }
                String name = file.getFileName().toString();
                if (name.equals("LoopbackAws.java") || name.equals("LocalAws.java") || name.equals("TcpProxy.java")) {
                    offending.add(ROOT.relativize(file) + ": a second harness");
                }
                Files.readString(file).lines().filter(l -> STARTS_A_SERVER.matcher(l).find())
                        .forEach(l -> offending.add(ROOT.relativize(file) + ": " + l.strip()));
            }
        }
        assertThat(offending).as("servers started outside dev.quotestream.testing").isEmpty();
    }

    @Test
    void thePatternRecognisesWhatTheFormerHarnessesDid() {
        String q = "\"";
        // Lines of the two harnesses this one replaced, assembled so that this file stays clean.
        assertThat(Stream.of("S3Proxy s3Proxy = S3Proxy" + ".builder().blobStore(context.getBlobStore())",
                "Process dynalite = new ProcessBuilder(" + q + "node" + q + ", cli.toString(), " + q + "--port" + q + ",",
                "ProcessBuilder kinesis = new ProcessBuilder(" + q + "node" + q + ", " + q + "main" + ".js" + q + ")",
                "public static final class " + "TcpProxy implements AutoCloseable {"))
                .allMatch(line -> STARTS_A_SERVER.matcher(line).find());
    }

    @Test
    void lambdaProcessorCompilesTheHarnessByOneRuleAndNothingElseOfTheRootTests() throws IOException {
        String pom = Files.readString(ROOT.resolve("lambda-processor/pom.xml"));
        assertThat(count(pom, "<shared.test.source>${project.basedir}/../src/test/java</shared.test.source>")).isEqualTo(1);
        assertThat(count(pom, "<source>${shared.test.source}</source>")).as("one add-test-source of it").isEqualTo(1);
        Matcher block = Pattern.compile("<testIncludes>(.*?)</testIncludes>", Pattern.DOTALL).matcher(pom);
        assertThat(block.find()).isTrue();
        List<PathMatcher> includes = new ArrayList<>();
        Matcher include = Pattern.compile("<include>(.*?)</include>").matcher(block.group(1));
        while (include.find()) {
            includes.add(FileSystems.getDefault().getPathMatcher("glob:" + include.group(1)));
        }
        Path rootTests = ROOT.resolve("src/test/java");
        List<String> compiledThere = javaFiles(rootTests).stream().map(rootTests::relativize)
                .filter(p -> includes.stream().anyMatch(m -> m.matches(p))).map(Path::toString).sorted().toList();
        List<String> harness = javaFiles(HARNESS).stream().map(rootTests::relativize).map(Path::toString).sorted().toList();
        assertThat(compiledThere).as("root test sources lambda-processor compiles").isEqualTo(harness);
    }

    static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
