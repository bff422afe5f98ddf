package microlith.server;

import microlith.module.api.OpenFile;

/**
 * A struct file as a driver in a server sees it: the core sends the position, flags,
 * minor and the caller's identity with every operation and takes the position back in
 * the reply; the driver's private data stays here, keyed by the core's file handle.
 */
final class RemoteOpenFile implements OpenFile {
    long pos;
    int flags;
    int minor;
    int uid;
    int gid;
    int pid;
    int pgid;
    int sid;
    private Object privateData;

    /** Takes the file's state from a FOP_* request (registers 2-9). */
    void update(Request r) {
        pos = r.mr[2];
        flags = (int) r.mr[3];
        minor = (int) r.mr[4];
        uid = (int) r.mr[5];
        gid = (int) r.mr[6];
        pid = (int) r.mr[7];
        pgid = (int) r.mr[8];
        sid = (int) r.mr[9];
    }

    @Override
    public long pos() {
        return pos;
    }

    @Override
    public void setPos(long p) {
        pos = p;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public int minor() {
        return minor;
    }

    @Override
    public Object privateData() {
        return privateData;
    }

    @Override
    public void setPrivateData(Object data) {
        privateData = data;
    }

    @Override
    public int uid() {
        return uid;
    }

    @Override
    public int gid() {
        return gid;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int pgid() {
        return pgid;
    }

    @Override
    public int sid() {
        return sid;
    }
}
