/* AF_UNIX sockets: stream and datagram socketpairs, bind/listen/accept/connect on a
 * path between two processes, select, EOF and EPIPE after the peer closes, eventfd. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/select.h>
#include <sys/eventfd.h>
#include <stdint.h>
#include <sys/uio.h>
int main(void) {
    int sv[2];
    printf("socketpair=%d\n", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    write(sv[0], "ping", 4); char b[64] = {0};
    ssize_t r0 = read(sv[1], b, sizeof b); printf("read=%zd %s\n", r0, b);
    int d[2]; socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    send(d[0], "one", 3, 0); send(d[0], "three", 5, 0);
    memset(b, 0, sizeof b); ssize_t d1 = recv(d[1], b, 2, 0); printf("dgram=%zd %s ", d1, b);
    memset(b, 0, sizeof b); ssize_t d2 = recv(d[1], b, sizeof b, 0); printf("%zd %s\n", d2, b);
    struct iovec out2[2] = {{"scatter ", 8}, {"gather", 6}};
    struct msghdr mh = {.msg_iov = out2, .msg_iovlen = 2};
    ssize_t sm = sendmsg(d[0], &mh, 0);
    char p1[5] = {0}, p2[32] = {0};
    struct iovec in2[2] = {{p1, 4}, {p2, sizeof p2 - 1}};
    struct msghdr rh = {.msg_iov = in2, .msg_iovlen = 2};
    ssize_t pk = recv(d[1], b, 3, MSG_PEEK | MSG_TRUNC);
    ssize_t rm = recvmsg(d[1], &rh, 0);
    printf("sendmsg=%zd peek(trunc)=%zd recvmsg=%zd '%s'+'%s' flags=%d\n", sm, pk, rm, p1, p2, rh.msg_flags);
    int type = 0;
    socklen_t tl = sizeof type;
    int gs = getsockopt(d[0], SOL_SOCKET, SO_TYPE, &type, &tl);
    struct ucred uc;
    socklen_t cl = sizeof uc;
    int gc = getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &cl);
    printf("SO_TYPE=%d %d, SO_PEERCRED=%d pid is mine %d\n", gs, type, gc, uc.pid == getpid());
    struct sockaddr_un pn;
    socklen_t pnl = sizeof pn;
    int gp = getpeername(sv[0], (void *)&pn, &pnl);
    printf("getpeername of a pair=%d len=%d\n", gp, (int)pnl);
    shutdown(sv[1], SHUT_WR);
    ssize_t eof = read(sv[0], b, sizeof b);
    printf("after the peer's SHUT_WR: read=%zd\n", eof);
    int nb = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    errno = 0;
    ssize_t nr = read(nb, b, 1);
    printf("read on an unconnected socket=%zd %s\n", nr, strerror(errno));
    errno = 0;
    int gpn = getpeername(nb, (void *)&pn, &pnl);
    printf("getpeername unconnected=%d %s\n", gpn, strerror(errno));
    unlink("/tmp/sock.test");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX}; strcpy(a.sun_path, "/tmp/sock.test");
    int br = bind(l, (void *)&a, sizeof a);
    int lr = listen(l, 4);
    printf("bind=%d listen=%d\n", br, lr);
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        int r = connect(c, (void *)&a, sizeof a);
        char m[] = "hello from child";
        write(c, m, sizeof m - 1);
        char rb[32] = {0}; read(c, rb, sizeof rb);
        printf("child connect=%d got=%s\n", r, rb); fflush(stdout);
        _exit(0);
    }
    int s = accept(l, 0, 0);
    fd_set rs; FD_ZERO(&rs); FD_SET(s, &rs);
    struct timeval tv = {5, 0};
    int sr = select(s + 1, &rs, 0, 0, &tv); printf("select=%d isset=%d\n", sr, FD_ISSET(s, &rs));
    memset(b, 0, sizeof b); ssize_t sr2 = read(s, b, sizeof b); printf("server read=%zd %s\n", sr2, b);
    fflush(stdout);
    write(s, "bye", 3);
    waitpid(p, 0, 0);
    struct sockaddr_un pa; socklen_t pl = sizeof pa;
    int gr = getsockname(l, (void *)&pa, &pl); printf("getsockname=%d %s\n", gr, pa.sun_path);
    printf("read after close=%zd\n", read(s, b, sizeof b));
    signal(SIGPIPE, SIG_IGN);
    errno = 0; ssize_t wr = write(s, "x", 1); printf("write after close=%zd %s\n", wr, strerror(errno));
    struct sockaddr_un bad = {.sun_family = AF_UNIX}; strcpy(bad.sun_path, "/tmp/nonexistent.sock");
    int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    errno = 0; int cr = connect(c2, (void *)&bad, sizeof bad); printf("connect missing=%d %s\n", cr, strerror(errno));
        int e = eventfd(3, 0); uint64_t v = 4; write(e, &v, 8); read(e, &v, 8); printf("eventfd=%llu\n", (unsigned long long)v);
    unlink("/tmp/sock.test");
    return 0;
}
