/* Too many threads: pthread_create meets the kernel's task limit with EAGAIN, the
 * threads already made keep running, and after they are joined creation works again. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int release;
static int ran;

static void *parked(void *arg) {
    (void)arg;
    pthread_mutex_lock(&m);
    ran++;
    while (!release) {
        pthread_cond_wait(&c, &m);
    }
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void) {
    static pthread_t t[1024];
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 65536);
    int n = 0, err = 0;
    while (n < 1024) {
        err = pthread_create(&t[n], &a, parked, NULL);
        if (err != 0) {
            break;
        }
        n++;
    }
    printf("contained: %s after %d threads\n", err == EAGAIN ? "EAGAIN" : strerror(err), n);
    pthread_mutex_lock(&m);
    release = 1;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
    }
    printf("all %d ran and were joined\n", ran);
    err = pthread_create(&t[0], &a, parked, NULL);
    printf("creation works again: %s\n", err == 0 ? "yes" : strerror(err));
    if (err == 0) {
        pthread_join(t[0], NULL);
    }
    return 0;
}
