# Builtins: test, printf, read, set, export, unset, shift, trap, getopts, type.
[ a = a ] && echo eq; [ a != b ] && echo ne; [ -z "" ] && echo z; [ -n x ] && echo n
[ 3 -gt 2 ] && echo gt; [ 2 -le 2 ] && echo le; [ 1 -eq 2 ] || echo "not eq"
test -d / && echo dir; test -f /bin/sh && echo file; test -e /nonexistent || echo missing
[ ! -d /bin/sh ] && echo "not dir"; [ -x /bin/sh ] && echo exec
[ a = a -a b = b ] && echo and; [ a = b -o b = b ] && echo or; [ \( 1 -eq 1 \) ] && echo paren
[ "" ] || echo "empty false"; [ x ] && echo "string true"
[ abc \< abd ] && echo less
printf '%s|%5s|%-5s|%.2s\n' a b c defg
printf '%d %i %x %X %o %u %c\n' 42 -7 255 255 8 3 xyz
printf '%05d %+d % d %3d%%\n' 42 5 5 7
printf '%s\n' multiple args reuse
printf 'no newline'; echo
printf '%b\n' 'tab\there' 'nl\\n'
printf '\101\102\n'
printf '%.3f %e %g\n' 3.14159 1234.5 0.0001
printf "%d\n" "'A"
printf '%s and %s\n' only
echo "a b  c" | { read x y; echo "[$x] [$y]"; }
echo "  lead trail  " | { read v; echo "[$v]"; }
printf 'one\\\ntwo\n' | { read v; echo "[$v]"; }
printf 'one\\\ntwo\n' | { read -r v; echo "[$v]"; }
echo "a:b:c" | { IFS=: read p q r; echo "$p $q $r"; }
echo "x" | { read a b c; echo "[$a][$b][$c]"; }
printf 'no-newline' | { read v; echo "status $? [$v]"; }
export EXPORTED=yes; sh -c 'echo child sees $EXPORTED'
LOCAL=no; sh -c 'echo "child sees [$LOCAL]"'
ONE=shot sh -c 'echo "prefix: $ONE"'; echo "after: [$ONE]"
unset EXPORTED; sh -c 'echo "unset: [$EXPORTED]"'
readonly RO=fixed; (RO=changed) 2>/dev/null || echo "readonly holds"; echo $RO
set -- a b c d; shift 2; echo "$@"
set -- -a -b val -c rest
while getopts ab:c opt; do echo "opt $opt ${OPTARG-}"; done; shift $((OPTIND - 1)); echo "rest: $*"
trap 'echo trapped EXIT' EXIT
trap 'echo got USR1' USR1; kill -USR1 $$; echo after-signal
trap - USR1
type cd | sed 's/ shell//'; type exit | sed 's/ special//; s/ shell//'
command -v sh >/dev/null && echo "sh found"; command -v cd
x=1; unset x; echo "x=[${x-unset}]"
echo $(( $(printf '%d' 5) * 2 ))
umask 022; umask; umask 077; umask; umask 022
cd /tmp && pwd; cd / && pwd
f() { echo "args: $*"; }; f 1 "2 3"
(exit 3); echo $?
true; echo $?; false; echo $?
echo "$(( 1 + $(false; echo $?) ))"
