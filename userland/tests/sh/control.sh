# Compound commands, functions, lists and pipelines (XCU 2.9).
if true; then echo if-true; fi
if false; then echo no; elif true; then echo elif; else echo no; fi
if false; then echo no; else echo else; fi
i=0
while [ $i -lt 5 ]; do i=$((i + 1)); [ $i = 2 ] && continue; [ $i = 4 ] && break; echo while $i; done
until [ $i -eq 0 ]; do i=$((i - 1)); done; echo until $i
for x in 1 2 3; do for y in a b; do [ $y = b ] && continue 2; echo $x$y; done; done
for x in 1 2 3; do for y in a b; do [ $x = 2 ] && break 2; echo $x$y; done; done
for w in $(echo one two); do echo for $w; done
case hello in h*o) echo glob-case;; *) echo no;; esac
case x in a|b) echo no;; x|y) echo alt-case;; esac
case '*' in '*') echo quoted-star;; *) echo no;; esac
case abc in *"b"*) echo partial-quote;; esac
case foo in bar) echo no;; esac; echo "no-match status $?"
case 5 in [0-9]) echo digit;; esac
case "" in "") echo empty-case;; esac
v=pat*; case pattern in $v) echo var-pattern;; esac
case pattern in "$v") echo no;; *) echo quoted-var-literal;; esac
greet() { echo "hello, $1 ($#)"; }
greet world extra
count() { local n=0; for a in "$@"; do n=$((n + 1)); done; echo $n; return 3; }
count a b c; echo "status $?"
n=outer; count x; echo "n is $n"
rec() { if [ $1 -gt 0 ]; then echo -n "$1 "; rec $(($1 - 1)); else echo; fi; }
rec 5
f() { return; }; false; f; echo "bare return keeps $?"
g() { echo in-g; }; unset -f g; g 2>/dev/null || echo "g unset"
{ echo brace; echo group; } | wc -l
(echo subshell; exit 4); echo "subshell status $?"
x=1; (x=2); echo "x still $x"
x=1; { x=2; }; echo "x now $x"
true && echo and-yes; false && echo and-no; false || echo or-yes; true || echo or-no
false && echo no || echo fallback
! true; echo "not true $?"; ! false; echo "not false $?"
echo a | cat | cat | tr a b
echo pipe | false | true; echo "pipe status $?"
echo one; echo two; echo three
x=$(false); echo "subst status $?"
y=$(exit 7) ; echo "assign status $?"
echo before >/dev/null; echo "$?"
loop() { for i in 1 2 3; do if [ $i = 2 ]; then return $i; fi; done; echo never; }
loop; echo "return from loop $?"
while true; do while true; do break 2; done; done; echo broke-out
i=0; while :; do i=$((i+1)); if [ $i -ge 3 ]; then break; fi; done; echo $i
for i in a b; do :; done; echo "last $i"
eval 'echo eval "$x"'
cmd='echo from-eval; echo second'; eval "$cmd"
set -- a b c; shift; echo "$@"; shift 2; echo "$# left"
f2() { echo "$0-ish $1"; }; f2 arg | sed 's/^.*-ish /X-ish /'
alias_test() { echo func; }; alias_test
