/*
 * The shell's grammar (XCU 2.10): a lexer that keeps each word's source text
 * (quotes and all, expanded only when the command runs) and a recursive-descent
 * parser building the tree in sh.h.
 *
 *   program   := linebreak [list] EOF
 *   list      := and_or ((';' | '&' | NEWLINE) linebreak and_or)*
 *   and_or    := pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline  := ['!'] command ('|' linebreak command)*
 *   command   := compound redirect* | NAME '(' ')' linebreak compound redirect*
 *              | (assignment | word | redirect)+
 *   compound  := '{' list '}' | '(' list ')' | if | while | until | for | case
 *
 * Input that ends inside a construct (an open quote, "if" without "fi", a
 * here-document without its delimiter) is "incomplete": the caller reads
 * another line and parses again from the start.
 */
#include "sh.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_WORD, T_NL, T_SEMI, T_AMP, T_AND, T_OR, T_PIPE, T_LP, T_RP, T_DSEMI, T_REDIR, T_EOF };
struct tok { int t; char *s; int fd, rt; int plain; };

/* Input: the buffer, with alias texts pushed on top of it. */
struct src { struct src *prev; const char *s; size_t pos, len; const char *alias; };
static struct src *S;
static int at_eof;
static struct arena *PA;
static jmp_buf *perr;
static struct sbuf rec;     /* every character consumed while a word is being read */
static int recording;
static struct tok tk;
static int have_tok;
static int alias_next;      /* the last alias ended in a blank: check the next word too */
static struct redir *pending_here[64];
static int npending;

#define EOFC (-1)

static void fail(int code) { longjmp(*perr, code); }

static void pop_exhausted(void)
{
	while (S->pos >= S->len && S->prev) S = S->prev;
}

static int peekn(int k)
{
	for (struct src *s = S; s; s = s->prev) {
		size_t avail = s->len - s->pos;
		if ((size_t)k < avail) return (unsigned char)s->s[s->pos + k];
		k -= (int)avail;
	}
	return EOFC;
}

static int peekc(void) { return peekn(0); }

static int nextc(void)
{
	pop_exhausted();
	if (S->pos >= S->len) return EOFC;
	int c = (unsigned char)S->s[S->pos++];
	if (recording) sb_putc(&rec, c);
	return c;
}

/* More input might complete this: ask for it, else it is an error. */
static void incomplete(const char *what)
{
	if (!at_eof) fail(1);
	fprintf(stderr, "sh: syntax error: %s\n", what);
	fail(2);
}

static void unrecord(size_t n) { if (recording && rec.len >= n) rec.len -= n; }

static void scan_dollar(int indq);
static void scan_dq(void);

static void scan_squote(void)
{
	for (;;) {
		int c = nextc();
		if (c == EOFC) incomplete("unterminated quoted string");
		if (c == '\'') return;
	}
}

static void scan_bq(void)
{
	for (;;) {
		int c = nextc();
		if (c == EOFC) incomplete("unterminated `...`");
		if (c == '\\') { if (nextc() == EOFC) incomplete("unterminated `...`"); }
		else if (c == '`') return;
	}
}

/* After "${": up to the matching '}'. */
static void scan_brace(int indq)
{
	for (;;) {
		int c = peekc();
		if (c == EOFC) incomplete("missing '}'");
		nextc();
		if (c == '}') return;
		if (c == '\\') { if (peekc() == '\n') { nextc(); unrecord(2); } else nextc(); }
		else if (c == '\'' && !indq) scan_squote();
		else if (c == '"') scan_dq();
		else if (c == '`') scan_bq();
		else if (c == '$') scan_dollar(indq);
	}
}

