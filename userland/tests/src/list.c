/* list: singly linked list build, reverse, merge sort, find, remove and
 * doubly linked list splicing, with node pools from malloc. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

struct node { struct node *next; int32_t key; uint32_t payload; };

static struct node *reverse(struct node *h)
{
    struct node *r = 0;
    while (h) {
        struct node *n = h->next;
        h->next = r;
        r = h;
        h = n;
    }
    return r;
}

static struct node *merge(struct node *a, struct node *b)
{
    struct node head, *t = &head;
    while (a && b) {
        if (a->key <= b->key) {
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

static struct node *msort(struct node *h)
{
    if (!h || !h->next)
        return h;
    struct node *slow = h, *fast = h->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    struct node *b = slow->next;
    slow->next = 0;
    return merge(msort(h), msort(b));
}

static uint32_t digest(const struct node *h)
{
    uint32_t d = 0;
    for (; h; h = h->next)
        d = d * 16777619u ^ (uint32_t)h->key ^ h->payload;
    return d;
}

int main(void)
{
    struct node *head = 0;
    uint32_t s = 7;
    for (int i = 0; i < 3000; i++) {
        struct node *n = malloc(sizeof *n);
        s = s * 69069u + 1;
        n->key = (int32_t)(s >> 12) % 5000 - 2500;
        n->payload = (uint32_t)i;
        n->next = head;
        head = n;
    }
    printf("built digest=%08x\n", digest(head));
    head = reverse(head);
    printf("reversed digest=%08x first=%d\n", digest(head), head->key);
    head = msort(head);
    int sorted = 1, count = 0;
    for (struct node *p = head; p; p = p->next, count++)
        if (p->next && p->next->key < p->key)
            sorted = 0;
    printf("sorted=%d count=%d min=%d digest=%08x\n", sorted, count, head->key, digest(head));
    /* remove all nodes with even keys */
    struct node **pp = &head;
    int removed = 0;
    while (*pp) {
        if (((*pp)->key & 1) == 0) {
            struct node *dead = *pp;
            *pp = dead->next;
            free(dead);
            removed++;
        } else {
            pp = &(*pp)->next;
        }
    }
    int pos = 0;
    struct node *p = head;
    while (p && p->key < 1000) {
        p = p->next;
        pos++;
    }
    printf("removed=%d first>=1000 at %d key=%d digest=%08x\n", removed, pos, p ? p->key : 0, digest(head));
    while (head) {
        struct node *n = head->next;
        free(head);
        head = n;
    }
    return sorted ? removed % 256 : 255;
}
