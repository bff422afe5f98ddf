/* corebench [N]: a CoreMark-like CPU workload.  It follows the shape of EEMBC
 * CoreMark's main loop (list processing that drives the other kernels through a
 * comparison function, 16-bit matrix arithmetic, a switch-based state machine,
 * bitwise CRC-16 over every result) but is written from scratch for this
 * project, so its figures are "CoreMark-like", never CoreMark scores.
 *
 * Each iteration:
 *   list   - a 64-entry linked list of (key, seq) items: lookups by key and by
 *            sequence number, a reversal, a merge sort through a comparison
 *            function pointer whose weights come from the matrix and state
 *            kernels (cached per item, invalidated a few items per iteration),
 *            and a merge sort back into sequence order;
 *   matrix - 12x12 int16 matrices: add and multiply by a constant, matrix by
 *            vector, matrix by matrix, a bit-field extraction of the products
 *            and a clipped sum, all feeding the CRC;
 *   state  - a 14-state scanner over 360 bytes of comma-separated numbers
 *            (integers, decimals, exponents, hex, garbage), driven by a
 *            switch that gcc turns into a jump table; the text is perturbed
 *            every iteration;
 *   crc    - a bitwise CRC-16 (reflected, polynomial 0xA001) of every result.
 *
 * Prints "corebench N iterations list=.... matrix=.... state=.... crc=...." and
 * exits 0; the line depends on every instruction of the run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int16_t s16;
typedef uint16_t u16;
typedef int32_t s32;
typedef uint32_t u32;
typedef uint8_t u8;

/* ---- CRC-16, one bit at a time ---- */

static u16 crc_byte(u16 crc, u8 b)
{
    crc ^= b;
    for (int k = 0; k < 8; k++) {
        if (crc & 1)
            crc = (u16)((crc >> 1) ^ 0xA001);
        else
            crc = (u16)(crc >> 1);
    }
    return crc;
}

static u16 crc_u16(u16 crc, u16 v)
{
    crc = crc_byte(crc, (u8)v);
    return crc_byte(crc, (u8)(v >> 8));
}

static u16 crc_u32(u16 crc, u32 v)
{
    crc = crc_u16(crc, (u16)v);
    return crc_u16(crc, (u16)(v >> 16));
}

/* ---- matrix kernel ---- */

#define DIM 12

static s16 mat_a[DIM * DIM], mat_b[DIM * DIM];
static s32 mat_c[DIM * DIM];

static void matrix_seed(u32 seed)
{
    for (int i = 0; i < DIM * DIM; i++) {
        seed = seed * 214013u + 2531011u;
        mat_a[i] = (s16)((seed >> 16) & 0x7ff) - 0x400;
        seed = seed * 214013u + 2531011u;
        mat_b[i] = (s16)((seed >> 16) & 0x3ff) - 0x200;
    }
}

static void mat_add_const(s16 *a, s16 v)
{
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++)
            a[i * DIM + j] = (s16)(a[i * DIM + j] + v);
}

static void mat_mul_const(s32 *c, const s16 *a, s16 v)
{
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++)
            c[i * DIM + j] = (s32)a[i * DIM + j] * (s32)v;
}

static void mat_mul_vect(s32 *c, const s16 *a, const s16 *b)
{
    for (int i = 0; i < DIM; i++) {
        s32 acc = 0;
        for (int j = 0; j < DIM; j++)
            acc += (s32)a[i * DIM + j] * (s32)b[j];
        c[i] = acc;
    }
}

static void mat_mul_mat(s32 *c, const s16 *a, const s16 *b)
{
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++) {
            s32 acc = 0;
            for (int k = 0; k < DIM; k++)
                acc += (s32)a[i * DIM + k] * (s32)b[k * DIM + j];
            c[i * DIM + j] = acc;
        }
}

