package dev.quotestream.build;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh clone stands on its own: no file of the build (poms, CI scripts, sources, test resources, the SAM
 * template) may point at the team's folder beside the repository, neither by a relative path nor by its
 * absolute path, nor through the system property that used to carry it. Fixtures live in the repository.
 */
class SelfContainedBuildTest {

    static final Pattern OUTSIDE_FOLDER = Pattern.compile("(\\.\\./|/work/)shared\\b|shared\\.dir");
    static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void noBuildFileReferencesTheFolderBesideTheRepository() throws Exception {
        List<String> files = buildFiles();
        assertThat(files).as("the guard sees the build").contains("pom.xml", "lambda-processor/pom.xml", ".ci/run",
                "src/test/resources/yahoo/SOURCE.md", "lambda-processor/src/test/resources/schemas/SOURCE.md");
        List<String> offending = new ArrayList<>();
        for (String file : files) {
            String text = new String(Files.readAllBytes(ROOT.resolve(file)), StandardCharsets.ISO_8859_1);
            text.lines().filter(line -> OUTSIDE_FOLDER.matcher(line).find())
                    .forEach(line -> offending.add(file + ": " + line.strip()));
        }
        assertThat(offending).as("references to a folder outside the repository").isEmpty();
    }

    @Test
    void thePatternCatchesEachForm() {
        // Assembled here, so this file itself stays clean for the scan above.
        String up = "..";
        String folder = "shared";
        assertThat(Stream.of("Path.of(\"" + up + "/" + folder + "/fixtures\")", "${project.basedir}/" + up + "/" + up + "/" + folder,
                "System.getProperty(\"" + folder + ".dir\")", "cat /work/" + folder + "/schemas/x.json"))
                .allMatch(s -> OUTSIDE_FOLDER.matcher(s).find());
        assertThat(OUTSIDE_FOLDER.matcher("the shared metrics source ../src/main/java").find()).isFalse();
    }

    /** Tracked files (git ls-files) of the build; without git (a source archive), the same folders on disk. */
    static List<String> buildFiles() throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(Files.exists(ROOT.resolve(".git")) ? gitLsFiles() : List.of());
        if (all.isEmpty()) {
            try (Stream<Path> walk = Files.walk(ROOT)) {
                walk.filter(Files::isRegularFile).map(p -> ROOT.relativize(p).toString().replace('\\', '/'))
                        .filter(p -> !p.contains("/target/") && !p.startsWith("target/") && !p.startsWith(".tools/"))
                        .forEach(all::add);
            }
        }
        return all.stream().filter(SelfContainedBuildTest::partOfTheBuild).sorted().toList();
    }

    private static List<String> gitLsFiles() throws InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "ls-files").directory(ROOT.toFile()).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return git.waitFor() == 0 ? out.lines().toList() : List.of();
        } catch (IOException noGit) {
            return List.of();
        }
    }

    static boolean partOfTheBuild(String file) {
        return file.endsWith("pom.xml") || file.startsWith(".ci/") || file.startsWith("src/")
                || file.startsWith("lambda-processor/src/") || file.startsWith("infra/");
    }
}
