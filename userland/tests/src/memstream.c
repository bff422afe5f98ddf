/* memstream: in-memory stdio (fmemopen for reading with fscanf/fgetc/fseek,
 * open_memstream for writing with growth), no system calls involved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *w = open_memstream(&buf, &len);
    for (int i = 0; i < 300; i++)
        fprintf(w, "%d:%x;", i, i * i);
    fflush(w);
    printf("memstream len=%d\n", (int)len);
    fclose(w);
    printf("tail=%s\n", buf + len - 20);
    char data[] = "10 20 30 forty 50\nsecond line here\n";
    FILE *r = fmemopen(data, strlen(data), "r");
    int a, b, c;
    char word[16];
    int n = fscanf(r, "%d %d %d %15s", &a, &b, &c, word);
    printf("fscanf n=%d %d %d %d %s pos=%ld\n", n, a, b, c, word, ftell(r));
    fseek(r, 0, SEEK_SET);
    int ch, count = 0, nl = 0;
    while ((ch = fgetc(r)) != EOF) {
        count++;
        nl += ch == '\n';
    }
    printf("chars=%d newlines=%d\n", count, nl);
    fseek(r, -5, SEEK_END);
    char tail[8] = { 0 };
    size_t got = fread(tail, 1, sizeof tail - 1, r);
    printf("fread %d: [%s]\n", (int)got, strtok(tail, "\n"));
    fclose(r);
    free(buf);
    return nl;
}
