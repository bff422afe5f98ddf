/* stty [-a] [sane | raw | cooked | size | [-]echo | [-]icanon | [-]isig | [-]icrnl |
 * [-]opost | [-]onlcr | [-]tostop | [-]ixon]: show or change the terminal's modes
 * (what to type after a program leaves the console raw: "stty sane"). */
#include "common.h"
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

struct flag { const char *name; int field; tcflag_t bit; };
static const struct flag flags[] = {
	{ "icrnl", 0, ICRNL }, { "ixon", 0, IXON }, { "opost", 1, OPOST }, { "onlcr", 1, ONLCR },
	{ "isig", 3, ISIG }, { "icanon", 3, ICANON }, { "iexten", 3, IEXTEN }, { "echo", 3, ECHO },
	{ "echoe", 3, ECHOE }, { "echok", 3, ECHOK }, { "echoctl", 3, ECHOCTL }, { "echoke", 3, ECHOKE },
	{ "tostop", 3, TOSTOP }, { NULL, 0, 0 },
};

static tcflag_t *field(struct termios *t, int f)
{
	return f == 0 ? &t->c_iflag : f == 1 ? &t->c_oflag : f == 2 ? &t->c_cflag : &t->c_lflag;
}

static void show_cc(const char *name, cc_t c)
{
	if (c == 0) printf("%s = <undef>; ", name);
	else if (c == 127) printf("%s = ^?; ", name);
	else if (c < 32) printf("%s = ^%c; ", name, c + 64);
	else printf("%s = %c; ", name, c);
}

int main(int argc, char **argv)
{
	prog = "stty";
	struct termios t;
	if (tcgetattr(0, &t) < 0) { warnerr("'standard input'"); return 1; }
	if (argc == 1 || !strcmp(argv[1], "-a")) {
		int all = argc > 1;
		printf("speed 38400 baud; ");
		struct winsize ws;
		if (ioctl(0, TIOCGWINSZ, &ws) == 0) printf("rows %d; columns %d; ", ws.ws_row, ws.ws_col);
		printf("line = 0;\n");
		if (all) {
			show_cc("intr", t.c_cc[VINTR]); show_cc("quit", t.c_cc[VQUIT]); show_cc("erase", t.c_cc[VERASE]);
			show_cc("kill", t.c_cc[VKILL]); show_cc("eof", t.c_cc[VEOF]); show_cc("susp", t.c_cc[VSUSP]);
			printf("min = %d; time = %d;\n", t.c_cc[VMIN], t.c_cc[VTIME]);
		}
		for (const struct flag *f = flags; f->name; f++)
			printf("%s%s%c", *field(&t, f->field) & f->bit ? "" : "-", f->name, f[1].name ? ' ' : '\n');
		return 0;
	}
	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "size")) {
			struct winsize ws;
			if (ioctl(0, TIOCGWINSZ, &ws) < 0) { warnerr("'standard input'"); return 1; }
			printf("%d %d\n", ws.ws_row, ws.ws_col);
			continue;
		}
		if (!strcmp(a, "sane") || !strcmp(a, "cooked")) {
			t.c_iflag |= ICRNL | IXON;
			t.c_oflag |= OPOST | ONLCR;
			t.c_lflag |= ISIG | ICANON | IEXTEN | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE;
			t.c_lflag &= ~TOSTOP;
			t.c_cc[VMIN] = 1;
			t.c_cc[VTIME] = 0;
			continue;
		}
		if (!strcmp(a, "raw")) {
			t.c_iflag &= ~(ICRNL | IXON);
			t.c_oflag &= ~OPOST;
			t.c_lflag &= ~(ISIG | ICANON | IEXTEN | ECHO);
			t.c_cc[VMIN] = 1;
			t.c_cc[VTIME] = 0;
			continue;
		}
		int off = a[0] == '-';
		const struct flag *f;
		for (f = flags; f->name && strcmp(f->name, a + off); f++) ;
		if (!f->name) { warnx("invalid argument '%s'", a); fputs("Try 'stty --help' for more information.\n", stderr); return 1; }
		if (off) *field(&t, f->field) &= ~f->bit;
		else *field(&t, f->field) |= f->bit;
	}
	if (tcsetattr(0, TCSADRAIN, &t) < 0) { warnerr("'standard input'"); return 1; }
	return 0;
}
