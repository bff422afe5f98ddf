/* mandel: ASCII Mandelbrot set in double precision (SSE2 mulsd/addsd/
 * comisd), with iteration counts summed into a checksum. */
#include <stdio.h>

int main(void)
{
    const char *shades = " .:-=+*#%@";
    long total = 0;
    for (int y = 0; y < 24; y++) {
        char line[80];
        for (int x = 0; x < 78; x++) {
            double cr = -2.2 + x * (3.0 / 78), ci = -1.2 + y * (2.4 / 24);
            double zr = 0, zi = 0;
            int it = 0;
            while (it < 200 && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                it++;
            }
            total += it;
            line[x] = shades[it >= 200 ? 9 : it % 9];
        }
        line[78] = 0;
        puts(line);
    }
    printf("mandel total=%ld\n", total);
    return (int)(total % 256);
}
