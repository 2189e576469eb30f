package io.obsync.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A file of a task's state (saved position, schema history) written so that a crash or a full disk
 * cannot leave it half written: the new content goes to a file beside it, is synced, and replaces the
 * old one by a rename; the folder is synced so the rename itself survives a power loss. The previous
 * generation stays beside it as {@code <name>.prev}.
 */
final class StateFile {

    private StateFile() {
    }

    /** The previous generation of a state file. */
    static Path previous(Path file) {
        return file.resolveSibling(file.getFileName() + ".prev");
    }

    /** Where a state file that could not be read is kept for inspection. */
    static Path damaged(Path file) {
        return file.resolveSibling(file.getFileName() + ".damaged");
    }

    /** A state file that cannot be read: the task stops with this line. */
    static StateException unreadable(Path file, String problem) {
        String what = file.getFileName().toString().startsWith("schema-history") ? "schema history" : "saved position";
        return StateException.damaged(what, file.toString(), problem);
    }

    /** Replaces the file's content in one step, keeping the content it had as the previous generation. */
    static void write(Path file, byte[] content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        if (Files.exists(file)) {
            Files.move(file, previous(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        syncFolder(file);
    }

    /** Makes the file's folder entry (a rename, a new file) durable. */
    static void syncFolder(Path file) throws IOException {
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /** Makes a folder's entries (renames, new files) durable. */
    static void syncDirectory(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems do not open folders for syncing; the rename is still atomic there
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                return;
            }
            throw e;
        }
    }

    /** Moves a damaged file aside (replacing an earlier damaged copy) so that it no longer counts as the state. */
    static void setAside(Path file) throws IOException {
        Files.move(file, damaged(file), StandardCopyOption.REPLACE_EXISTING);
        syncFolder(file);
    }
}
