/* sscanf: parsing integers, floats, strings, chars, scansets, %n, widths
 * and assignment suppression; prints what matched and the return counts. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    int a = 0, b = 0, n = 0, hh = 0, mm = 0;
    double d2 = 0;
    unsigned u = 0;
    long long ll = 0;
    double d = 0;
    float f = 0;
    char s[32] = "", t[32] = "";
    char c = 0;
    int r;
    r = sscanf("  42 -17 0x1f", "%d %i %x", &a, &b, &u);
    printf("r=%d a=%d b=%d u=%u\n", r, a, b, u);
    r = sscanf("0755 0x10 -010", "%i %i %i", &a, &b, &n);
    printf("r=%d %d %d %d\n", r, a, b, n);
    r = sscanf("3.25e2 -0.5 inf", "%lf %f %s", &d, &f, s);
    printf("r=%d d=%g f=%g s=%s\n", r, d, (double)f, s);
    r = sscanf("key=value;rest", "%31[^=]=%31[^;];%n", s, t, &n);
    printf("r=%d s=%s t=%s n=%d\n", r, s, t, n);
    r = sscanf("abcdef", "%3s%c", s, &c);
    printf("r=%d s=%s c=%c\n", r, s, c);
    r = sscanf("12345678901234", "%4d%*2d%lld", &a, &ll);
    printf("r=%d a=%d ll=%lld\n", r, a, ll);
    r = sscanf("date: 2024-02-29 13:05", "date: %d-%d-%d %d:%d", &a, &b, &n, &hh, &mm);
    printf("r=%d %d %d %d %d %d\n", r, a, b, n, hh, mm);
    r = sscanf("", "%d", &a);
    printf("empty r=%d\n", r);
    r = sscanf("xyz", "%d", &a);
    printf("mismatch r=%d\n", r);
    r = sscanf("  99%", "%d%%", &a);
    printf("percent r=%d a=%d\n", r, a);
    r = sscanf("0x1.8p3 1e-2", "%la %le", &d, &d2);
    printf("hexfloat r=%d d=%g d2=%g\n", r, d, d2);
    char line[] = "10,20,30,40,50";
    int sum = 0, v, off = 0, used;
    while (sscanf(line + off, "%d%n", &v, &used) == 1) {
        sum += v;
        off += used;
        if (line[off] == ',')
            off++;
    }
    printf("csv sum=%d\n", sum);
    return sum % 256;
}
