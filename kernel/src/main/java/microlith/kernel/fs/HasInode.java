package microlith.kernel.fs;

/** An open file that came from an inode (fstat, fchmod and the *at calls reach it through this). */
public interface HasInode {
    Inode inode();
}
