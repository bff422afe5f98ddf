/*
 * What libgcc's feature probes see on this CPU: the vendor, and each probe's answer.
 * GuestProgramsTest checks the answers against what the CPU implements (SSE, SSE2,
 * POPCNT yes; SSE3 and later, AVX no).
 */
#include <stdio.h>
#include <cpuid.h>

int main(void)
{
	unsigned a, b, c, d;
	__cpuid(0, a, b, c, d);
	char vendor[13];
	for (int i = 0; i < 4; i++) {
		vendor[i] = (char)(b >> (8 * i));
		vendor[4 + i] = (char)(d >> (8 * i));
		vendor[8 + i] = (char)(c >> (8 * i));
	}
	vendor[12] = 0;
	printf("vendor %s max-leaf %u amd %d\n", vendor, a, __builtin_cpu_is("amd") != 0);
	printf("cmov %d sse %d sse2 %d popcnt %d sse3 %d ssse3 %d sse4.2 %d avx %d avx2 %d bmi %d\n",
	       __builtin_cpu_supports("cmov") != 0, __builtin_cpu_supports("sse") != 0,
	       __builtin_cpu_supports("sse2") != 0, __builtin_cpu_supports("popcnt") != 0,
	       __builtin_cpu_supports("sse3") != 0, __builtin_cpu_supports("ssse3") != 0,
	       __builtin_cpu_supports("sse4.2") != 0, __builtin_cpu_supports("avx") != 0,
	       __builtin_cpu_supports("avx2") != 0, __builtin_cpu_supports("bmi") != 0);
	return 0;
}
