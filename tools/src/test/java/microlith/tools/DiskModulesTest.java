package microlith.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disk stack end to end: an image made by mkfs, the ata driver and the mlfs module
 * loaded from the shell, files written through mount, the machine powered off and
 * booted again on the same image, the files read back, and fsck on the host.
 */
class DiskModulesTest {
    @TempDir
    Path tmp;

    private Cli boot(Path disk, String script) throws IOException {
        Path file = Files.createTempFile(tmp, "script", ".sh");
        Files.writeString(file, "exec 2>&1\n" + script);
        List<String> args = new ArrayList<>(List.of("run"));
        if (disk != null) {
            args.add("--disk=" + disk);
        }
        args.addAll(List.of("--add", file.toString(), "/bin/sh", "/host/" + file.getFileName()));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void filesWrittenUnderMountSurviveARebootAndFsckFindsTheImageClean() throws IOException {
        Path img = tmp.resolve("disk.img");
        assertThat(Cli.run("mkfs", img.toString(), "--size", "8M").status).isZero();

        Cli first = boot(img, String.join("\n",
            "modprobe ata", "modprobe mlfs",
            "mount -t mlfs /dev/hda /mnt",
            "mkdir /mnt/docs",
            "echo persistent data > /mnt/docs/a.txt",
            "echo more >> /mnt/docs/a.txt",
            "cp /bin/hello /mnt/hello",
            "cat /proc/mounts",
            "rmmod ata",
            "cd /mnt",
            "umount /mnt",
            "cd /",
            "umount /mnt",
            "echo status=$?",
            "grep -c ata /proc/interrupts",
            ""));
        assertThat(first.status).as(first.toString()).isZero();
        assertThat(first.out).contains("/dev/hda /mnt mlfs rw 0 0")
            .contains("rmmod: ERROR: Module ata is in use")
            .contains("umount: /mnt: target is busy.")
            .contains("status=0");

        Cli fsck = Cli.run("fsck", img.toString());
        assertThat(fsck.status).as(fsck.toString()).isZero();
        assertThat(fsck.out).contains("clean");

        Cli second = boot(img, String.join("\n",
            "modprobe mlfs", "modprobe ata",
            "mount -t mlfs -o ro /dev/hda /mnt",
            "cat /mnt/docs/a.txt",
            "/mnt/hello",
            "ls /mnt",
            "touch /mnt/new",
            "umount /mnt",
            "rmmod mlfs", "rmmod ata",
            "lsmod",
            ""));
        assertThat(second.status).as(second.toString()).isZero();
        assertThat(second.out).contains("persistent data\nmore\n")
            .contains("Hello, world!")
            // stdout is a pipe here, so ls lists one name per line, as it does natively.
            .contains("docs\nhello\n")
            .contains("Read-only file system");
        assertThat(second.out).doesNotContain("mlfs  ").doesNotContain("ata  ");
    }

    @Test
    void theDriverRefusesToLoadWithoutADisk() throws IOException {
        Cli c = boot(null, "modprobe ata\necho status=$?\ndmesg | grep 'ata:'\nlsmod\n");
        assertThat(c.out).contains("could not insert 'ata': No such device")
            .contains("ata: no drive on primary channel")
            .contains("status=1");
    }

    @Test
    void mountChecksItsArgumentsInLinuxOrder() throws IOException {
        Path img = tmp.resolve("d.img");
        assertThat(Cli.run("mkfs", img.toString(), "--size", "1M").status).isZero();
        Cli c = boot(img, String.join("\n",
            "mount -t mlfs /dev/hda /nonexistent",
            "mount -t nosuchfs /dev/hda /mnt",
            "modprobe mlfs",
            "mount -t mlfs /dev/null /mnt",
            "mount -t mlfs /dev/hda /mnt",
            "umount /nonexistent",
            "umount /tmp",
            ""));
        assertThat(c.out).contains("mount: /nonexistent: mount point does not exist.")
            .contains("mount: /mnt: unknown filesystem type 'nosuchfs'.")
            .contains("mount: /mnt: /dev/null is not a block device.")
            .contains("mount: /mnt: special device /dev/hda does not exist.")
            .contains("umount: /nonexistent: no mount point specified.")
            .contains("umount: /tmp: not mounted.");
    }
}
