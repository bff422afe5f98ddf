/* segv: a store through a wild pointer raises SIGSEGV; exit status 128+11. */
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>

int main(void)
{
    const char msg[] = "about to write to address 0x10\n";
    write(1, msg, sizeof msg - 1);
    volatile uintptr_t addr = 0x10;
    *(volatile int *)addr = 1;
    printf("not reached\n");
    return 0;
}
