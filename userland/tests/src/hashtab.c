/* hashtab: open-addressing hash table with string keys (FNV-1a), inserts,
 * lookups, deletions with tombstones, and growth by rehashing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct slot { char *key; long value; int state; }; /* state: 0 empty, 1 used, 2 deleted */

static struct slot *tab;
static size_t cap, used;

static uint32_t fnv(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

static void put(char *key, long v);

static void grow(void)
{
    struct slot *old = tab;
    size_t oc = cap;
    cap = cap ? cap * 2 : 16;
    tab = calloc(cap, sizeof *tab);
    used = 0;
    for (size_t i = 0; i < oc; i++)
        if (old[i].state == 1)
            put(old[i].key, old[i].value);
    free(old);
}

static void put(char *key, long v)
{
    if ((used + 1) * 4 >= cap * 3)
        grow();
    size_t i = fnv(key) & (cap - 1);
    while (tab[i].state == 1) {
        if (strcmp(tab[i].key, key) == 0) {
            tab[i].value = v;
            free(key);
            return;
        }
        i = (i + 1) & (cap - 1);
    }
    tab[i].key = key;
    tab[i].value = v;
    tab[i].state = 1;
    used++;
}

static struct slot *find(const char *key)
{
    if (!cap)
        return 0;
    size_t i = fnv(key) & (cap - 1);
    while (tab[i].state != 0) {
        if (tab[i].state == 1 && strcmp(tab[i].key, key) == 0)
            return &tab[i];
        i = (i + 1) & (cap - 1);
    }
    return 0;
}

static char *mkkey(int i)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "key-%d-%x", i, (unsigned)i * 2654435761u);
    char *k = malloc((size_t)n + 1);
    memcpy(k, tmp, (size_t)n + 1);
    return k;
}

int main(void)
{
    for (int i = 0; i < 5000; i++)
        put(mkkey(i), (long)i * i);
    for (int i = 0; i < 5000; i += 3) {
        char *k = mkkey(i);
        struct slot *s = find(k);
        if (s) {
            free(s->key);
            s->key = 0;
            s->state = 2;
        }
        free(k);
    }
    for (int i = 0; i < 5000; i += 7)
        put(mkkey(i), -(long)i);
    long sum = 0;
    int found = 0;
    for (int i = 0; i < 6000; i++) {
        char *k = mkkey(i);
        struct slot *s = find(k);
        if (s) {
            found++;
            sum += s->value;
        }
        free(k);
    }
    printf("cap=%d found=%d sum=%ld\n", (int)cap, found, sum);
    return found % 256;
}
