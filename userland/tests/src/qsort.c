/* qsort: qsort of ints, strings and structs with different comparators
 * (ascending, descending, multi-key stable-by-index), plus bsearch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct rec { int key; char name[12]; int idx; };

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key - y->key;
    int c = strcmp(x->name, y->name);
    return c ? c : x->idx - y->idx;
}

int main(void)
{
    static int v[5000];
    uint32_t s = 1;
    for (int i = 0; i < 5000; i++) {
        s = s * 1103515245u + 12345u;
        v[i] = (int)(s >> 4) % 100000 - 50000;
    }
    qsort(v, 5000, sizeof v[0], cmp_int);
    int ok = 1;
    for (int i = 1; i < 5000; i++)
        ok &= v[i - 1] <= v[i];
    printf("ints sorted=%d min=%d median=%d max=%d\n", ok, v[0], v[2500], v[4999]);
    int key = v[1234];
    int *found = bsearch(&key, v, 5000, sizeof v[0], cmp_int);
    printf("bsearch %d -> %s\n", key, found && *found == key ? "found" : "missing");
    key = 50001;
    printf("bsearch %d -> %s\n", key, bsearch(&key, v, 5000, sizeof v[0], cmp_int) ? "found" : "missing");
    qsort(v, 5000, sizeof v[0], cmp_desc);
    printf("desc first=%d last=%d\n", v[0], v[4999]);
    const char *words[] = { "pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape", "kiwi", "lemon",
                            "mango", "nectarine", "apple", "Zebra", "apricot", "" };
    int nw = sizeof words / sizeof words[0];
    qsort(words, (size_t)nw, sizeof words[0], cmp_str);
    for (int i = 0; i < nw; i++)
        printf("%s%s", words[i], i + 1 < nw ? "," : "\n");
    static struct rec recs[1000];
    for (int i = 0; i < 1000; i++) {
        s = s * 1103515245u + 12345u;
        recs[i].key = (int)(s >> 16) % 10;
        snprintf(recs[i].name, sizeof recs[i].name, "n%03u", (s >> 8) % 50);
        recs[i].idx = i;
    }
    qsort(recs, 1000, sizeof recs[0], cmp_rec);
    unsigned h = 0;
    for (int i = 0; i < 1000; i++)
        h = h * 31 + (unsigned)recs[i].idx;
    printf("recs first=%d/%s/%d last=%d/%s/%d h=%08x\n", recs[0].key, recs[0].name, recs[0].idx, recs[999].key,
           recs[999].name, recs[999].idx, h);
    return ok ? (int)(h % 256) : 255;
}