static void mat_mul_mat_bits(s32 *c, const s16 *a, const s16 *b)
{
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++) {
            s32 acc = 0;
            for (int k = 0; k < DIM; k++) {
                s32 p = (s32)a[i * DIM + k] * (s32)b[k * DIM + j];
                acc += (p >> 3 & 0x1f) * (p >> 9 & 0x7f);
            }
            c[i * DIM + j] = acc;
        }
}

/* A sum that changes direction when it passes the clip value: data-dependent branches. */
static s16 mat_sum(const s32 *c, s32 clip)
{
    s32 tmp = 0, prev = 0;
    s16 ret = 0;
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++) {
            s32 cur = c[i * DIM + j];
            tmp += cur;
            if (tmp > clip) {
                ret = (s16)(ret + 10);
                tmp = 0;
            } else {
                ret = (s16)(ret + (cur > prev ? 1 : 0));
            }
            prev = cur;
        }
    return ret;
}

static u16 matrix_kernel(s16 v, u16 crc)
{
    s32 clip = (s32)(v & 0x7f) << 10 | 0x400;
    mat_add_const(mat_a, v);
    mat_mul_const(mat_c, mat_a, v);
    crc = crc_u16(crc, (u16)mat_sum(mat_c, clip));
    mat_mul_vect(mat_c, mat_a, mat_b);
    crc = crc_u16(crc, (u16)mat_sum(mat_c, clip));
    mat_mul_mat(mat_c, mat_a, mat_b);
    crc = crc_u16(crc, (u16)mat_sum(mat_c, clip));
    mat_mul_mat_bits(mat_c, mat_a, mat_b);
    crc = crc_u16(crc, (u16)mat_sum(mat_c, clip));
    mat_add_const(mat_a, (s16)-v);
    return crc;
}

/* ---- state machine kernel ---- */

enum {
    ST_START, ST_SIGN, ST_ZERO, ST_INT, ST_POINT, ST_FRAC, ST_EXP, ST_EXP_SIGN, ST_EXP_INT,
    ST_X, ST_HEX, ST_SUFFIX, ST_BAD, ST_DONE, ST_COUNT
};

#define TEXT_LEN 360

static u8 text[TEXT_LEN + 1];

static void text_seed(void)
{
    static const char *const words[] = {
        "4096", "-17", "0x7fA", "3.25", "+0.125", "6.02e23", "1e-9", "zz9", "0x", "12.5f",
        "-.5", "0", "007", "8E+2", "0xG1", "271828", "-0.0e0", "99x", "+", "5.",
    };
    int n = 0;
    for (int i = 0; n < TEXT_LEN - 12; i++) {
        const char *w = words[(i * 11 + 3) % 20];
        while (*w)
            text[n++] = (u8)*w++;
        text[n++] = ',';
    }
    while (n < TEXT_LEN)
        text[n++] = ' ';
    text[TEXT_LEN] = 0;
}

static int is_digit(u8 c)
{
    return c >= '0' && c <= '9';
}

