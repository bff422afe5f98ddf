# set -e, -u, -x and friends.
set -e
false || true
if false; then :; fi
while false; do :; done
! true
false && true
echo "survived tested contexts"
(set -e; false; echo not-printed) || echo "subshell failed $?"
f() { false; echo "not reached"; }
f || echo "function failed"
set +e
sh -c 'set -u; echo ${unset_thing}; echo no' 2>/dev/null; echo "nounset status $?"
sh -c 'set -u; echo "${unset_thing-default}"'
sh -x -c 'echo traced' 2>&1
sh -c 'set -e; false; echo no'; echo "errexit status $?"
sh -c 'set -e; x=$(false); echo no'; echo "assignment status $?"
sh -c 'exit 300'; echo "exit 300 gives $?"
sh -c 'echo ${x?custom message}' 2>/dev/null; echo "status $?"
sh -c 'echo $((1/0))' 2>/dev/null; echo "division status $?"
sh -c 'if then' 2>/dev/null; echo "syntax status $?"
sh -c 'nosuchcmd_xyz' 2>/dev/null; echo "not found $?"
sh -c '/etc/passwd' 2>/dev/null; echo "not executable $?"
sh -c 'f() { return 5; }; f'; echo "function status $?"
echo done
