/* cpumark [N]: a small deterministic CPU workload for benchmarking the guest
 * CPU against the host.  Each of the N iterations runs four kernels whose
 * results feed a CRC, so nothing can be skipped or hoisted:
 *
 *   list   - a 96-node singly linked list: find by key, reverse, insertion
 *            sort by value, then restore the original order by merge sort on
 *            the index; pointer chasing and unpredictable branches.
 *   matrix - 10x10 int16 matrices: int16 x int16 -> int32 multiply-accumulate,
 *            a scaled add, row/column extraction; multiplies and loads.
 *   state  - a state machine classifying the tokens of a byte string as
 *            integers, hex numbers, decimals with exponents or invalid text;
 *            a table-free switch on every byte.
 *   crc    - CRC-16/CCITT of each kernel's result, folded into a bitwise
 *            CRC-32 of everything.
 *
 * Prints "cpumark N iterations checksum=XXXXXXXX" and exits 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LIST_NODES 96
#define MAT 10

struct node {
    struct node *next;
    int16_t value;
    int16_t index;
};

static struct node pool[LIST_NODES];

static uint16_t crc16_byte(uint16_t crc, uint8_t b)
{
    crc ^= (uint16_t)(b << 8);
    for (int k = 0; k < 8; k++)
        crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    return crc;
}

static uint16_t crc16_word(uint16_t crc, uint32_t w)
{
    crc = crc16_byte(crc, (uint8_t)w);
    crc = crc16_byte(crc, (uint8_t)(w >> 8));
    crc = crc16_byte(crc, (uint8_t)(w >> 16));
    return crc16_byte(crc, (uint8_t)(w >> 24));
}

static uint32_t crc32_word(uint32_t crc, uint32_t w)
{
    crc ^= w;
    for (int k = 0; k < 32; k++)
        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    return crc;
}

/* ---- list kernel ---- */

static struct node *list_build(uint32_t seed)
{
    struct node *head = 0;
    for (int i = LIST_NODES - 1; i >= 0; i--) {
        seed = seed * 1103515245u + 12345u;
        pool[i].value = (int16_t)((seed >> 16) & 0x3fff) - 0x2000;
        pool[i].index = (int16_t)i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static struct node *list_find(struct node *l, int16_t value, int *pos)
{
    int p = 0;
    for (; l; l = l->next, p++)
        if (l->value == value)
            break;
    *pos = p;
    return l;
}

static struct node *list_reverse(struct node *l)
{
    struct node *r = 0;
    while (l) {
        struct node *n = l->next;
        l->next = r;
        r = l;
        l = n;
    }
    return r;
}

static struct node *list_sort_value(struct node *l)
{
    struct node *sorted = 0;
    while (l) {
        struct node *n = l->next;
        struct node **pp = &sorted;
        while (*pp && (*pp)->value < l->value)
            pp = &(*pp)->next;
        l->next = *pp;
        *pp = l;
        l = n;
    }
    return sorted;
}

static struct node *list_merge_index(struct node *a, struct node *b)
{
    struct node head, *t = &head;
    while (a && b) {
        if (a->index <= b->index) {
            t->next = a;
            a = a->next;
        } else {
            t->next = b;
            b = b->next;
        }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

static struct node *list_sort_index(struct node *l)
{
    if (!l || !l->next)
        return l;
    struct node *slow = l, *fast = l->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    struct node *b = slow->next;
    slow->next = 0;
    return list_merge_index(list_sort_index(l), list_sort_index(b));
}

static uint32_t list_kernel(struct node **headp, uint32_t iter)
{
    struct node *l = *headp;
    uint32_t r = 0;
    int pos;
    /* perturb a few values so every iteration sorts different data */
    for (struct node *p = l; p; p = p->next)
        if (((uint32_t)p->index ^ iter) % 7 == 0)
            p->value = (int16_t)(p->value ^ (int16_t)(iter * 0x2f));
    for (int k = 0; k < 4; k++) {
        int16_t want = pool[(iter * 13 + (uint32_t)k * 29) % LIST_NODES].value;
        struct node *f = list_find(l, want, &pos);
        r += (uint32_t)pos + (f ? (uint32_t)(uint16_t)f->index : 0xffffu);
        f = list_find(l, (int16_t)(want + 1), &pos);
        r += f ? 1u : 0u;
    }
    l = list_reverse(l);
    r = r * 3 + (uint32_t)(uint16_t)l->value;
    l = list_sort_value(l);
    int i = 0;
    for (struct node *p = l; p; p = p->next, i++)
        if (i % 8 == 0)
            r = r * 31 + (uint32_t)(uint16_t)p->value + (uint32_t)p->index;
    l = list_sort_index(l);
    *headp = l;
    return r;
}

/* ---- matrix kernel ---- */

static int16_t ma[MAT][MAT], mb[MAT][MAT];
static int32_t mc[MAT][MAT];

static void matrix_init(uint32_t seed)
{
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) {
            seed = seed * 1664525u + 1013904223u;
            ma[i][j] = (int16_t)((seed >> 20) - 2048);
            seed = seed * 1664525u + 1013904223u;
            mb[i][j] = (int16_t)((seed >> 22) - 512);
        }
}

static uint32_t matrix_kernel(uint32_t iter)
{
    int16_t k = (int16_t)(iter & 0xff);
    uint32_t r = 0;
    /* scaled add, then multiply-accumulate */
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++)
            ma[i][j] = (int16_t)((ma[i][j] + k) & 0x0fff);
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) {
            int32_t acc = 0;
            for (int x = 0; x < MAT; x++)
                acc += (int32_t)ma[i][x] * mb[x][j];
            mc[i][j] = acc;
        }
    /* vector-by-matrix with int32 accumulation and a bit-extract step */
    for (int j = 0; j < MAT; j++) {
        int32_t acc = 0;
        for (int i = 0; i < MAT; i++)
            acc += mc[i][j] >> 4;
        r += (uint32_t)acc + ((uint32_t)mc[j][j] >> 3 & 0x7f);
    }
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++)
            mb[i][j] = (int16_t)((mb[i][j] ^ (int16_t)(mc[i][j] >> 9)) & 0x03ff) - 512;
    return r;
}

