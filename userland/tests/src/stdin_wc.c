/* stdin_wc: reads all of standard input with read(2) in small chunks and
 * prints line/word/byte counts, a byte histogram digest and the last line. */
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <ctype.h>

int main(void)
{
    char buf[7];
    char last[256];
    int lastn = 0, lines = 0, words = 0, bytes = 0, inword = 0;
    unsigned hist[256];
    memset(hist, 0, sizeof hist);
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0) {
            printf("read error\n");
            return 2;
        }
        if (n == 0)
            break;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            bytes++;
            hist[c]++;
            if (c == '\n') {
                lines++;
                lastn = 0;
            } else if (lastn < 255) {
                last[lastn++] = (char)c;
            }
            if (isspace(c)) {
                inword = 0;
            } else if (!inword) {
                inword = 1;
                words++;
            }
        }
    }
    last[lastn] = 0;
    unsigned d = 0;
    for (int i = 0; i < 256; i++)
        d = d * 3 + hist[i];
    printf("lines=%d words=%d bytes=%d digest=%08x\n", lines, words, bytes, d);
    printf("unterminated tail: \"%s\"\n", last);
    return lines;
}
