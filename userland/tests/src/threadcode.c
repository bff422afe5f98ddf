/* Code shared by threads and rewritten between their runs. A worker thread calls a
 * function in an executable page thousands of times (so a translating CPU compiles it),
 * the main thread rewrites an immediate inside that function while the worker waits,
 * and the worker's next calls must run the new code. Then the other way round: a thread
 * rewrites a function the main thread has been running hot. The output does not depend
 * on how the threads interleave. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PHASES 4
#define CALLS 5000

typedef unsigned (*fn_t)(unsigned);

static unsigned char *page;
static sem_t go, done;
static unsigned results[PHASES];

/* f(x) = x + 10 * imm:  mov eax, edi; mov ecx, 10; 1: add eax, imm32; dec ecx; jnz 1b; ret */
static void emit(unsigned char *at, unsigned imm)
{
    unsigned char code[] = {0x89, 0xf8, 0xb9, 10, 0, 0, 0, 0x05, 0, 0, 0, 0, 0xff, 0xc9, 0x75, 0xf7, 0xc3};
    memcpy(code + 8, &imm, 4);
    memcpy(at, code, sizeof code);
}

/* Rewrites only the ADD's immediate: a 4-byte store into code that has run hot. */
static void patch(unsigned char *fn, unsigned imm)
{
    memcpy(fn + 8, &imm, 4);
}

static unsigned run(unsigned char *fn, int calls)
{
    fn_t f = (fn_t)(void *)fn;
    unsigned sum = 0;
    for (int i = 0; i < calls; i++) {
        sum += f((unsigned)i);
    }
    return sum;
}

static void *worker(void *arg)
{
    (void)arg;
    for (int phase = 0; phase < PHASES; phase++) {
        sem_wait(&go);
        results[phase] = run(page, CALLS);
        sem_post(&done);
    }
    return NULL;
}

static void *patcher(void *arg)
{
    patch(page + 64, (unsigned)(long)arg);
    return NULL;
}

int main(void)
{
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    emit(page, 1);
    sem_init(&go, 0, 0);
    sem_init(&done, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    for (int phase = 0; phase < PHASES; phase++) {
        if (phase > 0) {
            patch(page, 7u * phase + 1);
        }
        sem_post(&go);
        sem_wait(&done);
        printf("phase %d: the worker's %d calls sum to %u\n", phase, CALLS, results[phase]);
    }
    pthread_join(t, NULL);

    emit(page + 64, 3);
    printf("main, before: %u\n", run(page + 64, CALLS));
    for (long imm = 100; imm < 103; imm++) {
        pthread_create(&t, NULL, patcher, (void *)imm);
        pthread_join(t, NULL);
        printf("main, after a thread wrote %ld: %u\n", imm, run(page + 64, CALLS));
    }
    return 0;
}
