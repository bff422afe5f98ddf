/* A pipeline of five processes joined by pipes: each stage reads numbers, transforms
 * them and passes them on; the parent feeds the first stage and prints the last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <signal.h>

#define STAGES 5

static void stage(int in, int out, int k) {
    FILE *fi = fdopen(in, "r");
    FILE *fo = fdopen(out, "w");
    long v;
    while (fscanf(fi, "%ld", &v) == 1) fprintf(fo, "%ld\n", v * 3 + k);
    fclose(fo);
    _exit(0);
}

int main(void) {
    int fds[STAGES + 1][2];
    for (int i = 0; i <= STAGES; i++) if (pipe(fds[i]) != 0) { perror("pipe"); return 1; }
    for (int k = 0; k < STAGES; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            for (int i = 0; i <= STAGES; i++) {
                if (i != k) close(fds[i][0]);
                if (i != k + 1) close(fds[i][1]);
            }
            stage(fds[k][0], fds[k + 1][1], k);
        }
    }
    for (int i = 0; i <= STAGES; i++) {
        if (i != STAGES) close(fds[i][0]);
        if (i != 0) close(fds[i][1]);
    }
    FILE *feed = fdopen(fds[0][1], "w");
    for (long n = 1; n <= 2000; n++) fprintf(feed, "%ld\n", n);
    fclose(feed);
    FILE *res = fdopen(fds[STAGES][0], "r");
    long v, sum = 0, count = 0, last = 0;
    while (fscanf(res, "%ld", &v) == 1) { sum += v; count++; last = v; }
    int reaped = 0;
    while (wait(NULL) > 0) reaped++;
    printf("count=%ld sum=%ld last=%ld reaped=%d\n", count, sum, last, reaped);
    int p[2];
    pipe(p);
    close(p[0]);
    signal(13, SIG_IGN);
    printf("write to closed pipe: %zd\n", write(p[1], "x", 1));
    return 0;
}