/* After "$((": up to the closing "))". */
static void scan_arith(void)
{
	int depth = 0;
	for (;;) {
		int c = peekc();
		if (c == EOFC) incomplete("missing '))'");
		nextc();
		if (c == '(') depth++;
		else if (c == ')') {
			if (depth > 0) { depth--; continue; }
			if (peekc() == ')') { nextc(); return; }
		} else if (c == '\\') nextc();
		else if (c == '\'') scan_squote();
		else if (c == '"') scan_dq();
		else if (c == '`') scan_bq();
		else if (c == '$') scan_dollar(0);
	}
}

static struct node *parse_list(void);
static struct tok *peek(void);

/* After "$(": the command's own grammar decides where it ends. */
static void scan_cmdsubst(void)
{
	struct tok save = tk;
	int save_have = have_tok, save_alias = alias_next, save_np = npending;
	struct redir *save_p[64];
	memcpy(save_p, pending_here, sizeof save_p);
	have_tok = 0;
	npending = 0;
	parse_list();
	struct tok *t = peek();
	if (t->t == T_EOF) incomplete("missing ')'");
	if (t->t != T_RP) {
		fprintf(stderr, "sh: syntax error: missing ')'\n");
		fail(2);
	}
	have_tok = save_have;
	tk = save;
	alias_next = save_alias;
	npending = save_np;
	memcpy(pending_here, save_p, sizeof save_p);
}

/* After '$'. */
static void scan_dollar(int indq)
{
	int c = peekc();
	if (c == '(') {
		nextc();
		if (peekc() == '(') { nextc(); scan_arith(); }
		else scan_cmdsubst();
	} else if (c == '{') {
		nextc();
		scan_brace(indq);
	}
}

/* After an opening '"'. */
static void scan_dq(void)
{
	for (;;) {
		int c = peekc();
		if (c == EOFC) incomplete("unterminated quoted string");
		nextc();
		if (c == '"') return;
		if (c == '\\') { if (peekc() == '\n') { nextc(); unrecord(2); } else if (nextc() == EOFC) incomplete("unterminated quoted string"); }
		else if (c == '$') scan_dollar(1);
		else if (c == '`') scan_bq();
	}
}

static int is_delim(int c)
{
	return c == EOFC || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|'
	       || c == '<' || c == '>' || c == '(' || c == ')';
}

/* Reads a word; its text is the raw source (minus line continuations). */
static char *scan_word(int *plain)
{
	size_t start = rec.len;
	recording++;
	*plain = 1;
	for (;;) {
		int c = peekc();
		if (is_delim(c)) break;
		nextc();
		if (c == '\\') {
			if (peekc() == '\n') { nextc(); unrecord(2); continue; }
			*plain = 0;
			if (peekc() != EOFC) nextc();
		} else if (c == '\'') { *plain = 0; scan_squote(); }
		else if (c == '"') { *plain = 0; scan_dq(); }
		else if (c == '`') scan_bq();
		else if (c == '$') scan_dollar(0);
	}
	recording--;
	char *w = astrndup(PA, rec.s + start, rec.len - start);
	if (!recording) rec.len = start;
	return w;
}

/* Here-document bodies follow the newline that ends their command. */
static void read_heredocs(void)
{
	for (int k = 0; k < npending; k++) {
		struct redir *r = pending_here[k];
		struct sbuf body = {0}, line = {0};
		for (;;) {
			line.len = 0;
			if (line.s) line.s[0] = 0;
			int c, got = 0;
			while ((c = nextc()) != EOFC) {
				got = 1;
				if (c == '\n') break;
				sb_putc(&line, c);
			}
			const char *l = line.s ? line.s : "";
			if (r->striptabs) while (*l == '\t') l++;
			if (!strcmp(l, r->word)) break;
			if (c == EOFC) {
				if (!at_eof) { free(body.s); free(line.s); fail(1); }
				if (got) { sb_puts(&body, l); sb_putc(&body, '\n'); }
				break;
			}
			sb_puts(&body, l);
			sb_putc(&body, '\n');
		}
		r->body = astrdup(PA, body.s ? body.s : "");
		free(body.s);
		free(line.s);
	}
	npending = 0;
}

