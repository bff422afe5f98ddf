package microlith.modules.serial;

/**
 * struct termios as TCGETS/TCSETS exchange it on x86-64 (asm-generic/termbits.h):
 *
 * <pre>
 * 0x00 u32 c_iflag   0x04 u32 c_oflag   0x08 u32 c_cflag   0x0c u32 c_lflag
 * 0x10 u8  c_line    0x11 u8  c_cc[19]                              = 36 bytes
 * </pre>
 * The driver keeps each port's termios in its kmalloc'd state, in this layout.
 */
final class Termios {
    static final int SIZE = 36;
    static final int IFLAG = 0x00, OFLAG = 0x04, CFLAG = 0x08, LFLAG = 0x0c, CC = 0x11;
    static final int ICRNL = 0x100, IXON = 0x400;
    static final int OPOST = 0x1, ONLCR = 0x4;
    static final int ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHOE = 0x10, ECHOK = 0x20, ECHOCTL = 0x200;
    static final int ECHOKE = 0x800, TOSTOP = 0x100, IEXTEN = 0x8000;
    static final int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSUSP = 10;

    /** Linux's defaults for a new terminal (tty_std_termios), B38400 CS8 CREAD. */
    static byte[] defaults(boolean echo, boolean onlcr) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
        b.putInt(ICRNL | IXON).putInt(onlcr ? OPOST | ONLCR : OPOST).putInt(0xbf)
            .putInt(echo ? lflag : lflag & ~ECHO).put((byte) 0)
            .put(new byte[] {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0});
        return b.array();
    }

    private Termios() {
    }
}
