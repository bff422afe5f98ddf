/* funcptr: tables of function pointers, callbacks, indirect calls through
 * struct members, and returning function pointers. */
#include <stdio.h>
#include <stdint.h>

typedef int64_t (*binop)(int64_t, int64_t);

static int64_t op_add(int64_t a, int64_t b) { return a + b; }
static int64_t op_sub(int64_t a, int64_t b) { return a - b; }
static int64_t op_mul(int64_t a, int64_t b) { return a * b; }
static int64_t op_max(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t op_xor(int64_t a, int64_t b) { return a ^ b; }
static int64_t op_min(int64_t a, int64_t b) { return a < b ? a : b; }

static const struct {
    const char *name;
    binop fn;
} ops[] = { { "add", op_add }, { "sub", op_sub }, { "mul", op_mul }, { "max", op_max }, { "xor", op_xor }, { "min", op_min } };

static binop pick(int i) { return ops[i % 6].fn; }

static int64_t fold(const int64_t *v, int n, binop f, int64_t init)
{
    for (int i = 0; i < n; i++)
        init = f(init, v[i]);
    return init;
}

struct shape {
    const char *kind;
    int64_t (*area)(const struct shape *);
    int64_t w, h;
};

static int64_t rect_area(const struct shape *s) { return s->w * s->h; }
static int64_t tri_area(const struct shape *s) { return s->w * s->h / 2; }
static int64_t sq_area(const struct shape *s) { return s->w * s->w; }

static void apply(void (*cb)(int, void *), void *ctx, int n)
{
    for (int i = 0; i < n; i++)
        cb(i, ctx);
}

static void accumulate(int i, void *ctx) { *(int64_t *)ctx += (int64_t)i * i; }

int main(void)
{
    int64_t v[] = { 3, -9, 27, 14, -2, 100, 7, 0, -55, 8 };
    for (int i = 0; i < 6; i++)
        printf("fold %s = %lld\n", ops[i].name, (long long)fold(v, 10, ops[i].fn, i == 2 ? 1 : 0));
    int64_t acc = 1;
    for (int i = 0; i < 40; i++)
        acc = pick(i * 7 + 3)(acc, (int64_t)i - 20) % 1000003;
    printf("chain = %lld\n", (long long)acc);
    struct shape shapes[] = { { "rect", rect_area, 3, 4 }, { "tri", tri_area, 5, 9 }, { "square", sq_area, 7, 0 } };
    int64_t total = 0;
    for (int i = 0; i < 3; i++) {
        printf("%s area %lld\n", shapes[i].kind, (long long)shapes[i].area(&shapes[i]));
        total += shapes[i].area(&shapes[i]);
    }
    int64_t sq = 0;
    apply(accumulate, &sq, 100);
    printf("sum squares = %lld\n", (long long)sq);
    volatile binop vf = op_sub;
    printf("volatile call = %lld\n", (long long)vf(1, 100));
    return (int)((total + sq + acc) % 128);
}
