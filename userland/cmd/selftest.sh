# selftest.sh - exercise the microlith shell and utilities.
# Run: sh selftest.sh 2>&1   (PATH must find our utilities first).
# The output is deterministic; compare it with selftest.expected.

T=${TMPDIR:-/tmp}/selftest.$$
rm -rf $T
mkdir -p $T/a/b/c && cd $T || exit 1

echo "== quoting and variables"
x=5
name='micro lith'
echo "x=$x" 'x=$x' x=\$x "${x}0" "$name"
echo $name | wc -w
echo "$name" | wc -c
empty=
echo "[$empty]" [${empty:-dflt}] [${unset_var-none}] [${x:+set}]
echo a"b"'c'\d "tab	in" 'back\slash' "q\"uote" 'it'\''s'
echo "$(echo nested "$(echo deep)")" `echo backquote`
v=$(printf_missing 2>/dev/null); echo "status of failed subst: $?"

echo "== status, && and ||"
true; echo "true -> $?"
false; echo "false -> $?"
! false; echo "! false -> $?"
true && echo and-yes
false && echo and-no
false || echo or-yes
true || echo or-no
false && echo no || echo fallback
nosuchcommand 2>/dev/null; echo "missing command -> $?"
sh -c 'exit 42'; echo "exit 42 -> $?"

echo "== pipelines"
yes | head -n 1000 | cat | wc -l | cat
echo one two three | cat | cat | cat | wc -w
echo pipe | false | true; echo "-> $?"

echo "== redirections"
echo first > f1
echo second >> f1
cat < f1
wc -l < f1
cat nosuch 2> err; cat err
cat nosuch > out 2>&1; cat out
ls nosuch 2>&1 | cat
echo to-stderr 1>&2 2>/dev/null
(echo sub-out; echo sub-err 1>&2) 2>&1 | wc -l
exec 3>f3; echo via-fd3 >&3; exec 3>&-; cat f3

echo "== files"
touch a/file1 a/file2
ls a
ls -a a | wc -l
mkdir a 2>&1
rmdir a 2>&1
mkdir -p a/b/c && echo mkdir-p-ok
cp f1 a/b/copy && cat a/b/copy
mv a/b/copy a/moved && ls a
cp -r a z && ls z/b
rm a/file1 && ls a
rm nosuch 2>&1; echo "rm -> $?"
rm -f nosuch; echo "rm -f -> $?"
rm a 2>&1
rm -r a z && ls
cat f1 f1 | grep -c second
grep -n -i SECOND f1; grep -v first f1; grep -c nothing f1; echo "grep none -> $?"
head -n 1 f1; tail -n 1 f1

echo "== signals and background"
sh -c 'sh -c "kill -SEGV \$\$"; echo "segv -> $?"' 2>&1
sh -c 'sh -c "kill -KILL \$\$"; echo "kill -> $?"' 2>&1
sh -c 'sh -c "kill -TERM \$\$"; echo "term -> $?"' 2>&1
sleep 0.2 &
bg=$!
(sleep 0.1; echo background-done) &
wait
echo "waited; bg pid known: ${bg:+yes}"
sleep 0.1 & wait $!; echo "wait status $?"

echo "== builtins"
cd $T/..; cd - >/dev/null; pwd | grep -c selftest
export EXPORTED=yes; sh -c 'echo child sees $EXPORTED'
LOCAL=no; sh -c 'echo "child sees [$LOCAL]"'
ONE=shot sh -c 'echo "prefix assignment: $ONE"'; echo "after: [$ONE]"
unset x; echo "unset: [$x]"
cd /
rm -r $T
echo "== done"
exit 3