/* Advances over one token from *p, returning the state it ended in. */
static int scan_token(const u8 **p, u32 *transitions)
{
    const u8 *s = *p;
    int st = ST_START;
    while (*s && st != ST_DONE) {
        u8 c = *s;
        int next = st;
        if (c == ',') {
            s++;
            break;
        }
        switch (st) {
        case ST_START:
            if (c == '0')
                next = ST_ZERO;
            else if (is_digit(c))
                next = ST_INT;
            else if (c == '+' || c == '-')
                next = ST_SIGN;
            else if (c == '.')
                next = ST_POINT;
            else if (c == ' ')
                next = ST_START;
            else
                next = ST_BAD;
            break;
        case ST_SIGN:
            next = c == '0' ? ST_ZERO : is_digit(c) ? ST_INT : c == '.' ? ST_POINT : ST_BAD;
            break;
        case ST_ZERO:
            if (c == 'x' || c == 'X') {
                next = ST_X;
                break;
            }
            /* fall through */
        case ST_INT:
            next = is_digit(c) ? ST_INT : c == '.' ? ST_POINT : (c == 'e' || c == 'E') ? ST_EXP : ST_BAD;
            break;
        case ST_POINT:
            next = is_digit(c) ? ST_FRAC : (c == 'e' || c == 'E') ? ST_EXP : ST_BAD;
            break;
        case ST_FRAC:
            next = is_digit(c) ? ST_FRAC : (c == 'e' || c == 'E') ? ST_EXP : c == 'f' ? ST_SUFFIX : ST_BAD;
            break;
        case ST_EXP:
            next = (c == '+' || c == '-') ? ST_EXP_SIGN : is_digit(c) ? ST_EXP_INT : ST_BAD;
            break;
        case ST_EXP_SIGN:
        case ST_EXP_INT:
            next = is_digit(c) ? ST_EXP_INT : ST_BAD;
            break;
        case ST_X:
        case ST_HEX:
            next = (is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) ? ST_HEX : ST_BAD;
            break;
        case ST_SUFFIX:
            next = ST_BAD;
            break;
        default:
            next = ST_DONE;
            break;
        }
        *transitions += next != st;
        st = next;
        s++;
    }
    *p = s;
    return st;
}

static u16 state_kernel(u32 seed, u16 step, u16 crc)
{
    u32 finals[ST_COUNT] = { 0 };
    u32 transitions = 0;
    /* corrupt every step-th byte in a seed-dependent way, scan, then undo it */
    for (int i = (int)(seed % 7); i < TEXT_LEN; i += step) {
        u8 c = text[i];
        if (c != ',')
            text[i] = (u8)(c ^ (seed & 0x3 ? 0x1 : 0x20));
    }
    for (const u8 *p = text; *p;)
        finals[scan_token(&p, &transitions)]++;
    for (int i = (int)(seed % 7); i < TEXT_LEN; i += step) {
        u8 c = text[i];
        if (c != ',')
            text[i] = (u8)(c ^ (seed & 0x3 ? 0x1 : 0x20));
    }
    for (int s = 0; s < ST_COUNT; s++)
        crc = crc_u32(crc, finals[s]);
    return crc_u32(crc, transitions);
}

/* ---- list kernel ---- */

#define ITEMS 64
#define STALE 0x8000

struct item {
    u16 key; /* bits 0-14: value; STALE: weight must be recomputed */
    s16 seq;
    u16 weight;
};

struct link {
    struct link *next;
    struct item *item;
};

static struct item items[ITEMS];
static struct link links[ITEMS];
static u16 crc_matrix, crc_state;

typedef int (*compare_fn)(const struct item *a, const struct item *b);

/* The weight of an item comes from the matrix or state kernel, run only when stale. */
static u16 weight_of(struct item *it)
{
    if (it->key & STALE) {
        u16 v = it->key & 0x7fff;
        u16 w;
        if (v & 0x80) {
            crc_state = state_kernel(v, (u16)((v & 0xf) | 3), crc_state);
            w = crc_state;
        } else {
            crc_matrix = matrix_kernel((s16)(v & 0x1f), crc_matrix);
            w = crc_matrix;
        }
        it->key = v;
        it->weight = w;
    }
    return it->weight;
}

static int by_weight(const struct item *a, const struct item *b)
{
    int wa = weight_of((struct item *)a) & 0xff;
    int wb = weight_of((struct item *)b) & 0xff;
    return wa != wb ? wa - wb : (int)(a->key & 0x7fff) - (int)(b->key & 0x7fff);
}

static int by_seq(const struct item *a, const struct item *b)
{
    return a->seq - b->seq;
}

static struct link *list_build(u32 seed)
{
    for (int i = 0; i < ITEMS; i++) {
        seed = seed * 1103515245u + 12345u;
        items[i].key = (u16)((seed >> 16) & 0x7fff) | STALE;
        items[i].seq = (s16)i;
        links[i].item = &items[i];
        links[i].next = i + 1 < ITEMS ? &links[i + 1] : 0;
    }
    return &links[0];
}

