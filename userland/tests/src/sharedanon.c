/*
 * MAP_SHARED|MAP_ANONYMOUS memory is one object shared with every child: a page written
 * before the fork, a page first touched after it by either side, pieces left after a
 * partial munmap or moved by mremap all stay shared, while MAP_PRIVATE memory is copied.
 * MADV_DONTNEED keeps a shared page's contents; /proc/self/maps marks the mapping 's'.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

/* Runs fn in a child and waits for it. */
static void in_child(void (*fn)(char *, char *), char *shared, char *private)
{
    pid_t c = fork();
    if (c == 0) {
        fn(shared, private);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
}

static void child_writes(char *shared, char *private)
{
    strcpy(shared, "child was here");
    strcpy(shared + 3 * PAGE, "first touch in the child");
    strcpy(private, "private child");
}

static void child_writes_last(char *shared, char *private)
{
    (void)private;
    strcpy(shared, "after munmap");
}

static const char *maps_flags(void *addr)
{
    static char line[512];
    char want[32];
    snprintf(want, sizeof want, "%lx-", (unsigned long)addr);
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) == 0) {
            fclose(f);
            char *perm = strchr(line, ' ') + 1;
            perm[4] = 0;
            int zero = strstr(perm + 5, "/dev/zero (deleted)") != NULL;
            static char out[32];
            snprintf(out, sizeof out, "%s%s", perm, zero ? " /dev/zero (deleted)" : "");
            return out;
        }
    }
    if (f) {
        fclose(f);
    }
    return "not found";
}

int main(void)
{
    char *shared = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *private = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(shared, "parent");
    strcpy(private, "private parent");
    printf("maps: %s\n", maps_flags(shared));

    in_child(child_writes, shared, private);
    printf("page 0: %s\n", shared);
    printf("page 3 (first touched by the child): %s\n", shared + 3 * PAGE);
    printf("private: %s\n", private);

    /* The parent touches a page first; a child reads it. */
    strcpy(shared + 5 * PAGE, "first touch in the parent");
    int p[2];
    pipe(p);
    if (fork() == 0) {
        write(p[1], shared + 5 * PAGE, strlen(shared + 5 * PAGE) + 1);
        _exit(0);
    }
    char buf[64] = {0};
    read(p[0], buf, sizeof buf);
    wait(NULL);
    printf("child read: %s\n", buf);

    /* Read-only for a while, then writable again: still the same page. */
    mprotect(shared, 8 * PAGE, PROT_READ);
    printf("maps read-only: %s\n", maps_flags(shared));
    mprotect(shared, 8 * PAGE, PROT_READ | PROT_WRITE);
    in_child(child_writes_last, shared + 5 * PAGE, NULL);
    printf("after mprotect: %s\n", shared + 5 * PAGE);

    /* MADV_DONTNEED drops the mapping, not the shared contents. */
    madvise(shared, 8 * PAGE, MADV_DONTNEED);
    printf("after MADV_DONTNEED: %s\n", shared);

    /* Unmapping the middle leaves two pieces, both still shared. */
    munmap(shared + 2 * PAGE, 2 * PAGE);
    in_child(child_writes_last, shared + 6 * PAGE, NULL);
    printf("tail piece: %s\n", shared + 6 * PAGE);

    /* A piece moved elsewhere keeps its pages and its sharing. */
    char *to = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *moved = mremap(shared + 4 * PAGE, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
    printf("moved: %d, page 5 there: %s\n", moved == to, moved + PAGE);
    in_child(child_writes_last, moved, NULL);
    printf("moved piece after a child wrote: %s\n", moved);
    printf("maps moved: %s\n", maps_flags(moved));

    /* An old size of 0 maps the same pages a second time; a private mapping refuses. */
    char *again = mremap(moved, 0, PAGE, MREMAP_MAYMOVE);
    printf("second mapping: %d, reads: %s\n", again != MAP_FAILED && again != moved, again);
    strcpy(again, "written through the second mapping");
    printf("first mapping reads: %s\n", moved);
    printf("private refuses: %d\n", mremap(private, 0, PAGE, MREMAP_MAYMOVE) == MAP_FAILED);
    return 0;
}
