package dev.quotestream.local;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files under the data directory, written so that a reader never sees half of one and a failure leaves nothing
 * behind: the lake's objects and the dead letters go to a hidden temporary name in the same folder, are forced to
 * disk, then renamed; a failed write (a full disk, a read-only mount) deletes its temporary file and throws, so the
 * caller retries. Alert lines are appended whole and forced to disk; a failed append is cut back off.
 */
public class LocalFiles {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFiles.class);
    private final Path root;

    public LocalFiles(Path root) {
        this.root = root;
    }

    /**
     * Deletes the temporary files a killed process left mid-write ({@code .name.inprogress}): their content was never
     * acknowledged, so the records they held are read again from the stream. Run once at startup, before any write.
     *
     * @return how many were deleted
     */
    public int sweepInterruptedWrites() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".inprogress") && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot clean interrupted writes under " + root, e);
        }
        if (deleted > 0) {
            LOG.info("Deleted {} temporary file(s) of writes interrupted by an earlier stop under {}", deleted, root);
        }
        return deleted;
    }

    /** Camel endpoint method ({@code bean:localFiles?method=write}): body to {@code ${root}/${CamelFileName}}. */
    public void write(Exchange exchange) throws IOException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("no file name (header CamelFileName)");
        }
        write(name, exchange.getMessage().getBody(byte[].class));
    }

    public void write(String relative, byte[] content) throws IOException {
        Path target = resolve(relative);
        Files.createDirectories(target.getParent());
        writeAtomically(target, content);
    }

    /** Camel endpoint method ({@code bean:localFiles?method=appendLine}): the body and a newline to the file. */
    public void appendLine(Exchange exchange) throws IOException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        appendLine(name, exchange.getMessage().getBody(String.class));
    }

    public synchronized void appendLine(String relative, String line) throws IOException {
        Path target = resolve(relative);
        Files.createDirectories(target.getParent());
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = channel.size();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                channel.position(size);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } catch (IOException failed) {
                try {
                    channel.truncate(size); // never half a line
                } catch (IOException ignored) {
                    LOG.error("Could not cut a partial line off {}: {}", target, ignored.getMessage());
                }
                throw failed;
            }
        }
    }

    /**
     * Opens a SQLite file of the local profile in WAL mode with these pragmas, creating its folder: the one way the
     * local table and the local stream open their files, with the same errors (a clear one for an unwritable folder).
     *
     * @param what what the file is, for the error ("the local table")
     */
    public static java.sql.Connection openSqlite(Path file, String what, String... pragmas) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
            try (java.sql.Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                for (String pragma : pragmas) {
                    s.execute("PRAGMA " + pragma);
                }
            }
            return connection;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the data directory for " + file, e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot open " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** Temporary file in the same folder, forced to disk, renamed over the target; deleted on any failure. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".inprogress");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notAtomic) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(target.getParent());
        } catch (IOException | RuntimeException failed) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cannotDelete) {
                LOG.error("Could not delete the temporary file {}: {}", temp, cannotDelete.getMessage());
            }
            throw failed;
        }
    }

    /** The rename itself is durable once the folder is forced (Linux; elsewhere best effort). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // Some platforms cannot open a folder: the file itself is forced already.
        }
    }

    private Path resolve(String relative) {
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root.normalize())) {
            throw new IllegalArgumentException("file name leaves the data directory: " + relative);
        }
        return target;
    }
}
