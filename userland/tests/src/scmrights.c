/*
 * Passing open files over AF_UNIX sockets (SCM_RIGHTS): to another process, which then
 * shares the open file description (its offset too); a stream read stops before bytes
 * that carry files and takes them with their first byte; too little control room or a
 * plain read closes what does not fit; datagrams carry files too; bad messages fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The raw call: musl's sendmsg refuses more than 1024 bytes of control data itself. */
static int send_fds(int s, const char *data, const int *fds, int n)
{
    char ctl[CMSG_SPACE(sizeof(int) * 256)];
    struct iovec io = {(void *)data, strlen(data)};
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1};
    if (n > 0) {
        memset(ctl, 0, sizeof ctl);
        m.msg_control = ctl;
        m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * n);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    }
    return syscall(SYS_sendmsg, s, &m, 0);
}

/* Receives into buf; the descriptors that came in fds (count returned in *n). */
static int recv_fds(int s, char *buf, int len, int *fds, int *n, int room, int flags, int *mflags)
{
    char ctl[CMSG_SPACE(sizeof(int) * 8)];
    struct iovec io = {buf, len};
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = room ? ctl : NULL,
                       .msg_controllen = room ? CMSG_LEN(sizeof(int) * room) : 0};
    int r = recvmsg(s, &m, flags);
    *n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); r >= 0 && c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(fds + *n, CMSG_DATA(c), k * sizeof(int));
            *n += k;
        }
    }
    if (mflags) {
        *mflags = m.msg_flags;
    }
    if (r >= 0) {
        buf[r] = 0;
    }
    return r;
}

static const char *kind(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return "closed";
    }
    return S_ISFIFO(st.st_mode) ? "pipe" : S_ISREG(st.st_mode) ? "file" : S_ISSOCK(st.st_mode) ? "socket" : "other";
}

/* Whether the read end sees end of file: every write end, passed ones too, is closed. */
static int at_eof(int rd)
{
    char c;
    fcntl(rd, F_SETFL, O_NONBLOCK);
    return read(rd, &c, 1) == 0;
}

int main(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char name[] = "/tmp/scmrightsXXXXXX";
    int file = mkstemp(name);
    write(file, "0123456789", 10);
    lseek(file, 5, SEEK_SET);
    unlink(name);

    /* Another process gets the file and shares its offset. */
    pid_t c = fork();
    if (c == 0) {
        char buf[16];
        int fds[8], n;
        int r = recv_fds(sv[1], buf, sizeof buf - 1, fds, &n, 8, 0, NULL);
        char got[8] = {0};
        read(fds[0], got, 2);
        printf("child: %d byte(s) \"%s\", %d fd, a %s, read \"%s\" at the shared offset\n", r, buf, n,
               kind(fds[0]), got);
        fflush(stdout);
        _exit(0);
    }
    send_fds(sv[0], "F", &file, 1);
    waitpid(c, NULL, 0);
    printf("parent's offset after the child's read: %ld\n", (long)lseek(file, 0, SEEK_CUR));

    /* A read runs into bytes that carry files, takes them, and ends with those bytes. */
    int p[2];
    pipe(p);
    send(sv[0], "aa", 2, 0);
    send_fds(sv[0], "bb", &p[1], 1);
    send_fds(sv[0], "cc", &file, 1);
    send(sv[0], "dd", 2, 0);
    char buf[64];
    int fds[8], n, mf;
    int r = recv_fds(sv[1], buf, sizeof buf - 1, fds, &n, 8, MSG_CMSG_CLOEXEC, NULL);
    printf("first read: \"%s\" (%d), %d fd, a %s, close-on-exec %d\n", buf, r, n, kind(fds[0]),
           (fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0);
    write(fds[0], "through the passed pipe", 23);
    char pb[32] = {0};
    read(p[0], pb, sizeof pb - 1);
    printf("the pipe carried: %s\n", pb);
    close(fds[0]);
    r = recv_fds(sv[1], buf, sizeof buf - 1, fds, &n, 8, 0, NULL);
    printf("second read: \"%s\" (%d), %d fd, a %s\n", buf, r, n, kind(fds[0]));
    close(fds[0]);
    r = recv_fds(sv[1], buf, sizeof buf - 1, fds, &n, 8, 0, NULL);
    printf("third read: \"%s\" (%d), %d fd\n", buf, r, n);

    /* Room for one of two: the other is closed, and MSG_CTRUNC says so. */
    int two[2] = {p[1], p[1]};
    send_fds(sv[0], "t", two, 2);
    close(p[1]);
    r = recv_fds(sv[1], buf, sizeof buf - 1, fds, &n, 1, 0, &mf);
    printf("room for one: %d fd, MSG_CTRUNC %d\n", n, (mf & MSG_CTRUNC) != 0);
    close(fds[0]);
    printf("every write end closed: EOF %d\n", at_eof(p[0]));

    /* A plain read of bytes that carry files closes them. */
    int q[2];
    pipe(q);
    send_fds(sv[0], "r", &q[1], 1);
    close(q[1]);
    read(sv[1], buf, sizeof buf);
    printf("read(2) dropped the passed write end: EOF %d\n", at_eof(q[0]));

    /* Datagrams carry files too. */
    int dv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    send_fds(dv[0], "dgram", &dv[0], 1);
    r = recv_fds(dv[1], buf, sizeof buf - 1, fds, &n, 8, 0, NULL);
    printf("datagram: \"%s\", %d fd, a %s\n", buf, n, kind(fds[0]));

    /* Bad messages. */
    int bad = 99;
    r = send_fds(sv[0], "x", &bad, 1);
    printf("a bad descriptor: %d %s\n", r, strerror(errno));
    int many[254];
    for (int i = 0; i < 254; i++) {
        many[i] = file;
    }
    r = send_fds(sv[0], "x", many, 254);
    printf("254 descriptors: %d %s\n", r, strerror(errno));
    r = send_fds(sv[0], "", many, 253);
    printf("253 descriptors and no byte: %d\n", r);
    char ctl[CMSG_SPACE(sizeof(int))];
    struct iovec io = {"x", 1};
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = sizeof ctl + 8;
    r = sendmsg(sv[0], &m, 0);
    printf("cmsg_len past the buffer: %d %s\n", r, strerror(errno));
    h->cmsg_level = 6; /* IPPROTO_TCP: not SOL_SOCKET, skipped */
    h->cmsg_len = CMSG_LEN(sizeof(int));
    printf("another level is skipped: %d\n", (int)sendmsg(sv[0], &m, 0));
    return 0;
}