static void lex(struct tok *t)
{
	memset(t, 0, sizeof *t);
	t->fd = -1;
	for (;;) {
		int c = peekc();
		if (c == ' ' || c == '\t') { nextc(); continue; }
		if (c == '\\' && peekn(1) == '\n') { nextc(); nextc(); unrecord(2); continue; }
		if (c == '#') {
			while (peekc() != '\n' && peekc() != EOFC) nextc();
			continue;
		}
		break;
	}
	int c = peekc();
	if (c == EOFC) { t->t = T_EOF; return; }
	if (c == '\n') {
		nextc();
		t->t = T_NL;
		if (npending) read_heredocs();
		return;
	}
	if (c == ';') { nextc(); if (peekc() == ';') { nextc(); t->t = T_DSEMI; } else t->t = T_SEMI; return; }
	if (c == '&') { nextc(); if (peekc() == '&') { nextc(); t->t = T_AND; } else t->t = T_AMP; return; }
	if (c == '|') { nextc(); if (peekc() == '|') { nextc(); t->t = T_OR; } else t->t = T_PIPE; return; }
	if (c == '(') { nextc(); t->t = T_LP; return; }
	if (c == ')') { nextc(); t->t = T_RP; return; }
	if (c != '<' && c != '>') {
		t->s = scan_word(&t->plain);
		c = peekc();
		if ((c == '<' || c == '>') && t->plain && t->s[0]) {
			char *p = t->s;
			while (*p >= '0' && *p <= '9') p++;
			if (*p) { t->t = T_WORD; return; }
			t->fd = atoi(t->s);
		} else { t->t = T_WORD; return; }
	}
	t->t = T_REDIR;
	nextc();
	int d = peekc();
	if (c == '<') {
		if (d == '<') { nextc(); t->rt = R_HERE; if (peekc() == '-') { nextc(); t->plain = 2; } }
		else if (d == '&') { nextc(); t->rt = R_DUPIN; }
		else if (d == '>') { nextc(); t->rt = R_RW; }
		else t->rt = R_IN;
		if (t->fd < 0) t->fd = 0;
	} else {
		if (d == '>') { nextc(); t->rt = R_APP; }
		else if (d == '&') { nextc(); t->rt = R_DUPOUT; }
		else if (d == '|') { nextc(); t->rt = R_CLOB; }
		else t->rt = R_OUT;
		if (t->fd < 0) t->fd = 1;
	}
}

static struct tok *peek(void)
{
	if (!have_tok) { lex(&tk); have_tok = 1; }
	return &tk;
}

static void take(void) { have_tok = 0; }

static const char *tokname(struct tok *t)
{
	static const char *names[] = { "", "newline", ";", "&", "&&", "||", "|", "(", ")", ";;", "", "end of file" };
	if (t->t == T_WORD) return t->s;
	if (t->t == T_REDIR) {
		static const char *r[] = { "<", ">", ">|", ">>", "<>", "<&", ">&", "<<" };
		return r[t->rt];
	}
	return names[t->t];
}

static void syntax(struct tok *t)
{
	if (t->t == T_EOF) incomplete("unexpected end of file");
	fprintf(stderr, "sh: syntax error near unexpected token `%s'\n", tokname(t));
	fail(2);
}

static int is_word(struct tok *t, const char *w)
{
	return t->t == T_WORD && t->plain && !strcmp(t->s, w);
}

static void expect_word(const char *w)
{
	struct tok *t = peek();
	if (!is_word(t, w)) syntax(t);
	take();
}

static void linebreak(void) { while (peek()->t == T_NL) take(); }

static struct node *mk(int type)
{
	struct node *n = aalloc(PA, sizeof *n);
	memset(n, 0, sizeof *n);
	n->type = type;
	return n;
}

static int at_terminator(void)
{
	static const char *const words[] = { "then", "else", "elif", "fi", "do", "done", "esac", "}", NULL };
	struct tok *t = peek();
	if (t->t == T_EOF || t->t == T_RP || t->t == T_DSEMI) return 1;
	if (t->t == T_WORD && t->plain)
		for (int k = 0; words[k]; k++) if (!strcmp(t->s, words[k])) return 1;
	return 0;
}

