package microlith.kernel.tty;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct termios as the kernel's TCGETS/TCSETS see it on x86-64 (asm-generic/termbits.h):
 * c_iflag, c_oflag, c_cflag, c_lflag (4 bytes each), c_line (1), c_cc[19] = 36 bytes.
 */
public final class Termios {
    public static final int SIZE = 36;
    public static final int ICRNL = 0x100, IXON = 0x400;
    public static final int OPOST = 0x1, ONLCR = 0x4;
    public static final int ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHOE = 0x10, ECHOK = 0x20, ECHOCTL = 0x200;
    public static final int ECHOKE = 0x800, TOSTOP = 0x100, IEXTEN = 0x8000;
    public static final int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSUSP = 10;

    public int iflag = ICRNL | IXON;
    public int oflag = OPOST | ONLCR;
    public int cflag = 0xbf; // B38400 | CS8 | CREAD
    public int lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    public final byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0};

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(iflag).putInt(oflag).putInt(cflag).putInt(lflag).put((byte) 0).put(cc);
        return b.array();
    }

    public void decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        iflag = b.getInt(0);
        oflag = b.getInt(4);
        cflag = b.getInt(8);
        lflag = b.getInt(12);
        System.arraycopy(raw, 17, cc, 0, cc.length);
    }

    boolean has(int lflagBits) {
        return (lflag & lflagBits) == lflagBits;
    }
}
