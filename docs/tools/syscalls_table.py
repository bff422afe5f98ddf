#!/usr/bin/env python3
"""Writes docs/syscalls.md from the handlers registered in the kernel's syscall package
and the notes below. SyscallDocTest checks that the table and the kernel agree.

    python3 docs/tools/syscalls_table.py
"""
import glob
import os
import re

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
SYS = os.path.join(ROOT, 'kernel/src/main/java/microlith/kernel/syscall')

PARTIAL = {
    'clone': 'namespaces and CLONE_PIDFD: EINVAL, logged; CLONE_FS shares the working directory and umask '
             '(no chroot to share)',
    'clone3': 'as clone; set_tid and CLONE_INTO_CGROUP: EINVAL, logged',
    'futex': 'no priority-inheritance operations (LOCK_PI, UNLOCK_PI, TRYLOCK_PI, *_REQUEUE_PI, LOCK_PI2: '
             'ENOSYS, logged); shared futexes keyed by address space and address',
    'kill': 'a process-directed signal goes to one thread chosen when it is sent (one in sigwait for it, else '
            'one not blocking it); no shared pending set, but sigtimedwait takes such a signal from another thread',
    'prctl': 'PR_SET/GET_NAME, PDEATHSIG (accepted, never sent), DUMPABLE, NO_NEW_PRIVS, TIMERSLACK, '
             'CHILD_SUBREAPER; others EINVAL, logged',
    'socket': 'AF_UNIX SOCK_STREAM and SOCK_DGRAM only (EAFNOSUPPORT, ESOCKTNOSUPPORT otherwise, logged)',
    'socketpair': 'as socket',
    'sendmsg': 'control messages: SCM_RIGHTS; SCM_CREDENTIALS: EINVAL, logged',
    'recvmsg': 'control messages: SCM_RIGHTS (no SO_PASSCRED credentials)',
    'setsockopt': 'SOL_SOCKET options accepted and ignored',
    'getsockopt': 'SO_TYPE, SO_ERROR, SO_SNDBUF, SO_RCVBUF, SO_PEERCRED, SO_ACCEPTCONN, SO_DOMAIN, SO_PROTOCOL',
    'epoll_ctl': 'EPOLLET is approximated (new readiness or more data than at the last look); EPOLLEXCLUSIVE '
                 'has no effect',
    'getrusage': 'only the time and maxrss fields',
    'sysinfo': 'no load averages, no swap',
    'wait4': 'rusage is zero',
    'signalfd': 'reads the calling thread\'s pending signals; ssi_status, ssi_int, ssi_ptr, ssi_utime and ssi_stime are 0',
    'signalfd4': 'as signalfd',
    'pidfd_send_signal': 'no siginfo of the caller\'s (EINVAL, logged)',
    'sched_setaffinity': 'one CPU: the mask must include CPU 0',
    'arch_prctl': 'ARCH_SET_FS and ARCH_GET_FS; the GS forms: EINVAL',
    'fcntl': 'F_SETOWN/F_GETOWN accepted without SIGIO; a dup2 or exec that closes a descriptor keeps its '
             'record locks',
    'flock': 'released at close only when no other descriptor of the process refers to the file',
    'preadv2': 'flags must be 0 (EOPNOTSUPP)',
    'pwritev2': 'flags must be 0 (EOPNOTSUPP)',
    'ioctl': 'FIONBIO, FIOCLEX, FIONCLEX, FIOASYNC and FIONREAD (pipes, sockets) for every file; the rest '
             'goes to the driver',
    'timer_create': 'the alarm clocks (no RTC to wake the machine), MONOTONIC_RAW and the coarse clocks: '
                    'EOPNOTSUPP; expiries are seen at the 100 Hz tick, as without high-resolution timers',
    'rt_sigtimedwait': 'a waited-for signal that is not blocked may run its handler first',
    'mmap': 'anonymous mappings only (private, or shared with children as shmem); file mappings: ENODEV',
    'waitid': 'rusage is zero',
    'getxattr': 'no filesystem keeps attributes: ENODATA', 'lgetxattr': 'as getxattr', 'fgetxattr': 'as getxattr',
    'setxattr': 'EOPNOTSUPP', 'lsetxattr': 'EOPNOTSUPP', 'fsetxattr': 'EOPNOTSUPP',
    'removexattr': 'EOPNOTSUPP', 'lremovexattr': 'EOPNOTSUPP', 'fremovexattr': 'EOPNOTSUPP',
    'setpriority': 'the nice value is kept and reported, the scheduler does not use it',
    'membarrier': 'GLOBAL and the expedited commands (one CPU: nothing to order); no SYNC_CORE, no RSEQ',
    'msync': 'no file mappings: only the range check',
}
MISSING = {
}


# microlith's own calls, above Linux's range: the microkernel's IPC (docs/microkernel.md).
EXTENSIONS = {
    'ipc_reply_recv': 'microlith, not Linux: a server replies and waits for the next message; servers only (ENOSYS for any other process)',
    'ipc_call': 'microlith, not Linux: a server calls the core or another server; servers only (ENOSYS for any other process)',
}


def main():
    src = open(os.path.join(SYS, 'SyscallNames.java')).read()
    body = ''.join(re.findall(r'"([^"]*)"', src))
    names = {int(n): nm for n, nm in re.findall(r'(\d+) ([a-z_0-9]+)', body)}
    registered = set()
    for f in glob.glob(os.path.join(SYS, 'Sys*.java')):
        registered |= set(re.findall(r'register\("([a-z_0-9]+)"', open(f).read()))
    rows, counts = [], {'implemented': 0, 'partial': 0, 'missing': 0}
    for n in sorted(names):
        nm = names[n]
        if nm in registered:
            status, note = ('partial', PARTIAL[nm]) if nm in PARTIAL else ('implemented', EXTENSIONS.get(nm, ''))
        else:
            status, note = 'missing', MISSING.get(nm, '')
        counts[status] += 1
        rows.append(f'| {n} | {nm} | {status} | {note} |')
    head = f"""# Linux x86-64 system call compatibility

One row per number in Linux's `syscall_64.tbl` that `SyscallNames` knows, and microlith's
two IPC calls above Linux's range ({len(names)} calls).
**implemented**: Linux's semantics and errnos for what Linux accepts; **partial**: what is
left out is named, and a refused flag says which under `--verbose`; **missing**: the slot
holds `sys_ni_syscall`, which returns ENOSYS and logs one line per call number under
`--verbose`.

Written by `docs/tools/syscalls_table.py` from the handlers registered in
`kernel/src/main/java/microlith/kernel/syscall`; `SyscallDocTest` fails when the two
disagree. Counts: **{counts['implemented']} implemented, {counts['partial']} partial,
{counts['missing']} missing**.

| nr | name | status | notes |
|---:|---|---|---|
"""
    with open(os.path.join(ROOT, 'docs', 'syscalls.md'), 'w') as f:
        f.write(head + '\n'.join(rows) + '\n')
    print(counts)


if __name__ == '__main__':
    main()