static char **pushw(char **v, int *n, char *w)
{
	char **nv = aalloc(PA, (*n + 2) * sizeof *nv);
	if (*n) memcpy(nv, v, *n * sizeof *nv);
	nv[(*n)++] = w;
	nv[*n] = NULL;
	return nv;
}

static int is_assignment(const char *w)
{
	if (!is_name_start((unsigned char)*w)) return 0;
	while (is_name_char((unsigned char)*w)) w++;
	return *w == '=';
}

static struct redir *parse_redir(void)
{
	struct tok t = *peek();
	take();
	struct tok *w = peek();
	if (w->t != T_WORD) syntax(w);
	take();
	struct redir *r = aalloc(PA, sizeof *r);
	memset(r, 0, sizeof *r);
	r->fd = t.fd;
	r->type = t.rt;
	r->word = w->s;
	if (t.rt == R_HERE) {
		r->striptabs = t.plain == 2;
		/* The delimiter is the word after quote removal; quoting any part of it
		 * makes the body literal. */
		struct sbuf d = {0};
		for (const char *p = w->s; *p; p++) {
			if (*p == '\\' && p[1]) { r->literal = 1; sb_putc(&d, *++p); }
			else if (*p == '\'' || *p == '"') r->literal = 1;
			else sb_putc(&d, *p);
		}
		r->word = astrdup(PA, d.s ? d.s : "");
		free(d.s);
		if (npending < 64) pending_here[npending++] = r;
	}
	return r;
}

static void parse_redirs(struct node *n)
{
	struct redir **rp = &n->redirs;
	while (*rp) rp = &(*rp)->next;
	while (peek()->t == T_REDIR) { *rp = parse_redir(); rp = &(*rp)->next; }
}

static struct node *parse_command(void);

static struct node *need_list(void)
{
	struct node *l = parse_list();
	if (!l) syntax(peek());
	return l;
}

static struct node *parse_if(void)
{
	struct node *n = mk(N_IF);
	n->a = need_list();
	expect_word("then");
	n->b = need_list();
	struct tok *t = peek();
	if (is_word(t, "elif")) {
		take();
		n->c = parse_if();
		return n;
	}
	if (is_word(t, "else")) {
		take();
		n->c = need_list();
	}
	expect_word("fi");
	return n;
}

static struct node *parse_for(void)
{
	struct node *n = mk(N_FOR);
	struct tok *t = peek();
	if (t->t != T_WORD || !is_name(t->s)) syntax(t);
	n->name = t->s;
	take();
	linebreak();
	t = peek();
	if (is_word(t, "in")) {
		take();
		n->hasin = 1;
		while ((t = peek())->t == T_WORD) { n->words = pushw(n->words, &n->nwords, t->s); take(); }
		if (t->t != T_SEMI && t->t != T_NL) syntax(t);
		take();
	} else if (t->t == T_SEMI) take();
	linebreak();
	expect_word("do");
	n->c = parse_list();
	expect_word("done");
	return n;
}

static struct node *parse_case(void)
{
	struct node *n = mk(N_CASE);
	struct tok *t = peek();
	if (t->t != T_WORD) syntax(t);
	n->name = t->s;
	take();
	linebreak();
	expect_word("in");
	linebreak();
	struct caseitem **ip = &n->items;
	for (;;) {
		t = peek();
		if (is_word(t, "esac")) { take(); break; }
		if (t->t == T_LP) { take(); t = peek(); }
		struct caseitem *it = aalloc(PA, sizeof *it);
		memset(it, 0, sizeof *it);
		for (;;) {
			t = peek();
			if (t->t != T_WORD) syntax(t);
			it->pats = pushw(it->pats, &it->npats, t->s);
			take();
			t = peek();
			if (t->t == T_PIPE) { take(); continue; }
			if (t->t != T_RP) syntax(t);
			take();
			break;
		}
		it->body = parse_list();
		*ip = it;
		ip = &it->next;
		t = peek();
		if (t->t == T_DSEMI) { take(); linebreak(); }
		else if (!is_word(t, "esac")) syntax(t);
	}
	return n;
}