/* ---- state machine kernel ---- */

enum { S_START, S_INT, S_SIGN, S_ZERO, S_HEX, S_FRAC, S_EXP, S_EXPSIGN, S_EXPNUM, S_INVALID, S_COUNT };

static char text[256];

static void text_init(void)
{
    static const char *tokens[] = { "5012", "1.23e-4", "-678", "0x1fE", "+0.5", "9.9e+12", "abc", "0x",
                                    "7.", "-.25", "1e5", "3.14159", "--1", "0777", "12a", "0xBEEF" };
    int n = 0;
    for (int i = 0; n < (int)sizeof text - 12; i++) {
        const char *t = tokens[(i * 7) % 16];
        while (*t)
            text[n++] = *t++;
        text[n++] = i % 5 == 4 ? '\n' : ',';
    }
    text[n] = 0;
}

static int next_state(int s, char c)
{
    int digit = c >= '0' && c <= '9';
    int hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    switch (s) {
    case S_START:
        if (c == '0')
            return S_ZERO;
        if (digit)
            return S_INT;
        if (c == '+' || c == '-')
            return S_SIGN;
        if (c == '.')
            return S_FRAC;
        return S_INVALID;
    case S_SIGN:
        if (digit)
            return S_INT;
        if (c == '.')
            return S_FRAC;
        return S_INVALID;
    case S_ZERO:
        if (c == 'x' || c == 'X')
            return S_HEX;
        /* fall through */
    case S_INT:
        if (digit)
            return S_INT;
        if (c == '.')
            return S_FRAC;
        if (c == 'e' || c == 'E')
            return S_EXP;
        return S_INVALID;
    case S_HEX:
        return hex ? S_HEX : S_INVALID;
    case S_FRAC:
        if (digit)
            return S_FRAC;
        if (c == 'e' || c == 'E')
            return S_EXP;
        return S_INVALID;
    case S_EXP:
        if (c == '+' || c == '-')
            return S_EXPSIGN;
        /* fall through */
    case S_EXPSIGN:
    case S_EXPNUM:
        return digit ? S_EXPNUM : S_INVALID;
    default:
        return S_INVALID;
    }
}

static uint32_t state_kernel(uint32_t iter)
{
    uint32_t counts[S_COUNT] = { 0 };
    uint32_t transitions = 0;
    int s = S_START;
    /* flip one byte per iteration so the scan result changes */
    int at = (int)(iter % (sizeof text - 16));
    char saved = text[at];
    if (text[at] != ',' && text[at] != '\n')
        text[at] = (char)('0' + iter % 10);
    for (const char *p = text; *p; p++) {
        char c = *p;
        if (c == ',' || c == '\n') {
            counts[s]++;
            s = S_START;
            continue;
        }
        int n = next_state(s, c);
        transitions += n != s;
        s = n;
    }
    counts[s]++;
    text[at] = saved;
    uint32_t r = transitions;
    for (int i = 0; i < S_COUNT; i++)
        r = r * 7 + counts[i];
    return r;
}

int main(int argc, char **argv)
{
    unsigned long n = 1000;
    if (argc > 1) {
        char *end;
        n = strtoul(argv[1], &end, 0);
        if (*argv[1] == '\0' || *end != '\0') {
            fprintf(stderr, "usage: cpumark [N]\n");
            return 2;
        }
    }
    struct node *list = list_build(0x5eed);
    matrix_init(0xc0ffee);
    text_init();
    uint32_t crc32 = 0xffffffffu;
    uint16_t crc_list = 0xffff, crc_mat = 0xffff, crc_state = 0xffff;
    for (unsigned long i = 0; i < n; i++) {
        uint32_t a = list_kernel(&list, (uint32_t)i);
        uint32_t b = matrix_kernel((uint32_t)i);
        uint32_t c = state_kernel((uint32_t)i);
        crc_list = crc16_word(crc_list, a);
        crc_mat = crc16_word(crc_mat, b);
        crc_state = crc16_word(crc_state, c);
        crc32 = crc32_word(crc32, (uint32_t)crc_list << 16 ^ crc_mat ^ (uint32_t)crc_state << 5);
    }
    crc32 = ~crc32;
    printf("cpumark %lu iterations list=%04x matrix=%04x state=%04x checksum=%08x\n", n, crc_list, crc_mat,
           crc_state, crc32);
    return 0;
}
