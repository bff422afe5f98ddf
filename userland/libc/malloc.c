/* microlith libc: malloc on top of brk.
 *
 * Every block starts with a 16-byte header; payloads are 16-byte aligned.
 * Free blocks live on a singly linked list sorted by address (first fit);
 * free() merges a block with free neighbours that touch it. The heap grows
 * with sbrk in 64 KiB steps and is never returned to the kernel. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#define ALIGN      16
#define HDR        sizeof(struct block)
#define MIN_BLOCK  (2 * HDR)
#define GROW_STEP  (64 * 1024)

struct block {
    size_t size;            /* whole block including header, multiple of 16 */
    struct block *next;     /* next free block (only while free) */
};

static struct block *free_list;

static void insert_free(struct block *b)
{
    struct block *prev = NULL, *cur = free_list;

    while (cur && cur < b) {
        prev = cur;
        cur = cur->next;
    }
    b->next = cur;
    if (prev)
        prev->next = b;
    else
        free_list = b;

    /* merge with the following block */
    if (cur && (char *)b + b->size == (char *)cur) {
        b->size += cur->size;
        b->next = cur->next;
    }
    /* merge with the preceding block */
    if (prev && (char *)prev + prev->size == (char *)b) {
        prev->size += b->size;
        prev->next = b->next;
    }
}

static int grow(size_t need)
{
    uintptr_t cur = (uintptr_t)sbrk(0);
    size_t pad = (size_t)(-cur & (ALIGN - 1));
    size_t amount = (need + GROW_STEP - 1) & ~(size_t)(GROW_STEP - 1);
    char *p;

    if (amount < need)
        return -1;
    p = sbrk((intptr_t)(amount + pad));
    if (p == (void *)-1)
        return -1;
    p += pad;
    ((struct block *)p)->size = amount;
    insert_free((struct block *)p);
    return 0;
}

void *malloc(size_t n)
{
    size_t need;
    int attempt;

    if (n > SIZE_MAX / 2) {
        errno = ENOMEM;
        return NULL;
    }
    need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;

    for (attempt = 0; attempt < 2; attempt++) {
        struct block *prev = NULL, *b;
        for (b = free_list; b; prev = b, b = b->next) {
            if (b->size < need)
                continue;
            if (b->size - need >= MIN_BLOCK) {
                /* split: the tail stays on the free list */
                struct block *rest = (struct block *)((char *)b + need);
                rest->size = b->size - need;
                rest->next = b->next;
                b->size = need;
                if (prev)
                    prev->next = rest;
                else
                    free_list = rest;
            } else if (prev) {
                prev->next = b->next;
            } else {
                free_list = b->next;
            }
            b->next = NULL;
            return (char *)b + HDR;
        }
        if (grow(need) != 0)
            break;
    }
    errno = ENOMEM;
    return NULL;
}

void free(void *p)
{
    if (p)
        insert_free((struct block *)((char *)p - HDR));
}

void *calloc(size_t count, size_t size)
{
    size_t total = count * size;
    void *p;
    if (size != 0 && total / size != count) {
        errno = ENOMEM;
        return NULL;
    }
    p = malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

void *realloc(void *p, size_t n)
{
    struct block *b;
    size_t have;
    void *q;

    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    b = (struct block *)((char *)p - HDR);
    have = b->size - HDR;
    if (n <= have)
        return p;
    q = malloc(n);
    if (q == NULL)
        return NULL;
    memcpy(q, p, have);
    free(p);
    return q;
}
