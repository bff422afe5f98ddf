# Parameter expansion, arithmetic, command substitution, field splitting,
# pathname expansion and quote removal (XCU 2.6).
x=5 empty= name='micro lith'
echo "[$x]" "[${x}0]" "[$empty]" "[${unset_var}]"
echo ${unset_var:-dflt} ${empty:-dflt} ${empty-set} ${x:+alt} ${unset_var+alt}
echo ${newvar:=assigned} $newvar
echo ${#name} ${#empty} ${#unset_var}
f=archive.tar.gz
echo ${f%.*} ${f%%.*} ${f#*.} ${f##*.} ${f%.tar*} ${f#"archive"}
p=/usr/local/bin/tool
echo ${p##*/} ${p%/*}
echo $((1 + 2 * 3)) $(( (1 + 2) * 3 )) $((7 / 2)) $((7 % 3)) $((-7 / 2)) $((2 << 4)) $((255 >> 2))
echo $((1 < 2)) $((2 <= 1)) $((3 == 3)) $((3 != 3)) $((1 && 0)) $((0 || 2)) $((!0)) $((~0))
echo $((0x1f)) $((010)) $((5 & 3)) $((5 | 3)) $((5 ^ 3)) $((1 ? 10 : 20)) $((0 ? 10 : 20))
i=3; echo $((i * 2)) $((i += 4)) $i $((i -= 1)) $((i *= 2)) $((i /= 3)) $((i %= 3)) $i
n=10; echo $(( n > 5 ? n - 5 : n + 5 ))
echo "$(echo nested "$(echo deep)")" `echo backquote` "$(printf '%s\n' a b | wc -l)"
echo $(echo "  lots   of   space  ")
echo "$(printf 'trailing\n\n\n')|"
set -- one "two words" three
echo $# "$1" "$2" "$3"
for a in "$@"; do echo "<$a>"; done
for a in $@; do echo "($a)"; done
for a in "$*"; do echo "{$a}"; done
IFS=:; echo "$*"; IFS=' 	
'
set --
for a in "$@"; do echo never; done
echo "empty \$@ gives [$@]"
v='a:b::c'
IFS=:
set -- $v
echo $# "$1" "$2" "$3" "$4"
IFS=' 	
'
v='  spaced   out  '
set -- $v
echo $#
set -- "" "" x
echo $#
echo a"b"'c'\d "tab	in" 'back\slash' "q\"uote" 'it'\''s' "dollar\$x" '$x'
echo "~" ~nonexistentuser12 x~
HOME=/home/test; echo ~ ~/sub
mkdir -p /tmp/globtest.$$ && cd /tmp/globtest.$$ && touch a1 a2 b1 .hidden 'sp ace'
echo *; echo a*; echo ?1; echo [ab]2; echo [!a]*; echo .h*; echo no*match; echo "a*"; echo 'a*'
set -f; echo a*; set +f
echo *" "*
cd / && rm -r /tmp/globtest.$$
echo ${x:-"quoted default"} "${x:+"nested quotes"}"
unset x; echo "${x-unset}" "${x:-null}"
x=""; echo "${x-unset}" "${x:-null}"
echo $(( $(echo 3) + 4 ))
a=1 b=2; echo $a$b ${a}_$b
echo "${#}" $#