static struct node *parse_compound(void)
{
	struct tok *t = peek();
	struct node *n;
	if (t->t == T_LP) {
		take();
		n = mk(N_SUBSHELL);
		n->a = need_list();
		if (peek()->t != T_RP) syntax(peek());
		take();
	} else if (is_word(t, "{")) {
		take();
		n = mk(N_BRACE);
		n->a = need_list();
		expect_word("}");
	} else if (is_word(t, "if")) {
		take();
		n = parse_if();
	} else if (is_word(t, "while") || is_word(t, "until")) {
		int type = t->s[0] == 'w' ? N_WHILE : N_UNTIL;
		take();
		n = mk(type);
		n->a = need_list();
		expect_word("do");
		n->c = parse_list();
		expect_word("done");
	} else if (is_word(t, "for")) {
		take();
		n = parse_for();
	} else if (is_word(t, "case")) {
		take();
		n = parse_case();
	} else return NULL;
	parse_redirs(n);
	return n;
}

/* Is the active input already the text of this alias (no recursion)? */
static int alias_active(const char *name)
{
	for (struct src *s = S; s; s = s->prev)
		if (s->alias && !strcmp(s->alias, name)) return 1;
	return 0;
}

static void push_alias(const char *name, const char *val)
{
	struct src *s = aalloc(PA, sizeof *s);
	s->prev = S;
	s->s = val;
	s->pos = 0;
	s->len = strlen(val);
	s->alias = astrdup(PA, name);
	S = s;
	size_t n = s->len;
	alias_next = n && (val[n - 1] == ' ' || val[n - 1] == '\t');
}

static struct node *parse_simple(void)
{
	struct node *n = mk(N_CMD);
	struct redir **rp = &n->redirs;
	for (;;) {
		struct tok *t = peek();
		if (t->t == T_REDIR) { *rp = parse_redir(); rp = &(*rp)->next; continue; }
		if (t->t != T_WORD) break;
		if (!n->nwords && is_assignment(t->s)) {
			n->assigns = pushw(n->assigns, &n->nassigns, t->s);
			take();
			continue;
		}
		if (t->plain && (!n->nwords || alias_next)) {
			const char *val = alias_get(t->s);
			alias_next = 0;
			if (val && !alias_active(t->s)) {
				char *name = t->s;
				take();
				push_alias(name, val);
				/* The alias text may begin with a reserved word. */
				if (!n->nwords && !n->nassigns && !n->redirs) {
					struct node *c = parse_compound();
					if (c) return c;
				}
				continue;
			}
		}
		if (!n->nwords && !n->nassigns && !n->redirs && t->plain && is_name(t->s)) {
			char *name = t->s;
			take();
			if (peek()->t == T_LP) {
				take();
				if (peek()->t != T_RP) syntax(peek());
				take();
				linebreak();
				struct node *body = parse_compound();
				if (!body) syntax(peek());
				struct node *f = mk(N_FUNC);
				f->name = name;
				f->a = body;
				f->owner = PA;
				return f;
			}
			n->words = pushw(n->words, &n->nwords, name);
			continue;
		}
		n->words = pushw(n->words, &n->nwords, t->s);
		take();
	}
	if (!n->nwords && !n->nassigns && !n->redirs) syntax(peek());
	return n;
}

static struct node *parse_command(void)
{
	struct tok *t = peek();
	if (t->t == T_WORD && t->plain) {
		static const char *const bad[] = { "then", "else", "elif", "fi", "do", "done", "esac", "}", NULL };
		for (int k = 0; bad[k]; k++) if (!strcmp(t->s, bad[k])) syntax(t);
	}
	struct node *c = parse_compound();
	return c ? c : parse_simple();
}

