package microlith.module.api;

/** One directory entry of a module filesystem (name and inode number; "." and ".." are the VFS's). */
public record DirEntry(String name, long ino) {
}
