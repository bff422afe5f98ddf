/* pthreads: mutexes, condition variables, barriers, TLS, many threads, join and exit
 * values, detached threads, pthread_once, a signal sent to one thread, and futex-backed
 * semaphores. The output does not depend on how the threads interleave. */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define N 16

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static long counter;
static int arrived;
static __thread int tls = 7;
static __thread char tls_name[16];
static int serial_after_barrier[N];
static int next_serial;

static void *worker(void *arg) {
    long id = (long)arg;
    tls += (int)id;
    snprintf(tls_name, sizeof tls_name, "worker-%ld", id);
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    pthread_barrier_wait(&barrier);
    pthread_mutex_lock(&lock);
    serial_after_barrier[id] = next_serial++;
    arrived++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    if (strcmp(tls_name + 7, "") == 0) {
        return NULL;
    }
    return (void *)(long)tls;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_fn(void) { once_runs++; }
static void *call_once(void *arg) { (void)arg; pthread_once(&once, once_fn); return NULL; }

static void *exiter(void *arg) { (void)arg; pthread_exit((void *)42); }

static volatile sig_atomic_t got_signal;
static volatile long handler_tid;
static void on_usr1(int sig) { (void)sig; got_signal = 1; handler_tid = syscall(SYS_gettid); }
static sem_t ready, go;
static volatile long target_tid;
static void *signal_target(void *arg) {
    (void)arg;
    target_tid = syscall(SYS_gettid);
    sem_post(&ready);
    while (!got_signal) {
        sem_wait(&go);
    }
    return NULL;
}

static sem_t items;
static void *producer(void *arg) {
    (void)arg;
    for (int i = 0; i < 50; i++) {
        sem_post(&items);
    }
    return NULL;
}

static void *change_dir(void *arg) {
    (void)arg;
    chdir("/tmp");
    umask(077);
    return NULL;
}

static sigset_t waited;
static void *sigwaiter(void *arg) {
    (void)arg;
    for (int i = 0; i < 2; i++) {
        int sig = 0;
        sigwait(&waited, &sig);
        printf("sigwait in a thread got %d\n", sig);
    }
    return NULL;
}

static int detached_done;
static void *detached(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    detached_done = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void) {
    pthread_t t[N];
    /* Blocked before the first thread starts, so every thread inherits the mask: the
     * detached thread below may still be exiting when SIGUSR2 is sent, and on Linux a
     * process-directed signal may go to any thread that does not block it. */
    sigemptyset(&waited);
    sigaddset(&waited, SIGUSR2);
    sigaddset(&waited, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &waited, NULL);
    pthread_barrier_init(&barrier, NULL, N);
    for (long i = 0; i < N; i++) {
        if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    pthread_mutex_lock(&lock);
    while (arrived < N) {
        pthread_cond_wait(&cond, &lock);
    }
    pthread_mutex_unlock(&lock);
    long sum = 0;
    for (int i = 0; i < N; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (long)r;
    }
    int serial_sum = 0;
    for (int i = 0; i < N; i++) {
        serial_sum += serial_after_barrier[i];
    }
    printf("counter %ld, tls sum %ld, serials %d, main tls %d\n", counter, sum, serial_sum, tls);

    for (int i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, call_once, NULL);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    printf("once ran %d time(s)\n", once_runs);

    void *r;
    pthread_create(&t[0], NULL, exiter, NULL);
    pthread_join(t[0], &r);
    printf("pthread_exit value %ld\n", (long)r);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&t[0], &attr, detached, NULL);
    pthread_mutex_lock(&lock);
    while (!detached_done) {
        pthread_cond_wait(&cond, &lock);
    }
    pthread_mutex_unlock(&lock);
    printf("detached thread ran\n");

    signal(SIGUSR1, on_usr1);
    sem_init(&ready, 0, 0);
    sem_init(&go, 0, 0);
    pthread_create(&t[0], NULL, signal_target, NULL);
    sem_wait(&ready);
    pthread_kill(t[0], SIGUSR1);
    sem_post(&go);
    pthread_join(t[0], NULL);
    printf("signal to one thread: handled %d, in that thread %d, pid shared %d\n", (int)got_signal,
           handler_tid == target_tid, getpid() != target_tid);

    sem_init(&items, 0, 0);
    pthread_create(&t[0], NULL, producer, NULL);
    int taken = 0;
    for (int i = 0; i < 50; i++) {
        sem_wait(&items);
        taken++;
    }
    pthread_join(t[0], NULL);
    printf("semaphore items %d\n", taken);

    /* A process-directed signal every thread blocks goes to the thread in sigwait, sent
     * before that thread existed and while it waits. */
    kill(getpid(), SIGUSR2);
    pthread_create(&t[0], NULL, sigwaiter, NULL);
    usleep(20000);
    kill(getpid(), SIGHUP);
    pthread_join(t[0], NULL);

    /* Threads share the working directory and umask (CLONE_FS). */
    chdir("/");
    pthread_create(&t[0], NULL, change_dir, NULL);
    pthread_join(t[0], NULL);
    char cwd[64];
    getcwd(cwd, sizeof cwd);
    mode_t old = umask(022);
    printf("after a thread's chdir and umask: %s %03o\n", cwd, (unsigned)old);
    return 0;
}
