/* microlith libc: process entry point.
 *
 * The kernel enters _start with rsp pointing at argc; above it lie argv[],
 * NULL, envp[], NULL and the auxv pairs. Hand that pointer to C. */

    .text
    .globl  _start
    .type   _start, @function
_start:
    xorl    %ebp, %ebp          /* outermost frame: no caller */
    movq    %rsp, %rdi          /* arg 0: long *sp (argc at [sp]) */
    andq    $-16, %rsp          /* SysV: rsp % 16 == 0 at the call */
    call    __libc_start        /* does not return */
    ud2
    .size   _start, . - _start

    /* The stack must not be executable. */
    .section .note.GNU-stack, "", @progbits