static struct link *list_reverse(struct link *l)
{
    struct link *r = 0;
    while (l) {
        struct link *n = l->next;
        l->next = r;
        r = l;
        l = n;
    }
    return r;
}

static struct link *list_find_key(struct link *l, u16 key)
{
    while (l && (l->item->key & 0x7fff) != key)
        l = l->next;
    return l;
}

static struct link *list_find_seq(struct link *l, s16 seq)
{
    while (l && l->item->seq != seq)
        l = l->next;
    return l;
}

/* Bottom-up merge sort: runs of width 1, 2, 4... merged pairwise until one remains. */
static struct link *list_sort(struct link *l, compare_fn cmp)
{
    for (int width = 1;; width *= 2) {
        struct link *rest = l, *head = 0, **tail = &head;
        int merges = 0;
        while (rest) {
            struct link *a = rest, *b = rest;
            int na = 0, nb = width;
            merges++;
            while (b && na < width) {
                b = b->next;
                na++;
            }
            while (na > 0 || (nb > 0 && b)) {
                struct link *take;
                if (na == 0) {
                    take = b;
                    b = b->next;
                    nb--;
                } else if (nb == 0 || !b || cmp(a->item, b->item) <= 0) {
                    take = a;
                    a = a->next;
                    na--;
                } else {
                    take = b;
                    b = b->next;
                    nb--;
                }
                *tail = take;
                tail = &take->next;
            }
            rest = b;
        }
        *tail = 0;
        l = head;
        if (merges <= 1)
            return l;
    }
}

static u16 list_kernel(struct link **headp, u32 iter, u16 crc)
{
    struct link *l = *headp;
    u32 found = 0, missing = 0;
    /* a few items go stale every iteration, so the kernels behind the weights rerun */
    for (int k = 0; k < 3; k++) {
        struct item *it = &items[(iter * 7 + (u32)k * 23) % ITEMS];
        it->key = (u16)((it->key + iter * 5 + 1) & 0x7fff) | STALE;
    }
    for (int k = 0; k < 6; k++) {
        u16 want = items[(iter + (u32)k * 13) % ITEMS].key & 0x7fff;
        struct link *f = list_find_key(l, k & 1 ? (u16)(want + 1) : want);
        if (f)
            found += (u32)(u16)f->item->seq;
        else
            missing++;
        f = list_find_seq(l, (s16)((iter + (u32)k) % (ITEMS + 4)));
        found += f ? 1u : 0x100u;
    }
    l = list_reverse(l);
    crc = crc_u32(crc, found << 8 ^ missing);
    l = list_sort(l, by_weight);
    int i = 0;
    for (struct link *p = l; p; p = p->next, i++)
        if ((i & 7) == 0)
            crc = crc_u16(crc, (u16)(p->item->weight ^ (u16)p->item->seq));
    l = list_sort(l, by_seq);
    *headp = l;
    return crc;
}

int main(int argc, char **argv)
{
    unsigned long n = 200;
    if (argc > 1) {
        char *end;
        n = strtoul(argv[1], &end, 0);
        if (*argv[1] == '\0' || *end != '\0') {
            fprintf(stderr, "usage: corebench [N]\n");
            return 2;
        }
    }
    struct link *list = list_build(0x1234);
    matrix_seed(0x5eed);
    text_seed();
    u16 crc = 0;
    u16 crc_list = 0;
    for (unsigned long i = 0; i < n; i++) {
        crc_list = list_kernel(&list, (u32)i, crc_list);
        crc = crc_u16(crc, crc_list);
        crc = crc_u16(crc, crc_matrix);
        crc = crc_u16(crc, crc_state);
    }
    printf("corebench %lu iterations list=%04x matrix=%04x state=%04x crc=%04x\n", n, crc_list, crc_matrix,
           crc_state, crc);
    return 0;
}
