# Redirections and here-documents (XCU 2.7).
T=/tmp/redir.$$; mkdir -p $T; cd $T || exit 1
echo first > f; echo second >> f; cat < f
cat nosuch 2>/dev/null; echo "status $?"
cat nosuch 2>err; wc -l < err
{ echo out; echo err >&2; } 2>&1 >/dev/null | tr a-z A-Z
exec 3>f3; echo via-fd3 >&3; exec 3>&-; cat f3
exec 4<f; read line <&4; echo "read [$line]"; read line <&4; echo "read [$line]"; exec 4<&-
echo rw 1<>rwfile; cat rwfile
x=here
cat <<EOF
plain $x $(echo cmd) `echo bq` $((1+1))
  indented \$x \\ back "quotes" 'single'
EOF
cat <<'EOF'
literal $x $(echo no) \n
EOF
cat <<"EOF"
also literal $x
EOF
cat <<-EOF
	tabs stripped $x
		only leading
	EOF
cat <<EOF | tr a-z A-Z
piped heredoc
EOF
cat <<A; cat <<B
from a
A
from b
B
f() { cat; }
f <<EOF
into function
EOF
while read a b; do echo "$b-$a"; done <<EOF
1 one
2 two
EOF
echo redirected-loop > loopout; for i in 1 2; do echo $i; done > loopout; cat loopout
if true; then echo if-redir; fi > ifout; cat ifout
set -C; (echo x > f) 2>/dev/null || echo noclobber-refused; echo forced >| f; cat f; set +C
cat <<EOF
$(for i in 1 2 3; do echo line $i; done)
EOF
echo 2>/dev/null hello
>empty; wc -c < empty
echo "to stderr" 1>&2 2>/dev/null
(echo sub-out; echo sub-err 1>&2) 2>&1 | wc -l
cd /; rm -r $T