/* Source text of a command, rebuilt from the tree for job listings. */
static void node_text(struct sbuf *b, struct node *n);

static void words_text(struct sbuf *b, char **w, int n, const char *sep)
{
	for (int k = 0; k < n; k++) { if (k || b->len) sb_puts(b, sep); sb_puts(b, w[k]); }
}

static void redirs_text(struct sbuf *b, struct redir *r)
{
	static const char *ops[] = { "<", ">", ">|", ">>", "<>", "<&", ">&", "<<" };
	for (; r; r = r->next) {
		char fd[16] = "";
		int dflt = (r->type == R_IN || r->type == R_DUPIN || r->type == R_RW || r->type == R_HERE) ? 0 : 1;
		if (r->fd != dflt) snprintf(fd, sizeof fd, "%d", r->fd);
		if (b->len) sb_putc(b, ' ');
		sb_puts(b, fd);
		sb_puts(b, ops[r->type]);
		sb_puts(b, r->word);
	}
}

static void node_text(struct sbuf *b, struct node *n)
{
	if (!n) return;
	switch (n->type) {
	case N_CMD:
		words_text(b, n->assigns, n->nassigns, " ");
		words_text(b, n->words, n->nwords, " ");
		redirs_text(b, n->redirs);
		break;
	case N_PIPE:
		for (int k = 0; k < n->ncmds; k++) { if (k) sb_puts(b, " | "); node_text(b, n->cmds[k]); }
		break;
	case N_NOT: sb_puts(b, "! "); node_text(b, n->a); break;
	case N_AND: case N_OR:
		node_text(b, n->a);
		sb_puts(b, n->type == N_AND ? " && " : " || ");
		node_text(b, n->b);
		break;
	case N_SEQ: node_text(b, n->a); sb_puts(b, "; "); node_text(b, n->b); break;
	case N_BG: node_text(b, n->a); sb_puts(b, " &"); break;
	case N_SUBSHELL: sb_puts(b, "( "); node_text(b, n->a); sb_puts(b, " )"); redirs_text(b, n->redirs); break;
	case N_BRACE: sb_puts(b, "{ "); node_text(b, n->a); sb_puts(b, "; }"); redirs_text(b, n->redirs); break;
	case N_IF: sb_puts(b, "if "); node_text(b, n->a); sb_puts(b, "; then "); node_text(b, n->b);
		if (n->c) { sb_puts(b, "; else "); node_text(b, n->c); }
		sb_puts(b, "; fi");
		break;
	case N_WHILE: case N_UNTIL:
		sb_puts(b, n->type == N_WHILE ? "while " : "until ");
		node_text(b, n->a); sb_puts(b, "; do "); node_text(b, n->c); sb_puts(b, "; done");
		break;
	case N_FOR:
		sb_puts(b, "for "); sb_puts(b, n->name);
		if (n->hasin) { sb_puts(b, " in"); for (int k = 0; k < n->nwords; k++) { sb_putc(b, ' '); sb_puts(b, n->words[k]); } }
		sb_puts(b, "; do "); node_text(b, n->c); sb_puts(b, "; done");
		break;
	case N_CASE: sb_puts(b, "case "); sb_puts(b, n->name); sb_puts(b, " in ... esac"); break;
	case N_FUNC: sb_puts(b, n->name); sb_puts(b, "() "); node_text(b, n->a); break;
	}
}

static char *text_of(struct node *n)
{
	struct sbuf b = {0};
	node_text(&b, n);
	char *s = astrdup(PA, b.s ? b.s : "");
	free(b.s);
	return s;
}

