// `mvn camel:run` on a fresh clone (pom.xml, profile first-run). camel-maven-plugin's run goal never compiles and
// offers no way to: it only loads the main class from target/classes. So, while that class is missing, camel:run
// starts this script instead: it runs `mvn compile` once, then starts the application in this JVM, as camel:run
// would. Arguments: mvn executable, pom.xml, offline=true/false, main class, then the application's own arguments.
// Groovy's parser has a cleanup thread that logs a WARNING with a stack trace when camel:run interrupts it at the
// end of the run: it is not the application's, and not an error, so it is kept quiet. (A static field holds the
// logger: java.util.logging keeps loggers only weakly, and would forget the level.)
class QuietGroovyParser {
    static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger('org.apache.groovy.parser.antlr4')
}
QuietGroovyParser.LOG.level = java.util.logging.Level.SEVERE
def (mvn, pom, offline, mainClass) = args.take(4)
String[] appArgs = args.drop(4)
def classes = new File(new File(pom).absoluteFile.parentFile, 'target/classes')
if (!new File(classes, mainClass.replace('.', '/') + '.class').isFile()) {
    System.err.println("[first run] nothing is compiled yet, so this runs 'mvn compile' first "
            + "(next time: mvn compile camel:run)")
    def command = [mvn, '-q', '-B', '-f', pom] + (offline == 'offline=true' ? ['-o'] : []) + ['compile']
    int exit = new ProcessBuilder(command).inheritIO().start().waitFor()
    if (exit != 0) {
        System.err.println("[first run] 'mvn compile' failed (exit ${exit}): fix the errors above, then run: mvn compile camel:run")
        System.exit(exit)
    }
}
// camel:run built its class loader before target/classes existed: load the application from a child of it.
def loader = new URLClassLoader([classes.toURI().toURL()] as URL[], Thread.currentThread().contextClassLoader)
Thread.currentThread().contextClassLoader = loader
loader.loadClass(mainClass).getMethod('main', String[]).invoke(null, [appArgs] as Object[])
