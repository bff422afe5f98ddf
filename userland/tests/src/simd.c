/* simd: SSE2 integer and floating-point intrinsics (packed add/sub with
 * saturation, pmaddwd, pmuludq, psadbw, shuffles, unpacks, packs, compares,
 * pmovmskb, shifts by immediate and by register, min/max, sqrt, conversions). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <emmintrin.h>

static uint32_t h;

static void show(const char *name, __m128i v)
{
    uint8_t b[16];
    _mm_storeu_si128((__m128i *)b, v);
    printf("%-10s", name);
    for (int i = 15; i >= 0; i--)
        printf("%02x%s", b[i], i % 4 == 0 && i ? "_" : "");
    printf("\n");
    for (int i = 0; i < 16; i++)
        h = h * 31 + b[i];
}

static void showd(const char *name, __m128d v)
{
    double d[2];
    _mm_storeu_pd(d, v);
    printf("%-10s %a %a\n", name, d[0], d[1]);
    show(name, _mm_castpd_si128(v));
}

static void shows(const char *name, __m128 v)
{
    float f[4];
    _mm_storeu_ps(f, v);
    printf("%-10s %a %a %a %a\n", name, (double)f[0], (double)f[1], (double)f[2], (double)f[3]);
    show(name, _mm_castps_si128(v));
}

int main(void)
{
    __m128i a = _mm_set_epi32((int)0x80017fff, (int)0xfffe0002, 0x7f80ff01, (int)0x8000ffff);
    __m128i b = _mm_set_epi32(0x00017fff, (int)0xffff8000, 0x01ff7f80, 0x12345678);
    volatile int cnt = 5;
    show("add8", _mm_add_epi8(a, b));
    show("adds8", _mm_adds_epi8(a, b));
    show("addus8", _mm_adds_epu8(a, b));
    show("subs16", _mm_subs_epi16(a, b));
    show("subus16", _mm_subs_epu16(a, b));
    show("mullo16", _mm_mullo_epi16(a, b));
    show("mulhi16", _mm_mulhi_epi16(a, b));
    show("mulhu16", _mm_mulhi_epu16(a, b));
    show("madd", _mm_madd_epi16(a, b));
    show("muludq", _mm_mul_epu32(a, b));
    show("sad", _mm_sad_epu8(a, b));
    show("avg8", _mm_avg_epu8(a, b));
    show("min16", _mm_min_epi16(a, b));
    show("maxu8", _mm_max_epu8(a, b));
    show("cmpeq8", _mm_cmpeq_epi8(a, b));
    show("cmpgt16", _mm_cmpgt_epi16(a, b));
    show("cmpgt32", _mm_cmpgt_epi32(a, b));
    show("packs16", _mm_packs_epi16(a, b));
    show("packus16", _mm_packus_epi16(a, b));
    show("packs32", _mm_packs_epi32(a, b));
    show("unpklo8", _mm_unpacklo_epi8(a, b));
    show("unpkhi16", _mm_unpackhi_epi16(a, b));
    show("unpklo64", _mm_unpacklo_epi64(a, b));
    show("shuf32", _mm_shuffle_epi32(a, 0x1b));
    show("shufhi", _mm_shufflehi_epi16(a, 0x72));
    show("shuflo", _mm_shufflelo_epi16(b, 0xd8));
    show("slli16", _mm_slli_epi16(a, 3));
    show("srai32", _mm_srai_epi32(a, 7));
    show("srli64", _mm_srli_epi64(a, 13));
    show("sll16r", _mm_sll_epi16(a, _mm_cvtsi32_si128(cnt)));
    show("sra16big", _mm_sra_epi16(a, _mm_cvtsi32_si128(cnt * 10)));
    show("srl32big", _mm_srl_epi32(a, _mm_cvtsi32_si128(cnt * 7)));
    show("bslli", _mm_bslli_si128(a, 5));
    show("bsrli", _mm_bsrli_si128(a, 3));
    show("andnot", _mm_andnot_si128(a, b));
    printf("movemask %04x\n", _mm_movemask_epi8(a));
    printf("extract %d insert ", _mm_extract_epi16(a, 7));
    show("", _mm_insert_epi16(a, 0xbeef, 2));
    __m128d x = _mm_set_pd(-2.5, 1e300), y = _mm_set_pd(0.1, -1e-300);
    showd("addpd", _mm_add_pd(x, y));
    showd("mulpd", _mm_mul_pd(x, y));
    showd("divpd", _mm_div_pd(x, y));
    showd("sqrtpd", _mm_sqrt_pd(_mm_set_pd(2.0, 1e-310)));
    showd("minpd", _mm_min_pd(x, y));
    showd("maxpd", _mm_max_pd(_mm_set_pd(0.0, -0.0), _mm_set_pd(-0.0, 0.0)));
    showd("cmpltpd", _mm_cmplt_pd(x, y));
    showd("cmpunord", _mm_cmpunord_pd(_mm_set_pd(0.0 / 0.0 + cnt, 1), y));
    showd("shufpd", _mm_shuffle_pd(x, y, 1));
    showd("unpckhpd", _mm_unpackhi_pd(x, y));
    __m128 p = _mm_set_ps(1.5f, -2.25f, 3e38f, 1e-40f), q = _mm_set_ps(0.1f, 4.0f, 10.0f, 1e-40f);
    shows("addps", _mm_add_ps(p, q));
    shows("mulps", _mm_mul_ps(p, q));
    shows("rcpmask", _mm_and_ps(_mm_cmpge_ps(p, q), p));
    shows("shufps", _mm_shuffle_ps(p, q, 0x4e));
    shows("cvtdq2ps", _mm_cvtepi32_ps(a));
    show("cvtps2dq", _mm_cvtps_epi32(_mm_set_ps(2.5f, -2.5f, 3.5f, 1e10f)));
    show("cvttps2dq", _mm_cvttps_epi32(_mm_set_ps(2.7f, -2.7f, -0.5f, -1e10f)));
    show("cvtpd2dq", _mm_cvtpd_epi32(_mm_set_pd(-1.5, 0.5)));
    showd("cvtps2pd", _mm_cvtps_pd(p));
    shows("cvtpd2ps", _mm_cvtpd_ps(x));
    printf("cvtsd2si %d cvttsd2si64 %lld ucomi %d %d comi %d\n", _mm_cvtsd_si32(_mm_set_sd(-3.5)),
           (long long)_mm_cvttsd_si64(_mm_set_sd(-9.2e18)), _mm_ucomilt_sd(x, y), _mm_ucomieq_sd(x, x),
           _mm_comige_sd(y, x));
    printf("simd h=%08x\n", h);
    return (int)(h % 256);
}
