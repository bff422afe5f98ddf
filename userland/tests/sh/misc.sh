# Traps, background jobs and wait, aliases in scripts, eval and nesting, read loops,
# and arithmetic corners.
trap 'echo "trap on EXIT, status $?"' EXIT
trap 'echo caught TERM' TERM
kill -TERM $$
echo after TERM
trap - TERM
(trap 'echo subshell exit' EXIT; echo in subshell)
sleep 0.1 & p=$!
wait $p; echo "wait for \$! gave $?"
(exit 7) & wait $!; echo "background exit $?"
false & true & wait; echo "wait for all $?"
alias hi='echo hello from alias'
hi
unalias hi
hi 2>/dev/null || echo "alias gone"
x=outer
f() { local x=inner; g; }
g() { echo "g sees $x"; }
f; echo "after f: $x"
counter=0
inc() { counter=$((counter + 1)); }
inc; inc; inc; echo "counter $counter"
eval 'for i in 1 2; do eval "v$i=\$i"; done'; echo "v1=$v1 v2=$v2"
set -- a 'b c' d
eval 'echo $#'
printf '%s\n' one two three | while read -r line; do echo "got $line"; done
n=0; while read -r a b; do n=$((n + 1)); echo "$n: [$a] [$b]"; done <<EOF
first pair
second  spaced   out
EOF
echo $(( 10 / 3 * 3 + 10 % 3 )) $(( -5 % 3 )) $(( 1 << 62 )) $(( (1 << 62) - 1 + (1 << 62) ))
echo $(( 3 > 2 && 2 > 1 )) $(( 0 || 0 )) $(( 7 & 3 | 8 )) $(( 5 > 3 ? 10 : 20 )) $(( ~5 )) $(( !3 ))
v=7; echo $(( v * v )) $(( v += 3 )) $v $(( v /= 2 )) $v
echo "$#" "$1" "$2" "$3"
shift 3; echo "after shift: $#"
case "a.b.c" in *.*.*) echo "two dots";; esac
str="hello world"; echo "${str#* }" "${str% *}" "${#str}"
path=/a/b/c.d/e.txt; echo "${path##*/}" "${path%/*}" "${path##*.}"
echo "$(echo "$(echo "$(echo deep)")")"
i=0; until [ $i -ge 3 ]; do i=$((i + 1)); done; echo "until done $i"
for f in; do echo never; done; echo "empty for ok"
{ echo one; echo two; } | { read first; read second; echo "$second $first"; }
IFS=, read -r p q r <<EOF
x,y,z
EOF
echo "$q $r $p"
echo "end"
