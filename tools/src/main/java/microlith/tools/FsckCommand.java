package microlith.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import microlith.module.api.Errno;
import microlith.modules.mlfs.DiskSuperblock;
import microlith.modules.mlfs.FsError;
import microlith.modules.mlfs.Layout;
import microlith.tools.fs.Fsck;
import microlith.tools.fs.ImageDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code microlith fsck IMAGE}: checks an mlfs image as e2fsck checks ext2. It repairs
 * nothing but the clean flag: a consistent filesystem that was not cleanly unmounted is
 * marked clean again unless -n is given.
 */
@Command(name = "fsck", mixinStandardHelpOptions = true,
    description = {"Check an mlfs filesystem image (see docs/mlfs.md).",
        "Prints problems one per line, then a summary. Exit status as e2fsck's: 0 no errors,",
        "4 errors left uncorrected, 8 operational error (missing image, not mlfs)."})
public final class FsckCommand implements Callable<Integer> {
    static final int OK = 0, UNCORRECTED = 4, OPERATIONAL = 8;

    @Option(names = "-n", description = "Open the image read-only and change nothing.")
    boolean readOnly;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The filesystem image.")
    Path image;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (Files.isDirectory(image)) {
            return fail("Is a directory");
        }
        boolean writable = !readOnly && Files.isWritable(image);
        try (ImageDevice dev = ImageDevice.open(image, writable)) {
            Fsck.Result r = Fsck.check(dev);
            DiskSuperblock sb = r.superblock();
            if (r.usedInodes() >= 0 && !sb.isClean()) {
                out.println(image + " was not cleanly unmounted, check forced.");
            }
            for (String p : r.problems()) {
                out.println(p);
            }
            String counts = r.usedInodes() + "/" + sb.inodes() + " files, " + r.usedBlocks() + "/" + sb.blocks()
                + " blocks";
            if (!r.ok()) {
                out.println(image + ": ********** WARNING: Filesystem still has errors **********");
                if (r.usedInodes() >= 0) {
                    out.println(image + ": " + counts);
                }
                return UNCORRECTED;
            }
            if (sb.isClean()) {
                out.println(image + ": clean, " + counts);
                return OK;
            }
            if (writable) {
                markClean(dev, sb);
            }
            out.println(image + ": " + counts);
            return OK;
        } catch (NoSuchFileException e) {
            return fail("No such file or directory");
        } catch (IOException e) {
            return fail(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (Fsck.NotMlfs e) {
            return fail(e.getMessage());
        } catch (FsError e) {
            return fail("I/O error: " + e.getMessage());
        }
    }

    private static void markClean(ImageDevice dev, DiskSuperblock sb) {
        byte[] sector = sb.withState(Layout.STATE_CLEAN).encode();
        if (dev.write(0, 1, sector, 0) != 1 || dev.flush() != 0) {
            throw new FsError(Errno.EIO, "cannot write the superblock");
        }
    }

    private int fail(String why) {
        System.err.println("microlith: fsck: " + image + ": " + why);
        return OPERATIONAL;
    }
}