static struct node *parse_pipeline(void)
{
	int neg = 0;
	while (is_word(peek(), "!")) { take(); neg = !neg; }
	struct node *c = parse_command();
	if (peek()->t == T_PIPE) {
		struct node *p = mk(N_PIPE);
		p->cmds = aalloc(PA, 2 * sizeof *p->cmds);
		p->cmds[0] = c;
		p->ncmds = 1;
		int cap = 2;
		while (peek()->t == T_PIPE) {
			take();
			linebreak();
			if (p->ncmds == cap) {
				struct node **nc = aalloc(PA, 2 * cap * sizeof *nc);
				memcpy(nc, p->cmds, cap * sizeof *nc);
				p->cmds = nc;
				cap *= 2;
			}
			p->cmds[p->ncmds++] = parse_command();
		}
		c = p;
	}
	c->text = text_of(c);
	if (neg) {
		struct node *n = mk(N_NOT);
		n->a = c;
		n->text = c->text;
		c = n;
	}
	return c;
}

static struct node *parse_andor(void)
{
	struct node *l = parse_pipeline();
	for (;;) {
		int t = peek()->t;
		if (t != T_AND && t != T_OR) break;
		take();
		linebreak();
		struct node *n = mk(t == T_AND ? N_AND : N_OR);
		n->a = l;
		n->b = parse_pipeline();
		n->text = text_of(n);
		l = n;
	}
	return l;
}

static struct node *parse_list(void)
{
	struct node *head = NULL, **tail = &head;
	linebreak();
	while (!at_terminator()) {
		struct node *a = parse_andor();
		struct tok *t = peek();
		if (t->t == T_AMP) {
			take();
			struct node *bg = mk(N_BG);
			bg->a = a;
			bg->text = a->text;
			a = bg;
		} else if (t->t == T_SEMI || t->t == T_NL) {
			take();
		} else if (!at_terminator()) syntax(t);
		/* Chain as a right-leaning sequence. */
		if (!head) { head = a; tail = &head; }
		else {
			struct node *s = mk(N_SEQ);
			s->a = *tail;
			s->b = a;
			*tail = s;
			tail = &s->b;
		}
		linebreak();
	}
	return head;
}

/* Where the construct starting at s (just after "$(", "${", "$((" or '`')
 * ends, as the lexer sees it: the index after its closing characters, or -1. */
long scan_end(const char *s, long n, int kind)
{
	jmp_buf jb, *saved = perr;
	struct arena a = {0};
	struct src s0 = { NULL, s, 0, (size_t)n, NULL };
	struct src *saved_S = S;
	int saved_eof = at_eof, saved_have = have_tok, saved_rec = recording;
	struct arena *saved_PA = PA;
	S = &s0;
	at_eof = 1;
	PA = &a;
	have_tok = 0;
	recording = 0;
	perr = &jb;
	volatile long end = -1;
	if (setjmp(jb) == 0) {
		if (kind == '(') scan_cmdsubst();
		else if (kind == '{') scan_brace(0);
		else if (kind == 'A') scan_arith();
		else scan_bq();
		end = (long)s0.pos;
	}
	perr = saved;
	S = saved_S;
	at_eof = saved_eof;
	have_tok = saved_have;
	recording = saved_rec;
	PA = saved_PA;
	afree(&a);
	return end;
}

int parse(const char *src, int eof, struct node **out, struct arena **arena)
{
	jmp_buf jb, *saved = perr;
	struct arena *a = xmalloc(sizeof *a);
	memset(a, 0, sizeof *a);
	struct src s0 = { NULL, src, 0, strlen(src), NULL };
	S = &s0;
	at_eof = eof;
	PA = a;
	have_tok = 0;
	npending = 0;
	alias_next = 0;
	recording = 0;
	rec.len = 0;
	perr = &jb;
	*out = NULL;
	int r = setjmp(jb);
	if (r == 0) {
		struct node *n = parse_list();
		struct tok *t = peek();
		if (t->t != T_EOF) syntax(t);
		if (npending) incomplete("here-document without its delimiter");
		*out = n;
	}
	perr = saved;
	if (r) { afree(a); free(a); a = NULL; *out = NULL; }
	*arena = a;
	return r;
}
